// The paper's Figure 2: per-class train and test error bars at the current epoch, with the
// balanced error as a dashed line.
#pragma once

#include "runs/run_record.h"

#include "charts/qcustomplot_include.h"

namespace imblab::ui {

class ClassErrorBarsChart : public QCustomPlot {
    Q_OBJECT
public:
    explicit ClassErrorBarsChart(QWidget* parent = nullptr);
    void showRun(const RunRecord& run);
    void clearRun();
    // Before a run: the dataset's classes along the axis, no bars.
    void showClasses(const std::vector<std::string>& names);
    QVector<double> testBars() const;

private:
    int shownRun_ = -1, shownEpoch_ = -1;  // skip redraws when nothing new was evaluated
    QCPBars* train_;
    QCPBars* test_;
    QCPItemStraightLine* balanced_;
    // The class names under the bars (chart_style.h: fitClassNamesUnderBars).
    void nameClasses(const QString& lastName);
    QString lastName_;
    QSize fittedSize_;
};

} // namespace imblab::ui
