// The grid dialog; see queue_dialog.h.
#include "runs/queue_dialog.h"

#include "api/methods.h"

#include <algorithm>

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSpinBox>
#include <QVBoxLayout>

namespace imblab::ui {

QueueDialog::QueueDialog(double currentRho, int currentEpochs, QWidget* parent)
    : QDialog(parent), methods_(new QListWidget(this)), seeds_(new QLineEdit(QStringLiteral("0, 1, 2"), this)),
      rhos_(new QLineEdit(QString::number(currentRho), this)), epochs_(new QSpinBox(this)), error_(new QLabel(this)) {
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
    epochs_->setRange(1, 10000);
    epochs_->setValue(std::max(1, currentEpochs));
    epochs_->setToolTip(tr("Epochs of every run in the grid (the schedule's decays and switch scale with them)"));
    form->addRow(tr("Epochs"), epochs_);
    error_->setStyleSheet(QStringLiteral("color: #B00020"));
    count_ = new QLabel(this);
    form->addRow(QString(), count_);
    connect(methods_, &QListWidget::itemChanged, this, &QueueDialog::updateCount);
    connect(seeds_, &QLineEdit::textChanged, this, &QueueDialog::updateCount);
    connect(rhos_, &QLineEdit::textChanged, this, &QueueDialog::updateCount);
    updateCount();
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

QString QueueDialog::countText() const { return count_->text(); }

void QueueDialog::updateCount() {
    QueueGrid g;
    QString error;
    count_->setText(grid(g, error) ? tr("%n run(s)", nullptr, int(g.methods.size() * g.seeds.size() * g.rhos.size()))
                                   : tr("no runs yet: %1").arg(error));
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
    try {
        out.seeds = parseSeedList(seeds_->text().toStdString(), tr("Seeds").toStdString());
        out.rhos = parseNumberList(rhos_->text().toStdString(), tr("Imbalance ratios").toStdString(), 1.0);
        return true;
    } catch (const std::exception& e) {
        error = QString::fromUtf8(e.what());
        return false;
    }
}

} // namespace imblab::ui
