// The paper's Figure 2: per-class train and test error bars at the current epoch, with the
// balanced error as a dashed line. For runs that differ only in their seed, the bars can show
// the group's mean at the last epoch with the seeds' min–max as whiskers on the test bars.
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
    QVector<double> testBars() const;
    QVector<double> trainBars() const;
    double balancedLine() const { return balanced_->visible() ? balanced_->point1->coords().y() : std::nan(""); }
    // The whiskers' lower and upper ends per class (empty without a seed group).
    std::vector<std::pair<double, double>> testWhiskers() const;

private:
    // What the bars show: a run's last evaluation, or a seed group's mean and range.
    struct Shown {
        std::vector<std::string> names;
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
    // The class names under the bars (chart_style.h: fitClassNamesUnderBars).
    void nameClasses(const QString& lastName);
    QString lastName_;
    QSize fittedSize_;
};

} // namespace imblab::ui
