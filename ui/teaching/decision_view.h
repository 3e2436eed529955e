// The teaching mode's decision view on 2-D data: decision regions (argmax over a grid) as a
// colour map and the model's boundary as a line; the other side's boundary dashed and the
// Bayes-optimal boundary for the balanced test distribution dotted, so a shift shows without
// reading a number; the training points (minority points larger) and, for each class, its point
// of minimum margin γ_j ringed, labelled beside it (never on top of points) with a leader line.
// γ is the signed distance to the boundary in the input plane: one scale for every model.
// Before a run the view shows the points and a hint.
#pragma once

#include "charts/qcustomplot_include.h"
#include "api/decision_grid.h"

#include <QRectF>

#include <string>
#include <vector>

namespace imblab::ui {

class DecisionView : public QCustomPlot {
    Q_OBJECT
public:
    explicit DecisionView(QWidget* parent = nullptr);
    // Training points (x, y pairs), their labels, per-class counts and names. Clears the model's
    // regions and lines (the empty state) until the next setGrid.
    void setPoints(const std::vector<float>& xy, const std::vector<int64_t>& labels, const std::vector<int64_t>& counts,
                   const std::vector<std::string>& names);
    void setGrid(const DecisionGrid& grid);
    // The other side's boundary at the same moment (dashed), named in the legend; null clears it.
    void setOtherBoundary(const DecisionGrid* grid, const QString& name);
    // The Bayes-optimal classes over a grid (teaching/boundary_geometry.h), drawn dotted.
    void setIdealBoundary(const DecisionGrid& grid);
    // Back to the empty state: no regions, lines or margins; `hint` centred over the points.
    void clearModel(const QString& hint);
    void setTitle(const QString& title);
    // 1 on a desk, about 1.8 on a projector: fonts, points, rings and lines grow together.
    void setPresentationScale(double scale);

    // For tests: how many grid cells each class owns, the minimum margin shown per class, the
    // hint shown (empty once a grid is shown), and where labels and points are on screen.
    std::vector<int> regionCells() const;
    std::vector<double> shownClassMargins() const { return classMargins_; }
    int boundarySegments() const;
    int otherBoundarySegments() const;
    int idealBoundarySegments() const;
    QString hint() const;
    QString title() const;
    std::vector<QRectF> labelRects() const;
    std::vector<QPointF> pointPixels() const;
    double presentationScale() const { return scale_; }

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    struct MarginLabel {
        size_t point;
        int cls;
        QString text;
        QPointF offset;  // the label's centre from its point, in pixels (follows pans and zooms)
        QCPItemTracer* ring = nullptr;
        QCPItemLine* leader = nullptr;
        QCPItemText* label = nullptr;
    };
    void restyle();
    void clearLabels();
    void placeLabels();
    std::vector<QCPCurve*> drawBoundary(const DecisionGrid& grid, std::vector<QCPCurve*> old, const QPen& pen,
                                        const QString& legendName);

    QCPColorMap* regions_;
    std::vector<QCPCurve*> boundary_, other_, ideal_;
    QString otherName_;
    std::vector<QCPGraph*> pointGraphs_;
    std::vector<bool> minority_;
    std::vector<MarginLabel> labels_;
    QCPTextElement* title_;
    QCPItemText* hint_;
    QCPLayoutGrid* legendRow_;
    std::vector<float> xy_;
    std::vector<int64_t> pointLabels_;
    std::vector<std::string> names_;
    std::vector<double> classMargins_;
    std::vector<int> cells_;
    double scale_ = 1.0;
};

} // namespace imblab::ui
