// Margin histograms per class on the training set (ridgeline: one row per class, each
// normalised to its own peak so a 60-example class reads as clearly as a 6000-example one).
// The class margin γ_j (minimum) is a dot; the LDAM target Δ_j a dashed tick in the row.
#pragma once

#include "runs/run_record.h"

#include "charts/qcustomplot_include.h"

namespace imblab::ui {

class MarginHistogramChart : public QCustomPlot {
    Q_OBJECT
public:
    explicit MarginHistogramChart(QWidget* parent = nullptr);
    void showRun(const RunRecord& run);
    void clearRun();
    // Before a run: one row per class of the dataset, named, empty.
    void showClasses(const std::vector<std::string>& names);

    // For tests: the histogram counts drawn for a class, and the Δ_j marks drawn.
    QVector<double> drawnHistogram(int classIndex) const { return drawn_.value(classIndex); }
    int deltaMarkCount() const { return deltaMarks_; }

private:
    QMap<int, QVector<double>> drawn_;
    int deltaMarks_ = 0;
    int lastEpochShown_ = -1, lastRunShown_ = -1;
};

} // namespace imblab::ui
