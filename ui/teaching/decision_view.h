// The teaching mode's decision view on 2-D data: decision regions (argmax over a grid) as a
// colour map, the boundaries, the training points (minority points larger) and, for each class,
// its point of minimum margin γ_j ringed and labelled.
#pragma once

#include "charts/qcustomplot_include.h"
#include "api/decision_grid.h"

#include <string>
#include <vector>

namespace imblab::ui {

class DecisionView : public QCustomPlot {
    Q_OBJECT
public:
    explicit DecisionView(QWidget* parent = nullptr);
    // Training points (x, y pairs), their labels, per-class counts and names.
    void setPoints(const std::vector<float>& xy, const std::vector<int64_t>& labels, const std::vector<int64_t>& counts,
                   const std::vector<std::string>& names);
    void setGrid(const DecisionGrid& grid);
    void setTitle(const QString& title);

    // For tests: how many grid cells each class owns, and the minimum margin shown per class.
    std::vector<int> regionCells() const;
    std::vector<double> shownClassMargins() const { return classMargins_; }
    int boundaryCells() const { return boundaryCount_; }

private:
    QCPColorMap* regions_;
    QCPGraph* boundary_;
    std::vector<QCPGraph*> pointGraphs_;
    std::vector<QCPItemTracer*> rings_;
    std::vector<QCPItemText*> ringLabels_;
    QCPTextElement* title_;
    std::vector<float> xy_;
    std::vector<int64_t> labels_;
    std::vector<std::string> names_;
    std::vector<double> classMargins_;
    std::vector<int> cells_;
    int boundaryCount_ = 0;
};

} // namespace imblab::ui
