// Margin histograms per class on the training set (ridgeline: one row per class, each
// normalised to its own peak so a 60-example class reads as clearly as a 6000-example one).
// The class margin γ_j (minimum) is a dot; the LDAM target Δ_j a dashed tick in the row. Past 20
// classes (charts/many_classes.h) the rows are the many / medium / few-shot groups (all their
// classes' examples; the tick at the group's median Δ_j) and the picked classes, a picked class
// as a box (quartiles, median, whiskers to min and max) past 100 classes, where a run keeps no
// per-class histogram.
#pragma once

#include "runs/run_record.h"

#include "charts/many_classes.h"
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
    QVector<double> drawnGroupHistogram(ShotGroup g) const { return drawnGroups_.value(int(g)); }
    int deltaMarkCount() const { return deltaMarks_; }
    QStringList rowLabels() const { return rowLabels_; }  // top to bottom
    int boxCount() const { return boxes_; }               // picked classes drawn as boxes
    void setPickedClasses(const std::vector<int>& classes);

private:
    // One ridgeline row: a histogram normalised to its peak, its minimum as a dot, Δ as a tick.
    void drawRow(int row, const MarginStats& m, const MetricsReport& r, const QColor& color, double delta);
    void drawBox(int row, const MarginStats& m, const QColor& color, double delta);
    void drawDelta(int row, double delta);
    void showShotGroups(const RunRecord& run, const MetricsReport& r);
    QMap<int, QVector<double>> drawn_, drawnGroups_;
    QStringList rowLabels_;
    std::vector<int> picked_;
    int boxes_ = 0;
    int deltaMarks_ = 0;
    int lastEpochShown_ = -1, lastRunShown_ = -1;
};

} // namespace imblab::ui
