// Error curves: the overlaid runs' balanced error, one curve per seed group (the mean with a
// min–max band when a group has several seeds); see error_curves_chart.h.
#include "charts/error_curves_chart.h"

#include "charts/chart_style.h"
#include "io/results_table.h"
#include "runs/seed_groups.h"

#include <algorithm>
#include <map>

namespace imblab::ui {

QColor ErrorCurvesChart::runColor(int index) {
    // Dark, muted colours none of the class palette uses: an overlay never reads as a class.
    static const QColor palette[] = {QColor(0, 0, 0), QColor(120, 120, 120), QColor(128, 64, 0), QColor(75, 0, 110),
                                     QColor(0, 90, 80), QColor(150, 0, 40)};
    return palette[index % 6];
}

QStringList ErrorCurvesChart::overlayNames() const {
    QStringList out;
    for (auto* g : overlayGraphs_) out << g->name();
    return out;
}

std::vector<QColor> ErrorCurvesChart::overlayColors() const {
    std::vector<QColor> out;
    for (auto* g : overlayGraphs_) out.push_back(g->pen().color());
    return out;
}

void ErrorCurvesChart::setOverlays(const std::vector<const RunRecord*>& runs) {
    for (QCPGraph* g : overlayGraphs_) removeGraph(g);
    for (auto [lower, upper] : overlayBands_)
        if (lower) removeGraph(lower), removeGraph(upper);
    overlayGraphs_.clear();
    overlayBands_.clear();
    static const QCPScatterStyle::ScatterShape shapes[] = {QCPScatterStyle::ssTriangle, QCPScatterStyle::ssSquare,
                                                           QCPScatterStyle::ssDiamond, QCPScatterStyle::ssTriangleInverted,
                                                           QCPScatterStyle::ssCrossSquare, QCPScatterStyle::ssStar};
    int i = 0;
    for (const auto& group : seedGroups(runs)) {
        const QColor colour = runColor(i);
        // Per evaluated epoch: the balanced errors of the group's runs that reached it.
        std::map<int, std::vector<double>> byEpoch;
        for (const RunRecord* run : group)
            for (const auto& r : run->epochReports) byEpoch[r.epoch + 1].push_back(r.balancedError);
        QVector<double> x, mean, lo, hi;
        for (const auto& [epoch, values] : byEpoch) {
            x.push_back(epoch);
            double sum = 0;
            for (double v : values) sum += v;
            mean.push_back(sum / double(values.size()));
            lo.push_back(*std::min_element(values.begin(), values.end()));
            hi.push_back(*std::max_element(values.begin(), values.end()));
        }
        std::pair<QCPGraph*, QCPGraph*> band{nullptr, nullptr};
        if (group.size() > 1) {
            band = {addGraph(), addGraph()};
            for (QCPGraph* edge : {band.first, band.second}) {
                edge->setPen(Qt::NoPen);
                edge->removeFromLegend();
            }
            band.first->setData(x, lo, true);
            band.second->setData(x, hi, true);
            QColor fill = colour;
            fill.setAlpha(50);
            band.second->setBrush(fill);
            band.second->setChannelFillGraph(band.first);
        }
        auto* g = addGraph();
        if (group.size() == 1) {
            g->setName(tr("run %1 (balanced error)").arg(group.front()->title()));
        } else {
            QStringList ids;
            for (const RunRecord* run : group) ids << QStringLiteral("#%1").arg(run->id);
            g->setName(tr("runs %1 %2: mean of %3 seeds, band min–max (balanced error)")
                           .arg(ids.join(QStringLiteral(", ")), QString::fromStdString(resultRowFor(group.front()->config).label))
                           .arg(group.size()));
        }
        g->setPen(QPen(colour, 2.4, group.size() == 1 ? Qt::DashLine : Qt::SolidLine));
        g->setScatterStyle(QCPScatterStyle(shapes[i % 6], colour, Qt::white, 7));
        g->setData(x, mean, true);
        overlayGraphs_.push_back(g);
        overlayBands_.push_back(band);
        ++i;
    }
    fitToWidth(true);
    replot(QCustomPlot::rpQueuedReplot);
}

QVector<QPointF> ErrorCurvesChart::overlayCurve(int i) const {
    return i >= 0 && i < int(overlayGraphs_.size()) ? graphPoints(overlayGraphs_[size_t(i)]) : QVector<QPointF>{};
}

std::pair<QVector<QPointF>, QVector<QPointF>> ErrorCurvesChart::overlayBand(int i) const {
    if (i < 0 || i >= int(overlayBands_.size()) || !overlayBands_[size_t(i)].first) return {};
    return {graphPoints(overlayBands_[size_t(i)].first), graphPoints(overlayBands_[size_t(i)].second)};
}

} // namespace imblab::ui
