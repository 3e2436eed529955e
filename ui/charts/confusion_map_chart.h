// Confusion matrix heat map (rows: true class, columns: predicted), row-normalised, with counts
// in the cells; clicking a cell asks to show the test images of that (true, predicted) pair.
// Past 20 classes (charts/many_classes.h) the classes stand in training-count order, most to
// fewest, and past kMaxBlocks in blocks of neighbouring classes (a block's share: its count over
// its true classes' test examples); clicking a block zooms into it, down to single classes,
// and a double-click shows the whole matrix again. Drawn from the non-zero cells, so the work
// follows the test set, not k².
#pragma once

#include "runs/run_record.h"

#include "charts/qcustomplot_include.h"

#include <utility>
#include <vector>

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
    // Past 20 classes: the classes per block side (1 when single classes are shown), the shown
    // window of ranks (training-count order) on each axis, and the share a block shows.
    static constexpr int kMaxBlocks = 64;
    bool ordersByCount() const { return byCount_; }
    int blockRows() const { return rowBlock_; }
    int blockColumns() const { return columnBlock_; }
    std::pair<int, int> shownRanks(Qt::Orientation axis) const {  // [first, end)
        return axis == Qt::Horizontal ? std::pair{columnLo_, columnHi_} : std::pair{rowLo_, rowHi_};
    }
    double blockRate(int rowBlock, int columnBlock) const;
    // Zooms into the block under a widget position; false where there is none or it is one cell.
    bool zoomInAt(const QPoint& pos);
    void showWholeMatrix();
    int rankOf(int classIndex) const { return classIndex >= 0 && size_t(classIndex) < rank_.size() ? rank_[size_t(classIndex)] : -1; }
    // Asks for the drill-down of a (true, predicted) pair, as a click on its cell does.
    void openCell(int trueClass, int predicted) { Q_EMIT cellClicked(trueClass, predicted); }
    // The class names each axis shows (every n-th where the cells are too small for all).
    QVector<QString> namesShown(Qt::Orientation axis) const {
        return (axis == Qt::Horizontal ? xAxis : yAxis)->tickVectorLabels();
    }

Q_SIGNALS:
    void cellClicked(int trueClass, int predictedClass);

protected:
    bool event(QEvent* e) override;  // a cell's tooltip

private:
    void drawBlocks();  // the count-ordered form, over the shown window
    QString blockText(const QPoint& pos) const;
    QCPColorMap* map_;
    bool byCount_ = false;
    std::vector<int> order_, rank_;  // class at each rank, rank of each class
    int rowLo_ = 0, rowHi_ = 0, columnLo_ = 0, columnHi_ = 0;
    int rowBlock_ = 1, columnBlock_ = 1;
    QPoint pendingZoom_;  // a click on a block, zoomed into unless a double-click follows
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
