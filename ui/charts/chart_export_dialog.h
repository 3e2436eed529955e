// The options asked before a chart is exported: size, PNG scale (for slides and print) and a
// white or transparent background. The last choice is remembered for the session.
#pragma once

#include "charts/chart_export.h"

#include <QDialog>

class QSpinBox;
class QComboBox;

namespace imblab::ui {

class ChartExportDialog : public QDialog {
    Q_OBJECT
public:
    explicit ChartExportDialog(bool png, QWidget* parent = nullptr);
    ChartExportOptions options() const;
    QSpinBox* widthBox() const { return width_; }
    QSpinBox* heightBox() const { return height_; }
    QComboBox* scaleBox() const { return scale_; }
    QComboBox* backgroundBox() const { return background_; }

    static ChartExportOptions lastOptions();

private:
    QSpinBox* width_;
    QSpinBox* height_;
    QComboBox* scale_;
    QComboBox* background_;
};

} // namespace imblab::ui
