// The grid dialog; see queue_dialog.h.
#include "queue_dialog.h"

#include "training/methods.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

namespace imblab::ui {

namespace {

template <typename T>
bool parseList(const QString& text, const QString& field, std::vector<T>& out, QString& error, double min) {
    out.clear();
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const double v = part.trimmed().toDouble(&ok);
        if (!ok || !(v >= min)) {
            error = QObject::tr("%1: '%2' is not a number ≥ %3").arg(field, part.trimmed()).arg(min);
            return false;
        }
        out.push_back(T(v));
    }
    if (out.empty()) {
        error = QObject::tr("%1: needs at least one value").arg(field);
        return false;
    }
    return true;
}

} // namespace

QueueDialog::QueueDialog(double currentRho, QWidget* parent)
    : QDialog(parent), methods_(new QListWidget(this)), seeds_(new QLineEdit(QStringLiteral("0, 1, 2"), this)),
      rhos_(new QLineEdit(QString::number(currentRho), this)), error_(new QLabel(this)) {
    setWindowTitle(tr("Queue a grid of runs"));
    for (const Method& m : knownMethods()) {
        auto* item = new QListWidgetItem(QString::fromStdString(m.label), methods_);
        item->setData(Qt::UserRole, QString::fromStdString(m.id));
        item->setCheckState(m.id == "erm" || m.id == "ldam-drw" ? Qt::Checked : Qt::Unchecked);
    }
    auto* form = new QFormLayout;
    form->addRow(tr("Methods"), methods_);
    form->addRow(tr("Seeds"), seeds_);
    form->addRow(tr("Imbalance ratios ρ"), rhos_);
    error_->setStyleSheet(QStringLiteral("color: #B00020"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        QueueGrid g;
        QString error;
        if (grid(g, error)) accept();
        error_->setText(error);
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Each method × seed × ρ on top of the current settings, one run after another "
                                    "(the same seed also draws the kept subset, as in imblab-cli sweep)."),
                                 this));
    layout->addLayout(form);
    layout->addWidget(error_);
    layout->addWidget(buttons);
}

bool QueueDialog::grid(QueueGrid& out, QString& error) const {
    out = {};
    for (int i = 0; i < methods_->count(); ++i)
        if (methods_->item(i)->checkState() == Qt::Checked)
            out.methods.push_back(methods_->item(i)->data(Qt::UserRole).toString().toStdString());
    if (out.methods.empty()) {
        error = tr("Methods: tick at least one");
        return false;
    }
    return parseList(seeds_->text(), tr("Seeds"), out.seeds, error, 0) &&
           parseList(rhos_->text(), tr("Imbalance ratios"), out.rhos, error, 1);
}

} // namespace imblab::ui
