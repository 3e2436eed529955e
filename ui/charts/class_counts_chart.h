// Bar chart of the per-class training counts (dataset panel): minority classes hatched,
// optional log scale, class name and count on hover. Past 20 classes the bars stand in count
// order, most first (charts/many_classes.h).
#pragma once

#include "charts/qcustomplot_include.h"

#include <string>
#include <vector>

namespace imblab::ui {

class ClassCountsChart : public QCustomPlot {
    Q_OBJECT
public:
    explicit ClassCountsChart(QWidget* parent = nullptr);
    void setCounts(const std::vector<std::string>& names, const std::vector<int64_t>& counts,
                   const std::vector<bool>& minority);
    void setLogScale(bool on);
    bool logScale() const { return log_; }

    QVector<double> displayedCounts() const;   // what the bars show, class by class
    QVector<bool> displayedMinority() const;
    // The tooltip of the bar at a position: class i's up to 20 classes, past that the i-th largest.
    QString hoverText(int position) const;
    int barClass(int position) const { return position >= 0 && size_t(position) < order_.size() ? order_[size_t(position)] : -1; }

private:
    QCPBars* frequent_;
    QCPBars* minority_;
    std::vector<std::string> names_;
    std::vector<int64_t> counts_;
    std::vector<bool> isMinority_;
    std::vector<int> order_;  // class at each bar position
    bool log_ = false;
    QString lastName_;  // the class names' slant: chart_style.h, fitClassNamesUnderBars
    QSize fittedSize_;
};

} // namespace imblab::ui
