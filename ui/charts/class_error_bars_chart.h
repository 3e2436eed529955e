// The paper's Figure 2: per-class train and test error bars at the current epoch, with the
// balanced error as a dashed line. For runs that differ only in their seed, the bars can show
// the group's mean at the last epoch with the seeds' min–max as whiskers on the test bars. Past
// 20 classes (charts/many_classes.h) the bars stand in training-count order, most to fewest, the
// shot groups marked along the axis, the picked classes' bars highlighted; the axis zooms and
// pans sideways (wheel, drag; double-click resets) and hovering a bar names its class.
#pragma once

#include "runs/run_record.h"

#include "charts/qcustomplot_include.h"

#include <cmath>
#include <utility>
#include <vector>

namespace imblab::ui {

class ClassErrorBarsChart : public QCustomPlot {
    Q_OBJECT
public:
    explicit ClassErrorBarsChart(QWidget* parent = nullptr);
    // At most this many bars in view (fewer where the plot is narrow: 3 pixels each): past it, a
    // bar is the mean of neighbouring classes (a bar per class of 8 142 would be under a pixel);
    // zooming in shows single classes again.
    static constexpr int kBarsUpTo = 200;
    int classesPerBar() const { return perBar_; }
    // The run's own last evaluation (while a seed group that holds it is shown, that stays).
    void showRun(const RunRecord& run);
    // The finished runs of one seed group (runs/seed_groups.h), 2 or more: their last epoch's
    // mean per class, min–max whiskers on the test bars, the mean balanced error. Fewer than 2:
    // back to the shown run's own bars.
    void setSeedGroup(const std::vector<const RunRecord*>& runs);
    int seedGroupSize() const { return int(groupIds_.size()); }
    void clearRun();
    // Before a run: the dataset's classes along the axis, no bars.
    void showClasses(const std::vector<std::string>& names);
    QVector<double> testBars() const;  // as drawn: per bar, left to right
    QVector<double> trainBars() const;
    double balancedLine() const { return balanced_->visible() ? balanced_->point1->coords().y() : std::nan(""); }
    // The whiskers' lower and upper ends per class (empty without a seed group).
    std::vector<std::pair<double, double>> testWhiskers() const;
    // The class of each bar, left to right (the class order up to 20 classes, else by count).
    const std::vector<int>& barClasses() const { return order_; }
    // The hover text of the bar at a position (class, training examples, test and train error).
    QString barText(int position) const;
    int barAt(const QPoint& pos) const;  // the bar position under a widget point, or -1
    QStringList groupMarks() const;      // the shot-group labels along the axis
    void setPickedClasses(const std::vector<int>& classes);
    QVector<double> pickedBars() const;  // the highlighted bars' test errors, in bar order

private:
    // What the bars show: a run's last evaluation, or a seed group's mean and range.
    struct Shown {
        std::vector<std::string> names;
        std::vector<int64_t> counts;  // training examples per class
        std::vector<double> test, train, low, high;  // low/high: a group's min–max of test errors
        double balanced = 0;
    };
    void draw();
    int shownRun_ = -1, shownEpoch_ = -1;  // skip redraws when nothing new was evaluated
    Shown own_, group_;
    std::vector<int> groupIds_;            // the seed group's runs; empty: the own run's bars
    QCPBars* train_;
    QCPBars* test_;
    QCPErrorBars* whiskers_;
    QCPItemStraightLine* balanced_;
    QCPBars* picked_;                     // the picked classes' test bars, drawn over the others
    QVector<double> rankTest_, rankTrain_, rankMinus_, rankPlus_;  // per bar position (class in order_)
    int perBar_ = 1;                      // classes per bar in the shown range
    int maxBars_ = kBarsUpTo;             // bars the plot's width holds
    void drawVisible();
    std::vector<int> order_;              // class per bar position
    std::vector<int> pickedClasses_;
    std::vector<QCPAbstractItem*> groupItems_;  // shot-group separators and labels
    void markShotGroups(const Shown& s);
    void fitGroupMarks();  // after each layout
    // The class names under the bars (chart_style.h: fitClassNamesUnderBars).
    void nameClasses(const QString& lastName);
    QString lastName_;
    QSize fittedSize_;
};

} // namespace imblab::ui
