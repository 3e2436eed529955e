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
    // Whether the cells show their counts: only when the widest count fits its cell (else the
    // count is in the cell's tooltip and the drill-down).
    bool cellNumbersShown() const { return !labels_.empty() && labels_.front()->visible(); }
    // The tooltip text of a cell: classes, count and share of the true class.
    QString cellText(int trueClass, int predicted) const;
    // The class names each axis shows (every n-th where the cells are too small for all).
    QVector<QString> namesShown(Qt::Orientation axis) const {
        return (axis == Qt::Horizontal ? xAxis : yAxis)->tickVectorLabels();
    }

Q_SIGNALS:
    void cellClicked(int trueClass, int predictedClass);

protected:
    bool event(QEvent* e) override;  // a cell's tooltip

private:
    QCPColorMap* map_;
    QCPColorScale* scale_;
    int classes_ = 0;
    int shownRun_ = -1, shownEpoch_ = -1;  // skip redraws when nothing new was evaluated
    std::vector<QCPItemText*> labels_;
    ConfusionCounts counts_;         // of the shown evaluation
    std::vector<int64_t> rowTotals_;  // its test examples per true class
    std::vector<QString> names_;
    void fitCellNumbers();  // after each layout: counts shown only where they fit
    // After a layout at a new size: the predicted names' slant, and which names each axis shows,
    // so that no two overlap.
    void fitClassNames();
    void setClassTicks(int everyX, int everyY);  // every n-th class named on each axis
    QStringList tickNames_;
    int everyX_ = 1, everyY_ = 1;
    QSize fittedSize_;
};

} // namespace imblab::ui
