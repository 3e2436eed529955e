// Per-class error bars; see class_error_bars_chart.h.
#include "charts/class_error_bars_chart.h"

#include "charts/chart_style.h"

#include <algorithm>

namespace imblab::ui {

ClassErrorBarsChart::ClassErrorBarsChart(QWidget* parent) : QCustomPlot(parent) {
    styleChart(this);
    auto* group = new QCPBarsGroup(this);
    train_ = new QCPBars(xAxis, yAxis);
    train_->setName(QStringLiteral("train error"));
    train_->setBrush(QColor(0x56, 0xB4, 0xE9, 150));
    train_->setPen(Qt::NoPen);
    train_->setWidth(0.38);
    train_->setBarsGroup(group);
    test_ = new QCPBars(xAxis, yAxis);
    test_->setName(QStringLiteral("test error"));
    test_->setBrush(QColor(0x00, 0x72, 0xB2));
    test_->setPen(Qt::NoPen);
    test_->setWidth(0.38);
    test_->setBarsGroup(group);
    whiskers_ = new QCPErrorBars(xAxis, yAxis);
    whiskers_->setDataPlottable(test_);
    whiskers_->setErrorType(QCPErrorBars::etValueError);
    whiskers_->setPen(QPen(Qt::black, 1.2));
    whiskers_->setWhiskerWidth(6);
    whiskers_->removeFromLegend();
    balanced_ = new QCPItemStraightLine(this);
    balanced_->setPen(QPen(Qt::black, 1.5, Qt::DashLine));
    balanced_->setVisible(false);
    yAxis->setLabel(QStringLiteral("error"));
    showErrorRange(yAxis);
    xAxis->setTickLabelRotation(35);
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 7));
    // The legend in a row under the plot, side by side: inside, it covered the bars of a class.
    axisRect()->insetLayout()->take(legend);
    plotLayout()->addElement(1, 0, legend);
    plotLayout()->setRowStretchFactor(1, 0.001);
    legend->setFillOrder(QCPLegend::foColumnsFirst);
    legend->setBorderPen(Qt::NoPen);
    plotLayout()->insertRow(0);
    plotLayout()->addElement(0, 0, new QCPTextElement(this, QStringLiteral("Per-class error now (dashed: balanced)"),
                                                      QFont(font().family(), 9, QFont::Bold)));
    connect(this, &QCustomPlot::afterLayout, this, [this] { fitClassNamesUnderBars(this, lastName_, fittedSize_); });
}

void ClassErrorBarsChart::clearRun() {
    shownRun_ = shownEpoch_ = -1;
    own_ = group_ = Shown{};
    groupIds_.clear();
    train_->data()->clear();
    test_->data()->clear();
    whiskers_->data()->clear();
    test_->setName(QStringLiteral("test error"));
    balanced_->setVisible(false);
    replot(QCustomPlot::rpQueuedReplot);
}

void ClassErrorBarsChart::showRun(const RunRecord& run) {
    const MetricsReport* r = run.lastEpoch();
    if (r && run.id == shownRun_ && r->epoch == shownEpoch_) return;
    if (!groupIds_.empty() && std::find(groupIds_.begin(), groupIds_.end(), run.id) == groupIds_.end()) {
        groupIds_.clear();  // another run: its own bars, not a group it is not in
        group_ = Shown{};
    }
    shownRun_ = run.id;
    shownEpoch_ = r ? r->epoch : -1;
    if (!r) {
        clearRun();
        return;
    }
    own_ = Shown{};
    own_.names = run.info.classNames;
    own_.test = r->testErrorPerClass;
    for (size_t c = 0; c < own_.test.size(); ++c)
        own_.train.push_back(c < r->trainErrorPerClass.size() ? r->trainErrorPerClass[c] : 0.0);
    own_.balanced = r->balancedError;
    draw();
}

void ClassErrorBarsChart::setSeedGroup(const std::vector<const RunRecord*>& runs) {
    std::vector<int> ids;
    for (const RunRecord* run : runs)
        if (run->lastEpoch()) ids.push_back(run->id);
    if (ids.size() < 2) {
        if (groupIds_.empty()) return;
        groupIds_.clear();
        group_ = Shown{};
        draw();
        return;
    }
    Shown g;
    g.names = runs.front()->info.classNames;
    const size_t k = runs.front()->lastEpoch()->testErrorPerClass.size();
    g.test.assign(k, 0.0);
    g.train.assign(k, 0.0);
    g.low.assign(k, INFINITY);
    g.high.assign(k, -INFINITY);
    double n = 0;
    for (const RunRecord* run : runs) {
        const MetricsReport* r = run->lastEpoch();
        if (!r || r->testErrorPerClass.size() != k) continue;
        for (size_t c = 0; c < k; ++c) {
            const double e = r->testErrorPerClass[c];
            g.test[c] += e;
            g.train[c] += c < r->trainErrorPerClass.size() ? r->trainErrorPerClass[c] : 0.0;
            g.low[c] = std::min(g.low[c], e);
            g.high[c] = std::max(g.high[c], e);
        }
        g.balanced += r->balancedError;
        ++n;
    }
    for (size_t c = 0; c < k; ++c) {
        g.test[c] /= n;
        g.train[c] /= n;
    }
    g.balanced /= n;
    group_ = std::move(g);
    groupIds_ = std::move(ids);
    draw();
}

void ClassErrorBarsChart::draw() {
    const Shown& s = groupIds_.empty() ? own_ : group_;
    QVector<double> keys, trainErr, testErr, minus, plus;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const size_t k = s.test.size();
    for (size_t c = 0; c < k; ++c) {
        keys.push_back(double(c));
        testErr.push_back(s.test[c]);
        trainErr.push_back(s.train[c]);
        if (!s.low.empty()) {
            minus.push_back(s.test[c] - s.low[c]);
            plus.push_back(s.high[c] - s.test[c]);
        }
        if (k <= 20 && c < s.names.size()) ticker->addTick(double(c), QString::fromStdString(s.names[c]));
    }
    if (k <= 20) xAxis->setTicker(ticker);
    nameClasses(k <= 20 && k > 0 && k <= s.names.size() ? QString::fromStdString(s.names[k - 1]) : QString());
    train_->setData(keys, trainErr, true);
    test_->setData(keys, testErr, true);
    if (minus.isEmpty()) whiskers_->data()->clear();
    else whiskers_->setData(minus, plus);
    test_->setName(groupIds_.empty() ? QStringLiteral("test error")
                                     : tr("test error: mean of %1 seeds, whiskers min–max").arg(groupIds_.size()));
    train_->setName(groupIds_.empty() ? QStringLiteral("train error") : tr("train error: mean"));
    balanced_->point1->setCoords(0, s.balanced);
    balanced_->point2->setCoords(1, s.balanced);
    balanced_->setVisible(k > 0);
    xAxis->setRange(-0.7, double(k) - 0.3);
    replot(QCustomPlot::rpQueuedReplot);
}

void ClassErrorBarsChart::showClasses(const std::vector<std::string>& names) {
    clearRun();
    const size_t k = names.size();
    if (k == 0 || k > 20) return;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (size_t c = 0; c < k; ++c) ticker->addTick(double(c), QString::fromStdString(names[c]));
    xAxis->setTicker(ticker);
    nameClasses(QString::fromStdString(names[k - 1]));
    xAxis->setRange(-0.7, double(k) - 0.3);
    replot(QCustomPlot::rpQueuedReplot);
}

void ClassErrorBarsChart::nameClasses(const QString& lastName) {
    lastName_ = lastName;
    fittedSize_ = QSize();  // new names: slant them again at the next layout
    if (!lastName.isEmpty()) makeRoomForLastTickLabel(this, lastName);
}

QVector<double> ClassErrorBarsChart::testBars() const {
    QVector<double> out;
    for (auto it = test_->data()->constBegin(); it != test_->data()->constEnd(); ++it) out.push_back(it->value);
    return out;
}

QVector<double> ClassErrorBarsChart::trainBars() const {
    QVector<double> out;
    for (auto it = train_->data()->constBegin(); it != train_->data()->constEnd(); ++it) out.push_back(it->value);
    return out;
}

std::vector<std::pair<double, double>> ClassErrorBarsChart::testWhiskers() const {
    std::vector<std::pair<double, double>> out;
    const QVector<double> bars = testBars();
    for (int i = 0; i < whiskers_->dataCount() && i < bars.size(); ++i) {
        const QCPErrorBarsData& e = whiskers_->data()->at(i);
        out.emplace_back(bars[i] - e.errorMinus, bars[i] + e.errorPlus);
    }
    return out;
}

} // namespace imblab::ui
