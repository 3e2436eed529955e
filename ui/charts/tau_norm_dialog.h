// Run ▸ τ-Normalisation Curve: a finished run's balanced test error against τ in [0, 2] when its
// classifier rows are rescaled to w_j/‖w_j‖^τ (bias left out, Kang et al. 2020), beside the run's
// own balanced error. No training: the curve was computed when the run finished.
#pragma once

#include <QDialog>

class QCustomPlot;
class QLabel;

namespace imblab::ui {

struct RunRecord;

class TauNormDialog : public QDialog {
    Q_OBJECT
public:
    // The run must have a curve (RunSummary::tauNormTaus not empty).
    TauNormDialog(const RunRecord& run, QWidget* parent = nullptr);
    QCustomPlot* plot() const { return plot_; }
    QString summaryText() const;  // the line under the chart

private:
    QCustomPlot* plot_;
    QLabel* summary_;
};

// Why a run has no curve ("" when it has one): still running, a cosine head, no evaluation.
QString tauNormUnavailableReason(const RunRecord& run);

} // namespace imblab::ui
