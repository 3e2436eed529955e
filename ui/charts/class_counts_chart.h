// Bar chart of the per-class training counts (dataset panel): minority classes hatched,
// optional log scale, class name and count on hover.
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
    QString hoverText(int classIndex) const;   // the tooltip of a bar

private:
    QCPBars* frequent_;
    QCPBars* minority_;
    std::vector<std::string> names_;
    std::vector<int64_t> counts_;
    std::vector<bool> isMinority_;
    bool log_ = false;
    QString lastName_;  // the class names' slant: chart_style.h, fitClassNamesUnderBars
    QSize fittedSize_;
};

} // namespace imblab::ui
