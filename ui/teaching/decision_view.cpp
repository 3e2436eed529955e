// Decision view; see decision_view.h.
#include "teaching/decision_view.h"

#include "charts/chart_style.h"
#include "data/imbalance_profile.h"
#include "teaching/boundary_geometry.h"

#include <QFontMetricsF>

#include <cmath>
#include <limits>

namespace imblab::ui {
namespace {

const QColor kOwnBoundary(25, 25, 25);
const QColor kOtherBoundary(120, 30, 140);
const QColor kIdealBoundary(0, 0, 0);

int segmentCount(const std::vector<QCPCurve*>& curves) {
    int n = 0;
    for (auto* c : curves) n += std::max(0, c->dataCount() - 1);
    return n;
}

} // namespace

DecisionView::DecisionView(QWidget* parent) : QCustomPlot(parent) {
    styleChart(this, {false, false});
    // Regions under the boundary lines, the lines under the points, the γ labels above all.
    addLayer("regions", layer("background"), QCustomPlot::limAbove);
    addLayer("boundaries", layer("regions"), QCustomPlot::limAbove);
    addLayer("labels", layer("main"), QCustomPlot::limAbove);
    regions_ = new QCPColorMap(xAxis, yAxis);
    regions_->setLayer("regions");
    regions_->setInterpolate(false);
    regions_->removeFromLegend();
    plotLayout()->insertRow(0);
    title_ = new QCPTextElement(this, QString(), QFont(font().family(), 10, QFont::Bold));
    plotLayout()->addElement(0, 0, title_);
    // The legend sits in its own row under the plot: it never covers a point or a region.
    legendRow_ = new QCPLayoutGrid;
    plotLayout()->addElement(2, 0, legendRow_);
    axisRect()->insetLayout()->take(legend);
    legendRow_->addElement(0, 0, legend);
    legendRow_->setMargins(QMargins(0, 0, 0, 4));
    legend->setFillOrder(QCPLegend::foColumnsFirst);
    legend->setWrap(3);
    legend->setBorderPen(Qt::NoPen);
    legend->setVisible(true);
    plotLayout()->setRowStretchFactor(2, 0.001);
    hint_ = new QCPItemText(this);
    hint_->setLayer("labels");
    hint_->position->setType(QCPItemPosition::ptAxisRectRatio);
    hint_->position->setCoords(0.5, 0.06);
    hint_->setPositionAlignment(Qt::AlignTop | Qt::AlignHCenter);
    hint_->setBrush(QColor(255, 255, 255, 225));
    hint_->setPen(QPen(QColor(150, 150, 150)));
    hint_->setPadding(QMargins(8, 4, 8, 4));
    hint_->setVisible(false);
    xAxis->setRange(-4, 4);
    yAxis->setRange(-4, 4);
    setMinimumSize(260, 260);
    restyle();
}

void DecisionView::setTitle(const QString& title) {
    title_->setText(title);
    replot(QCustomPlot::rpQueuedReplot);
}

QString DecisionView::title() const { return title_->text(); }

void DecisionView::setPoints(const std::vector<float>& xy, const std::vector<int64_t>& labels,
                             const std::vector<int64_t>& counts, const std::vector<std::string>& names) {
    xy_ = xy;
    pointLabels_ = labels;
    names_ = names;
    for (auto* g : pointGraphs_) removeGraph(g);
    pointGraphs_.clear();
    minority_ = minorityClasses(counts);
    for (size_t c = 0; c < counts.size(); ++c) {
        QVector<double> x, y;
        for (size_t i = 0; i < labels.size(); ++i)
            if (labels[i] == int64_t(c)) {
                x.push_back(xy[2 * i]);
                y.push_back(xy[2 * i + 1]);
            }
        auto* g = addGraph();
        g->setLineStyle(QCPGraph::lsNone);
        g->setName(QStringLiteral("%1 (n=%2)").arg(QString::fromStdString(names[c])).arg(counts[c]));
        g->setData(x, y);
        pointGraphs_.push_back(g);
    }
    double lo = std::numeric_limits<double>::max(), hi = -lo;
    for (float v : xy) lo = std::min(lo, double(v)), hi = std::max(hi, double(v));
    if (!xy.empty()) {
        xAxis->setRange(lo - 0.5, hi + 0.5);
        yAxis->setRange(lo - 0.5, hi + 0.5);
    }
    clearModel(hint_->text());
}

void DecisionView::clearModel(const QString& hint) {
    regions_->data()->clear();
    cells_.clear();
    boundary_ = drawBoundary({}, boundary_, QPen(), QString());
    other_ = drawBoundary({}, other_, QPen(), QString());
    clearLabels();
    classMargins_.clear();
    hint_->setText(hint);
    hint_->setVisible(!hint.isEmpty());
    restyle();
}

std::vector<QCPCurve*> DecisionView::drawBoundary(const DecisionGrid& grid, std::vector<QCPCurve*> old, const QPen& pen,
                                                  const QString& legendName) {
    for (auto* c : old) removePlottable(c);
    std::vector<QCPCurve*> curves;
    for (const Polyline& line : boundaryPolylines(grid)) {
        QVector<double> x, y;
        for (const auto& p : line) {
            x.push_back(p[0]);
            y.push_back(p[1]);
        }
        auto* c = new QCPCurve(xAxis, yAxis);
        c->setLayer("boundaries");
        c->setData(x, y);
        c->setPen(pen);
        c->setBrush(Qt::NoBrush);
        c->setName(legendName);
        if (!curves.empty() || legendName.isEmpty()) c->removeFromLegend();
        curves.push_back(c);
    }
    return curves;
}

void DecisionView::setGrid(const DecisionGrid& g) {
    const int k = int(names_.size());
    if (g.classes.empty() || k < 2) return;
    regions_->data()->setSize(g.nx, g.ny);
    regions_->data()->setRange(QCPRange(g.x0, g.x1), QCPRange(g.y0, g.y1));
    QCPColorGradient gradient;
    gradient.clearColorStops();
    // Pale regions (a third of the class colour on white) keep the points and lines readable.
    for (int c = 0; c < k; ++c) {
        const QColor base = classColor(c);
        gradient.setColorStopAt(double(c) / (k - 1), QColor(255 - (255 - base.red()) / 3, 255 - (255 - base.green()) / 3,
                                                            255 - (255 - base.blue()) / 3));
    }
    gradient.setLevelCount(std::max(2, k));
    regions_->setGradient(gradient);
    regions_->setDataRange(QCPRange(0, k - 1));
    cells_.assign(size_t(k), 0);
    for (int j = 0; j < g.ny; ++j)
        for (int i = 0; i < g.nx; ++i) {
            const int c = g.classes[size_t(j) * size_t(g.nx) + size_t(i)];
            regions_->data()->setCell(i, j, c);
            if (c >= 0 && c < k) ++cells_[size_t(c)];
        }
    boundary_ = drawBoundary(g, boundary_, QPen(), title_->text().isEmpty() ? tr("boundary") : tr("%1's boundary").arg(title_->text()));
    hint_->setVisible(false);

    clearLabels();
    classMargins_.assign(size_t(k), std::nan(""));
    // γ on one scale for both sides: the distance to the boundary in the input plane.
    const std::vector<double>& margins = g.pointDistances.size() == pointLabels_.size() ? g.pointDistances : g.pointMargins;
    if (margins.size() == pointLabels_.size()) {
        std::vector<size_t> argmin(size_t(k), SIZE_MAX);
        for (size_t i = 0; i < pointLabels_.size(); ++i) {
            const size_t c = size_t(pointLabels_[i]);
            if (c < argmin.size() && (argmin[c] == SIZE_MAX || margins[i] < margins[argmin[c]])) argmin[c] = i;
        }
        for (int c = 0; c < k; ++c) {
            // Without a boundary in view (one class predicted everywhere) there is no margin.
            if (argmin[size_t(c)] == SIZE_MAX || !std::isfinite(margins[argmin[size_t(c)]])) continue;
            const size_t i = argmin[size_t(c)];
            classMargins_[size_t(c)] = margins[i];
            // One decimal: the traced boundary is exact to half a grid cell (about 0.05 here).
            MarginLabel m{i, c, QStringLiteral("γ_%1 = %2").arg(QString::fromStdString(names_[size_t(c)])).arg(margins[i], 0, 'f', 1), {}};
            m.ring = new QCPItemTracer(this);
            m.ring->setLayer("labels");
            m.ring->position->setCoords(xy_[2 * i], xy_[2 * i + 1]);
            m.ring->setStyle(QCPItemTracer::tsCircle);
            m.ring->setBrush(Qt::NoBrush);
            // Label and leader hang off the ring in pixels, so they stay beside the point when
            // the view is panned, zoomed or exported at another size.
            m.leader = new QCPItemLine(this);
            m.leader->setLayer("labels");
            for (QCPItemPosition* end : {m.leader->start, m.leader->end}) {
                end->setType(QCPItemPosition::ptAbsolute);
                end->setParentAnchor(m.ring->position);
            }
            m.label = new QCPItemText(this);
            m.label->setLayer("labels");
            m.label->position->setType(QCPItemPosition::ptAbsolute);
            m.label->position->setParentAnchor(m.ring->position);
            m.label->setPositionAlignment(Qt::AlignCenter);
            m.label->setText(m.text);
            // A halo: dark text on a light box reads on every region colour.
            m.label->setBrush(QColor(255, 255, 255, 230));
            m.label->setPen(QPen(classColor(c).darker(130)));
            m.label->setColor(classColor(c).darker(200));
            labels_.push_back(m);
        }
    }
    restyle();
}

void DecisionView::setOtherBoundary(const DecisionGrid* grid, const QString& name) {
    otherName_ = name;
    other_ = drawBoundary(grid ? *grid : DecisionGrid{}, other_, QPen(), name.isEmpty() ? QString() : tr("%1's boundary").arg(name));
    restyle();
}

void DecisionView::setIdealBoundary(const DecisionGrid& grid) {
    ideal_ = drawBoundary(grid, ideal_, QPen(), tr("ideal (Bayes, balanced test)"));
    restyle();
}

void DecisionView::clearLabels() {
    for (auto& m : labels_) {
        removeItem(m.ring);
        removeItem(m.leader);
        removeItem(m.label);
    }
    labels_.clear();
}

void DecisionView::setPresentationScale(double scale) {
    scale_ = scale;
    restyle();
}

// Every size-dependent style from the base sizes times the scale, so switching back and forth
// never accumulates.
void DecisionView::restyle() {
    const double s = scale_;
    QFont f = font();
    f.setPointSizeF(9 * s);
    for (QCPAxis* axis : axisRect()->axes()) {
        axis->setTickLabelFont(f);
        axis->setLabelFont(f);
        axis->setBasePen(QPen(Qt::black, s));
        axis->setTickPen(QPen(Qt::black, s));
    }
    legend->setFont(f);
    QFont tf = f;
    tf.setPointSizeF(10 * s);
    tf.setBold(true);
    title_->setFont(tf);
    QFont hf = f;
    hf.setPointSizeF(10 * s);
    hint_->setFont(hf);
    for (size_t c = 0; c < pointGraphs_.size(); ++c) {
        const bool minor = c < minority_.size() && minority_[c];
        pointGraphs_[c]->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::black, (minor ? 1.2 : 0.4) * s),
                                                         classColor(int(c)), (minor ? 9 : 4) * s));
    }
    for (auto* c : boundary_) c->setPen(QPen(kOwnBoundary, 2.2 * s));
    for (auto* c : other_) c->setPen(QPen(kOtherBoundary, 1.8 * s, Qt::DashLine));
    for (auto* c : ideal_) c->setPen(QPen(kIdealBoundary, 1.6 * s, Qt::DotLine));
    QFont lf = f;
    lf.setPointSizeF(9 * s);
    lf.setBold(true);
    for (auto& m : labels_) {
        m.ring->setSize(18 * s);
        m.ring->setPen(QPen(classColor(m.cls).darker(140), 2.5 * s));
        m.leader->setPen(QPen(classColor(m.cls).darker(150), 1.2 * s));
        m.label->setFont(lf);
        m.label->setPadding(QMargins(int(4 * s), int(2 * s), int(4 * s), int(2 * s)));
    }
    placeLabels();
    replot(QCustomPlot::rpQueuedReplot);
}

void DecisionView::resizeEvent(QResizeEvent* event) {
    QCustomPlot::resizeEvent(event);
    placeLabels();
    replot(QCustomPlot::rpQueuedReplot);
}

// Each γ label goes to the nearby spot (8 directions, two distances) that covers the fewest
// points, stays inside the plot and clear of the other labels and rings.
void DecisionView::placeLabels() {
    if (labels_.empty()) return;
    updateLayout();  // the axis rect's current geometry, for coordToPixel
    const QRectF area = axisRect()->rect();
    std::vector<QPointF> pts = pointPixels();
    std::vector<QRectF> placed, rings;
    const double ringR = 9 * scale_ + 2;
    for (const auto& m : labels_) {
        const QPointF p(xAxis->coordToPixel(xy_[2 * m.point]), yAxis->coordToPixel(xy_[2 * m.point + 1]));
        rings.push_back(QRectF(p.x() - ringR, p.y() - ringR, 2 * ringR, 2 * ringR));
    }
    static const double dirs[8][2] = {{1, -1}, {-1, -1}, {1, 1}, {-1, 1}, {1, 0}, {-1, 0}, {0, -1}, {0, 1}};
    for (size_t li = 0; li < labels_.size(); ++li) {
        MarginLabel& m = labels_[li];
        QFontMetricsF fm(m.label->font());
        const QRectF text = fm.boundingRect(m.text);
        const double w = text.width() + 8 * scale_ + 2, h = text.height() + 4 * scale_ + 2;
        const QPointF p = rings[li].center();
        double bestScore = std::numeric_limits<double>::max();
        QRectF best;
        for (double r : {ringR + 10 * scale_, ringR + 34 * scale_})
            for (const auto& d : dirs) {
                const QPointF centre(p.x() + d[0] * (r + w / 2), p.y() + d[1] * (r + h / 2));
                const QRectF rect(centre.x() - w / 2, centre.y() - h / 2, w, h);
                double score = r > ringR + 20 * scale_ ? 0.5 : 0.0;  // nearer is better, all else equal
                if (!area.contains(rect)) score += 1e6;
                for (const QRectF& other : placed)
                    if (other.intersects(rect)) score += 1e4;
                for (const QRectF& ring : rings)
                    if (ring.intersects(rect)) score += 100;
                for (size_t i = 0; i < pts.size(); ++i) {
                    const double rad = (pointLabels_[i] < int64_t(minority_.size()) && minority_[size_t(pointLabels_[i])] ? 4.5 : 2) * scale_;
                    if (rect.adjusted(-rad, -rad, rad, rad).contains(pts[i])) score += 1;
                }
                if (score < bestScore) bestScore = score, best = rect;
            }
        placed.push_back(best);
        m.offset = best.center() - p;
        m.label->position->setCoords(m.offset.x(), m.offset.y());
        // The leader starts at the ring's edge, not over the ringed point.
        const double len = std::hypot(m.offset.x(), m.offset.y());
        const QPointF edge = len > 0 ? m.offset * ((ringR - 2) / len) : QPointF();
        m.leader->start->setCoords(edge.x(), edge.y());
        m.leader->end->setCoords(m.offset.x(), m.offset.y());
    }
}

std::vector<int> DecisionView::regionCells() const { return cells_; }
int DecisionView::boundarySegments() const { return segmentCount(boundary_); }
int DecisionView::otherBoundarySegments() const { return segmentCount(other_); }
int DecisionView::idealBoundarySegments() const { return segmentCount(ideal_); }
QString DecisionView::hint() const { return hint_->visible() ? hint_->text() : QString(); }

std::vector<QRectF> DecisionView::labelRects() const {
    std::vector<QRectF> out;
    for (const auto& m : labels_) {
        QFontMetricsF fm(m.label->font());
        const QRectF text = fm.boundingRect(m.text);
        const double w = text.width() + 8 * scale_, h = text.height() + 4 * scale_;
        const QPointF c = QPointF(xAxis->coordToPixel(xy_[2 * m.point]), yAxis->coordToPixel(xy_[2 * m.point + 1])) + m.offset;
        out.push_back(QRectF(c.x() - w / 2, c.y() - h / 2, w, h));
    }
    return out;
}

std::vector<QPointF> DecisionView::pointPixels() const {
    std::vector<QPointF> out;
    for (size_t i = 0; i + 1 < xy_.size(); i += 2)
        out.push_back(QPointF(xAxis->coordToPixel(xy_[i]), yAxis->coordToPixel(xy_[i + 1])));
    return out;
}

} // namespace imblab::ui
