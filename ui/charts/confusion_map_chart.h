// Confusion matrix heat map (rows: true class, columns: predicted), row-normalised, with counts
// in the cells; clicking a cell asks to show the test images of that (true, predicted) pair.
#pragma once

#include "runs/run_record.h"

#include "charts/qcustomplot_include.h"

namespace imblab::ui {

class ConfusionMapChart : public QCustomPlot {
    Q_OBJECT
public:
    explicit ConfusionMapChart(QWidget* parent = nullptr);
    void showRun(const RunRecord& run);
    void clearRun();
    // Before a run: the dataset's classes on both axes, no cells.
    void showClasses(const std::vector<std::string>& names);
    // The cell under a widget position, or (−1, −1).
    QPair<int, int> cellAt(const QPoint& pos) const;
    QPoint cellCenter(int trueClass, int predicted) const;
    double shownRate(int trueClass, int predicted) const;

Q_SIGNALS:
    void cellClicked(int trueClass, int predictedClass);

private:
    QCPColorMap* map_;
    QCPColorScale* scale_;
    int classes_ = 0;
    int shownRun_ = -1, shownEpoch_ = -1;  // skip redraws when nothing new was evaluated
    std::vector<QCPItemText*> labels_;
};

} // namespace imblab::ui
