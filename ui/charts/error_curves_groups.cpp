// Error curves past 20 classes: the shot groups, the worst classes and the picked ones; see
// error_curves_chart.h.
#include "charts/error_curves_chart.h"

#include "charts/chart_style.h"

#include <algorithm>
#include <cmath>

namespace imblab::ui {

void ErrorCurvesChart::addShotGroupGraphs(const RunRecord& run) {
    const auto groups = classesByShotGroup(run.info.classCounts);
    for (int g = 0; g < kShotGroups; ++g) {
        ShotGroupGraphs& sg = shotGroups_[size_t(g)];
        sg.classes = groups[size_t(g)];
        if (sg.classes.empty()) continue;  // no class in the group: no curve, no legend entry
        const QColor color = shotGroupColor(ShotGroup(g));
        sg.low = addGraph();
        sg.high = addGraph();
        for (QCPGraph* edge : {sg.low, sg.high}) {
            edge->setPen(Qt::NoPen);
            edge->removeFromLegend();
        }
        QColor fill = color;
        fill.setAlpha(45);
        sg.high->setBrush(fill);
        sg.high->setChannelFillGraph(sg.low);
        sg.mean = addGraph();
        sg.mean->setName(shotGroupName(ShotGroup(g), sg.classes.size()));
        sg.mean->setPen(QPen(color, 2.6));
        sg.train = addGraph();
        sg.train->setName(QString());
        sg.train->setPen(QPen(color, 1.2, Qt::DotLine));
        sg.train->removeFromLegend();
    }
}

void ErrorCurvesChart::addShotGroupPoint(double x, const std::vector<double>& perClass) {
    if (!manyClasses_) return;
    for (ShotGroupGraphs& sg : shotGroups_) {
        if (!sg.mean) continue;
        double sum = 0;
        int n = 0;
        for (int c : sg.classes)
            if (size_t(c) < perClass.size() && !std::isnan(perClass[size_t(c)])) {
                sum += perClass[size_t(c)];
                ++n;
            }
        if (n == 0) continue;
        sg.mean->addData(x, sum / n);
        sg.low->addData(x, quantileOver(perClass, sg.classes, 0.25));
        sg.high->addData(x, quantileOver(perClass, sg.classes, 0.75));
    }
}

void ErrorCurvesChart::addShotGroupTrainPoint(double x, const MetricsReport& r) {
    if (!manyClasses_) return;
    for (int g = 0; g < kShotGroups; ++g) {
        ShotGroupGraphs& sg = shotGroups_[size_t(g)];
        if (!sg.train) continue;
        double mean = r.trainErrorByGroup[size_t(g)];
        if (std::isnan(mean) && !r.trainErrorPerClass.empty()) {  // a report read from an older file
            double sum = 0;
            int n = 0;
            for (int c : sg.classes)
                if (size_t(c) < r.trainErrorPerClass.size() && !std::isnan(r.trainErrorPerClass[size_t(c)])) {
                    sum += r.trainErrorPerClass[size_t(c)];
                    ++n;
                }
            if (n > 0) mean = sum / n;
        }
        if (std::isfinite(mean)) sg.train->addData(x, mean);
    }
}

void ErrorCurvesChart::setPickedClasses(const std::vector<int>& classes) {
    picked_.clear();
    for (int c : classes)
        if (c >= 0 && std::find(picked_.begin(), picked_.end(), c) == picked_.end() && int(picked_.size()) < kPickedClassesMax)
            picked_.push_back(c);
    focus_.clear();  // the next showRun draws the focus curves anew (a picked one is named so)
    focusEpoch_ = -1;
}

void ErrorCurvesChart::redrawFocus(const RunRecord& run) {
    const MetricsReport* last = run.lastEpoch();
    const int k = int(run.info.classNames.size());
    std::vector<int> focus = last ? highestClasses(last->testErrorPerClass, kWorstClassesDrawn) : std::vector<int>{};
    const size_t worst = focus.size();
    for (int c : picked_)
        if (c < k && std::find(focus.begin(), focus.end(), c) == focus.end()) focus.push_back(c);
    // Their points change with every evaluation (a new one, a mid-epoch test), not with a progress
    // report: rebuilt from the reports when an evaluation came, a few classes × the evaluations.
    const int stamp = int(run.epochReports.size() + size_t(std::count_if(run.stepReports.begin(), run.stepReports.end(),
                                                                          [](const MetricsReport& r) { return r.midEpochTest; })));
    if (focus == focus_ && stamp == focusEpoch_) return;
    const bool sameClasses = focus == focus_;
    focusEpoch_ = stamp;
    if (!sameClasses) {  // new curves and legend entries
        for (QCPGraph* g : focusGraphs_) removeGraph(g);
        focusGraphs_.clear();
        focus_ = focus;
        for (size_t i = 0; i < focus_.size(); ++i) {
            const int c = focus_[i];
            const bool picked = std::find(picked_.begin(), picked_.end(), c) != picked_.end();
            auto* g = addGraph();
            const QString name = QString::fromStdString(run.info.classNames[size_t(c)]);
            const int64_t n = size_t(c) < run.info.classCounts.size() ? run.info.classCounts[size_t(c)] : 0;
            g->setName((i < worst ? (picked ? tr("worst, picked: %1 (n=%2)") : tr("worst: %1 (n=%2)"))
                                  : tr("picked: %1 (n=%2)"))
                           .arg(name)
                           .arg(n));
            g->setPen(QPen(classColor(c), picked ? 2.2 : 1.3));
            if (picked) g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, classColor(c), Qt::white, 6));
            focusGraphs_.push_back(g);
        }
        fitToWidth(true);
    }
    for (size_t i = 0; i < focus_.size(); ++i) {
        const auto c = size_t(focus_[i]);
        QCPGraph* g = focusGraphs_[i];
        g->data()->clear();
        for (const MetricsReport& r : run.epochReports)
            if (c < r.testErrorPerClass.size() && std::isfinite(r.testErrorPerClass[c])) g->addData(r.epoch + 1, r.testErrorPerClass[c]);
        for (const MetricsReport& r : run.stepReports)
            if (r.midEpochTest && c < r.testErrorPerClass.size() && std::isfinite(r.testErrorPerClass[c]))
                g->addData(r.epochProgress, r.testErrorPerClass[c]);
    }
}

std::vector<QCPAbstractPlottable*> ErrorCurvesChart::shotGroupLegendEntries() const {
    std::vector<QCPAbstractPlottable*> out;
    for (const ShotGroupGraphs& sg : shotGroups_)
        if (sg.mean) out.push_back(sg.mean);
    for (QCPGraph* g : focusGraphs_) out.push_back(g);
    return out;
}

QVector<QPointF> ErrorCurvesChart::shotGroupCurve(ShotGroup g) const { return graphPoints(shotGroups_[size_t(g)].mean); }
QVector<QPointF> ErrorCurvesChart::shotGroupTrainCurve(ShotGroup g) const { return graphPoints(shotGroups_[size_t(g)].train); }
std::pair<QVector<QPointF>, QVector<QPointF>> ErrorCurvesChart::shotGroupBand(ShotGroup g) const {
    const ShotGroupGraphs& sg = shotGroups_[size_t(g)];
    return {graphPoints(sg.low), graphPoints(sg.high)};
}

QVector<QPointF> ErrorCurvesChart::focusCurve(int c) const {
    const auto it = std::find(focus_.begin(), focus_.end(), c);
    return it == focus_.end() ? QVector<QPointF>{} : graphPoints(focusGraphs_[size_t(it - focus_.begin())]);
}

QString ErrorCurvesChart::focusName(int c) const {
    const auto it = std::find(focus_.begin(), focus_.end(), c);
    return it == focus_.end() ? QString() : focusGraphs_[size_t(it - focus_.begin())]->name();
}

} // namespace imblab::ui
