// Per-class error bars; see class_error_bars_chart.h.
#include "charts/class_error_bars_chart.h"

#include "charts/chart_style.h"
#include "charts/many_classes.h"

#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace imblab::ui {

ClassErrorBarsChart::ClassErrorBarsChart(QWidget* parent) : QCustomPlot(parent) {
    ChartOptions options;
    options.hoverValues = false;  // its own hover names the class (below)
    styleChart(this, options);
    axisRect()->setRangeDrag(Qt::Horizontal);  // the error axis stays 0–1
    axisRect()->setRangeZoom(Qt::Horizontal);
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
    picked_ = new QCPBars(xAxis, yAxis);
    picked_->setName(QStringLiteral("followed"));
    picked_->setBrush(QColor(0xE6, 0x9F, 0x00));
    picked_->setPen(Qt::NoPen);
    picked_->setWidth(0.38);
    picked_->removeFromLegend();  // in the bars group only while it has bars of single classes (drawVisible)
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
    connect(this, &QCustomPlot::afterLayout, this, [this] {
        fitClassNamesUnderBars(this, lastName_, fittedSize_);
        if (!drawsEveryClass(int(order_.size()))) fitXAxisLabel(this, tr("classes, most to fewest training examples"));
        const int room = axisRect()->width() > 60 ? std::clamp(axisRect()->width() / 3, 20, kBarsUpTo) : kBarsUpTo;
        if (!rankTest_.isEmpty() && room != maxBars_) drawVisible();  // resized: as many bars as fit
        fitGroupMarks();
    });
    connect(xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] { drawVisible(); });
    // A double-click shows every class again, on the 0–1 error axis (the shared reset would fit
    // the axes to the bars drawn, which zoomed in are the visible range's only).
    connect(this, &QCustomPlot::mouseDoubleClick, this, [this](QMouseEvent*) {
        showErrorRange(yAxis);
        xAxis->setRange(-0.7, double(rankTest_.size()) - 0.3);
    });
    connect(this, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
        if (e->buttons() != Qt::NoButton) return;  // panning
        const QString text = barText(barAt(e->pos()));
        if (text.isEmpty()) QToolTip::hideText();
        else QToolTip::showText(e->globalPosition().toPoint(), text, this);
    });
}

int ClassErrorBarsChart::barAt(const QPoint& pos) const {
    if (order_.empty() || !axisRect()->rect().contains(pos)) return -1;
    const int i = int(std::lround(xAxis->pixelToCoord(pos.x())));
    return i >= 0 && i < int(order_.size()) ? i : -1;
}

QString ClassErrorBarsChart::barText(int position) const {
    if (position < 0 || position >= int(order_.size())) return {};
    const Shown& s = groupIds_.empty() ? own_ : group_;
    const auto c = size_t(order_[size_t(position)]);
    if (c >= s.test.size()) return {};
    const QString name = c < s.names.size() ? QString::fromStdString(s.names[c]) : QString::number(c);
    QString text = c < s.counts.size() ? tr("%1 (class %2, n=%3)").arg(name).arg(c).arg(s.counts[c]) : name;
    text += tr("\ntest error %1 %").arg(100 * s.test[c], 0, 'f', 1);
    if (!s.low.empty()) text += tr(" (seeds %1–%2 %)").arg(100 * s.low[c], 0, 'f', 1).arg(100 * s.high[c], 0, 'f', 1);
    if (c < s.train.size()) text += tr("\ntrain error %1 %").arg(100 * s.train[c], 0, 'f', 1);
    if (perBar_ > 1) {  // the bar under the pointer is a run of classes: say which, and its mean
        const QCPRange range = xAxis->range();
        const int lo = std::clamp(int(std::ceil(range.lower)), 0, int(order_.size()));
        const int first = lo + (position - lo) / perBar_ * perBar_, last = std::min(first + perBar_, int(order_.size())) - 1;
        for (auto it = test_->data()->constBegin(); it != test_->data()->constEnd(); ++it)
            if (std::abs(it->key - (first + last) / 2.0) < 0.01)
                text += tr("\nits bar: classes ranked %1–%2, mean test error %3 % (zoom in for single classes)")
                            .arg(first)
                            .arg(last)
                            .arg(100 * it->value, 0, 'f', 1);
    }
    return text;
}

void ClassErrorBarsChart::setPickedClasses(const std::vector<int>& classes) {
    pickedClasses_ = classes;
    draw();
}

QVector<double> ClassErrorBarsChart::pickedBars() const {
    QVector<double> out;
    for (auto it = picked_->data()->constBegin(); it != picked_->data()->constEnd(); ++it) out.push_back(it->value);
    return out;
}


QStringList ClassErrorBarsChart::groupMarks() const {
    QStringList out;  // as shown: in full, the first word, or empty where the span has no room
    for (QCPAbstractItem* item : groupItems_)
        if (auto* text = qobject_cast<QCPItemText*>(item)) out << text->text();
    return out;
}

// A group's mark in full where its span has room, else its first word ("few-shot"), else none.
void ClassErrorBarsChart::fitGroupMarks() {
    const QFontMetrics metrics(QFont(font().family(), 7));
    const double perClass = std::abs(xAxis->coordToPixel(1) - xAxis->coordToPixel(0));
    for (QCPAbstractItem* item : groupItems_) {
        auto* text = qobject_cast<QCPItemText*>(item);
        if (!text) continue;
        const QString full = text->property("full").toString().isEmpty() ? text->text() : text->property("full").toString();
        text->setProperty("full", full);
        const double room = perClass * text->property("span").toInt();
        const QString brief = full.section(' ', 0, 0);
        const QString shown = metrics.horizontalAdvance(full) + 4 <= room ? full
                              : metrics.horizontalAdvance(brief) + 4 <= room ? brief : QString();
        if (shown != text->text()) {
            text->setText(shown);
            replot(QCustomPlot::rpQueuedReplot);
        }
    }
}

// The shot groups are contiguous in count order: a separator where one ends, its name above.
void ClassErrorBarsChart::markShotGroups(const Shown& s) {
    for (QCPAbstractItem* item : groupItems_) removeItem(item);
    groupItems_.clear();
    if (drawsEveryClass(int(s.test.size())) || s.counts.size() != s.test.size()) return;
    int begin = 0;
    const int k = int(order_.size());
    while (begin < k) {
        const ShotGroup g = shotGroupOf(s.counts[size_t(order_[size_t(begin)])]);
        int end = begin;
        while (end < k && shotGroupOf(s.counts[size_t(order_[size_t(end)])]) == g) ++end;
        auto* label = new QCPItemText(this);
        label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        label->position->setCoords((begin + end - 1) / 2.0, 0.0);
        label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignTop);
        label->setText(QString::fromUtf8(shotGroupLabel(g)));
        label->setProperty("span", end - begin);
        label->setColor(shotGroupColor(g));
        label->setFont(QFont(font().family(), 7));
        label->setClipToAxisRect(true);
        groupItems_.push_back(label);
        if (end < k) {
            auto* line = new QCPItemStraightLine(this);
            line->point1->setCoords(end - 0.5, 0);
            line->point2->setCoords(end - 0.5, 1);
            line->setPen(QPen(QColor(120, 120, 120), 1, Qt::DashLine));
            groupItems_.push_back(line);
        }
        begin = end;
    }
}

void ClassErrorBarsChart::clearRun() {
    shownRun_ = shownEpoch_ = -1;
    own_ = group_ = Shown{};
    groupIds_.clear();
    train_->data()->clear();
    test_->data()->clear();
    whiskers_->data()->clear();
    picked_->data()->clear();
    order_.clear();
    rankTest_.clear();
    rankTrain_.clear();
    rankMinus_.clear();
    rankPlus_.clear();
    for (QCPAbstractItem* item : groupItems_) removeItem(item);
    groupItems_.clear();
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
    own_.counts = run.info.classCounts;
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
    g.counts = runs.front()->info.classCounts;
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
    QVector<double> keys, trainErr, testErr, minus, plus, pickedKeys, pickedErr;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const size_t k = s.test.size();
    const bool everyClass = drawsEveryClass(int(k));
    if (everyClass || s.counts.size() != k) {
        order_.resize(k);
        for (size_t c = 0; c < k; ++c) order_[c] = int(c);
    } else {
        order_ = classesByCount(s.counts);
    }
    for (size_t i = 0; i < k; ++i) {
        const auto c = size_t(order_[i]);
        keys.push_back(double(i));
        testErr.push_back(s.test[c]);
        trainErr.push_back(s.train[c]);
        if (!s.low.empty()) {
            minus.push_back(s.test[c] - s.low[c]);
            plus.push_back(s.high[c] - s.test[c]);
        }
        if (everyClass && c < s.names.size()) ticker->addTick(double(i), QString::fromStdString(s.names[c]));
        if (!everyClass && std::find(pickedClasses_.begin(), pickedClasses_.end(), int(c)) != pickedClasses_.end()) {
            pickedKeys.push_back(double(i));
            pickedErr.push_back(s.test[c]);
        }
    }
    if (everyClass) {
        xAxis->setTicker(ticker);
        xAxis->setLabel(QString());
    } else if (qSharedPointerDynamicCast<QCPAxisTickerText>(xAxis->ticker())) {
        xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());  // positions along the long tail
        xAxis->setTickLabelRotation(0);
        xAxis->ticker()->setTickCount(4);
    }
    if (!everyClass) xAxis->setLabel(tr("classes, most to fewest training examples"));
    nameClasses(everyClass && k > 0 && k <= s.names.size() ? QString::fromStdString(s.names[k - 1]) : QString());
    rankTest_ = testErr;
    rankTrain_ = trainErr;
    rankMinus_ = minus;
    rankPlus_ = plus;
    picked_->setData(pickedKeys, pickedErr, true);
    if (pickedKeys.isEmpty()) picked_->removeFromLegend();
    else if (!legend->hasItemWithPlottable(picked_)) picked_->addToLegend();
    test_->setName(groupIds_.empty() ? QStringLiteral("test error")
                                     : tr("test error: mean of %1 seeds, whiskers min–max").arg(groupIds_.size()));
    train_->setName(groupIds_.empty() ? QStringLiteral("train error") : tr("train error: mean"));
    balanced_->point1->setCoords(0, s.balanced);
    balanced_->point2->setCoords(1, s.balanced);
    balanced_->setVisible(k > 0);
    markShotGroups(s);
    const QSignalBlocker quiet(xAxis);  // one drawing, below, for the new range
    xAxis->setRange(-0.7, double(k) - 0.3);
    drawVisible();
}

// The bars over the shown range of the axis: one per class up to kBarsUpTo classes in view, else
// one per run of neighbouring classes (their mean errors), so that a bar keeps a few pixels and
// a redraw costs the same at 8 142 classes as at 200. Zooming in (wheel, drag) redraws down to
// single classes.
void ClassErrorBarsChart::drawVisible() {
    const int k = int(rankTest_.size());
    const QCPRange range = xAxis->range();
    const int lo = std::clamp(int(std::ceil(range.lower)), 0, k), hi = std::clamp(int(std::floor(range.upper)) + 1, lo, k);
    // A bar (train and test side by side) keeps at least 3 pixels.
    maxBars_ = axisRect()->width() > 60 ? std::clamp(axisRect()->width() / 3, 20, kBarsUpTo) : kBarsUpTo;
    perBar_ = std::max(1, (hi - lo + maxBars_ - 1) / maxBars_);
    QVector<double> keys, test, train;
    for (int first = perBar_ == 1 ? 0 : lo; first < (perBar_ == 1 ? k : hi); first += perBar_) {
        const int last = std::min(first + perBar_, k);
        double t = 0, r = 0;
        int nt = 0, nr = 0;  // a class without test (or train) examples has a NaN error: left out
        for (int i = first; i < last; ++i) {
            if (!std::isnan(rankTest_[i])) {
                t += rankTest_[i];
                ++nt;
            }
            if (!std::isnan(rankTrain_[i])) {
                r += rankTrain_[i];
                ++nr;
            }
        }
        keys.push_back((first + last - 1) / 2.0);
        test.push_back(nt ? t / nt : std::nan(""));
        train.push_back(nr ? r / nr : std::nan(""));
    }
    for (QCPBars* bars : {train_, test_}) bars->setWidth(0.38 * perBar_);
    train_->setData(keys, train, true);
    test_->setData(keys, test, true);
    // A picked class's bar stays visible however narrow a class is: a few pixels wide.
    picked_->setWidthType(perBar_ > 1 ? QCPBars::wtAbsolute : QCPBars::wtPlotCoords);
    picked_->setWidth(perBar_ > 1 ? 4 : 0.38);
    // Beside the test bar when bars are single classes; out of the group otherwise (and always up to
    // 20 classes, where a group member takes its slot even without bars).
    picked_->setBarsGroup(perBar_ > 1 || picked_->data()->isEmpty() ? nullptr : test_->barsGroup());
    if (rankMinus_.isEmpty() || perBar_ > 1) whiskers_->data()->clear();  // whiskers on single classes only
    else whiskers_->setData(rankMinus_, rankPlus_);
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
