// Chart export options; see chart_export_dialog.h.
#include "charts/chart_export_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QSpinBox>

namespace imblab::ui {

namespace {
ChartExportOptions& remembered() {
    static ChartExportOptions o;  // defaults until the user picks others
    return o;
}
} // namespace

ChartExportOptions ChartExportDialog::lastOptions() { return remembered(); }

ChartExportDialog::ChartExportDialog(bool png, QWidget* parent)
    : QDialog(parent), width_(new QSpinBox(this)), height_(new QSpinBox(this)), scale_(new QComboBox(this)),
      background_(new QComboBox(this)) {
    setWindowTitle(tr("Export chart"));
    const ChartExportOptions last = remembered();
    for (QSpinBox* box : {width_, height_}) {
        box->setRange(200, 8000);
        box->setSuffix(tr(" px"));
    }
    width_->setValue(last.width);
    height_->setValue(last.height);
    for (double s : {1.0, 2.0, 3.0}) scale_->addItem(QStringLiteral("%1×").arg(s), s);
    scale_->setCurrentIndex(std::max(0, scale_->findData(last.scale)));
    scale_->setEnabled(png);  // vector formats scale by themselves
    background_->addItem(tr("White"), false);
    background_->addItem(tr("Transparent"), true);
    background_->setCurrentIndex(last.transparent ? 1 : 0);
    auto* form = new QFormLayout(this);
    form->addRow(tr("Width"), width_);
    form->addRow(tr("Height"), height_);
    form->addRow(tr("Pixel scale (PNG)"), scale_);
    form->addRow(tr("Background"), background_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        remembered() = options();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

ChartExportOptions ChartExportDialog::options() const {
    ChartExportOptions o;
    o.width = width_->value();
    o.height = height_->value();
    o.scale = scale_->currentData().toDouble();
    o.transparent = background_->currentData().toBool();
    return o;
}

} // namespace imblab::ui
