// The error-curves chart on hand-made runs: class-group means and bands against values worked
// out here, the classes faint behind them, and hovering a legend entry to highlight a class.
#include "charts/class_counts_chart.h"
#include "charts/class_error_bars_chart.h"
#include "charts/confusion_map_chart.h"
#include "charts/error_curves_chart.h"
#include "charts/margin_histogram_chart.h"
#include "charts/run_charts_view.h"

#include <QtTest>

using namespace imblab;
using namespace imblab::ui;

namespace {

// Eight classes, the last three the minority; three epochs of given per-class test errors.
RunRecord eightClassRun() {
    RunRecord run;
    run.id = 7;
    run.hasInfo = true;
    run.config.train.epochs = 3;
    for (int c = 0; c < 8; ++c) {
        run.info.classNames.push_back("class " + std::to_string(c));
        run.info.classCounts.push_back(c < 5 ? 500 : 20);
        run.info.minority.push_back(c >= 5);
    }
    const std::vector<std::vector<double>> errors = {
        {0.10, 0.20, 0.30, 0.20, 0.20, 0.90, 0.80, 1.00},
        {0.05, 0.10, 0.15, 0.10, 0.10, 0.60, 0.40, 0.50},
        {0.00, 0.05, 0.10, 0.05, 0.05, 0.30, 0.20, 0.40},
    };
    for (int e = 0; e < 3; ++e) {
        MetricsReport r;
        r.epoch = e;
        r.epochEnd = true;
        r.testErrorPerClass = errors[size_t(e)];
        run.add(r);
    }
    return run;
}

QStringList legendNames(const ErrorCurvesChart& chart) {
    QStringList out;
    for (int i = 0; i < chart.legend->itemCount(); ++i)
        if (auto* entry = qobject_cast<QCPPlottableLegendItem*>(chart.legend->item(i))) out << entry->plottable()->name();
    return out;
}

// Whether neighbouring class names on a chart's axes keep a line's height apart (measured
// square to their slant).
bool namesApart(QCustomPlot& chart, std::initializer_list<QCPAxis*> axes) {
    chart.replot();
    const double line = QFontMetrics(chart.xAxis->tickLabelFont()).height();
    for (QCPAxis* axis : axes) {
        const QVector<double> ticks = axis->tickVector();
        const double slant = axis == chart.xAxis ? std::sin(qDegreesToRadians(axis->tickLabelRotation())) : 1.0;
        for (int i = 1; i < ticks.size(); ++i)
            if (std::abs(axis->coordToPixel(ticks[i]) - axis->coordToPixel(ticks[i - 1])) * slant < line - 0.5) {
                qWarning() << "names overlap on" << (axis == chart.xAxis ? "x" : "y") << "at" << chart.size();
                return false;
            }
    }
    return true;
}
bool namesApart(ConfusionMapChart& chart) { return namesApart(chart, {chart.xAxis, chart.yAxis}); }

} // namespace

class TestCharts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Frequent classes 0–4, minority 5–7: the means and min–max bands per epoch, by hand.
    void groupMeansWithBands() {
        ErrorCurvesChart chart;
        chart.showRun(eightClassRun());
        QVERIFY(chart.groupMeans());  // 8 classes: groups by default
        QVERIFY(chart.groupMeansAction()->isChecked());
        QCOMPARE(chart.groupNames().size(), 2);
        const auto frequent = chart.groupCurve(0), minority = chart.groupCurve(1);
        QCOMPARE(frequent.size(), 3);
        QCOMPARE(frequent[0], QPointF(1, (0.10 + 0.20 + 0.30 + 0.20 + 0.20) / 5));
        QCOMPARE(frequent[2], QPointF(3, (0.00 + 0.05 + 0.10 + 0.05 + 0.05) / 5));
        QCOMPARE(minority[1], QPointF(2, (0.60 + 0.40 + 0.50) / 3));
        const auto [lo, hi] = chart.groupBand(1);
        QCOMPARE(lo[0], QPointF(1, 0.80));
        QCOMPARE(hi[0], QPointF(1, 1.00));
        QCOMPARE(chart.groupBand(0).first[2], QPointF(3, 0.00));
        QCOMPARE(chart.groupBand(0).second[2], QPointF(3, 0.10));
        // Class 7's 100 % error and class 0's 0 % are drawn inside the plot, not on its frame.
        QVERIFY(chart.yAxis->range().upper > 1.0 && chart.yAxis->range().lower < 0.0);
        QVERIFY(chart.yAxis->range().upper < 1.1 && chart.yAxis->range().lower > -0.1);
        // The classes stay, faint behind the means; groups off: every class in full colour.
        QCOMPARE(chart.testGraph(0)->pen().color().alpha(), 70);
        QVERIFY(legendNames(chart).contains("minority: mean, range"));
        QVERIFY(chart.legend->hasItemWithPlottable(chart.testGraph(0)));
        chart.groupMeansAction()->trigger();
        QVERIFY(!chart.groupMeans());
        QCOMPARE(chart.testGraph(0)->pen().color().alpha(), 255);
        QCOMPARE(chart.groupCurve(0).size(), 3);  // kept, hidden
        QVERIFY(!legendNames(chart).join(';').contains("frequent"));
        // The choice holds for the next run shown, whatever its class count.
        RunRecord next = eightClassRun();
        next.id = 8;
        chart.showRun(next);
        QVERIFY(!chart.groupMeans());
    }

    // Few classes: every class alike by default; a balanced run has no groups to show.
    void fewClassesAndBalancedRuns() {
        ErrorCurvesChart chart;
        RunRecord run = eightClassRun();
        run.info.classNames.resize(3);
        run.info.classCounts.resize(3);
        run.info.minority = {false, false, true};
        chart.showRun(run);
        QVERIFY(!chart.groupMeans());
        QCOMPARE(chart.groupCurve(1).size(), 3);
        QCOMPARE(chart.groupCurve(1)[0], QPointF(1, 0.30));  // one minority class: its own curve
        RunRecord balanced = eightClassRun();
        balanced.id = 9;
        balanced.info.minority.assign(8, false);
        chart.showRun(balanced);
        QVERIFY(chart.groupNames().isEmpty());
        QVERIFY(!chart.groupMeansAction()->isEnabled());
    }

    // A narrow chart wraps its title instead of clipping it, and its legend takes fewer
    // columns so that every class's name fits; a wide one puts the title on one line.
    void narrowChartsWrapTitleAndLegend() {
        ErrorCurvesChart chart;
        RunRecord run = eightClassRun();
        run.info.evaluationsPerEpoch = 4;
        run.info.midEpochTestRows = 5000;
        run.info.testSize = 20000;
        chart.resize(380, 500);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.showRun(run);
        QVERIFY(chart.titleText().contains("4× per epoch on 5000 of 20000 test examples"));
        const QStringList lines = chart.shownTitle().split('\n');
        QVERIFY(lines.size() > 1);
        const QFontMetrics titleMetrics(QFont(chart.font().family(), 9, QFont::Bold));
        for (const QString& line : lines) QVERIFY2(titleMetrics.horizontalAdvance(line) <= 380 - 12, qPrintable(line));
        QCOMPARE(lines.join(' '), chart.titleText());
        const QFontMetrics legendMetrics(chart.legend->font());
        const int narrowColumns = chart.legend->wrap();
        QVERIFY(narrowColumns * legendMetrics.horizontalAdvance("Class 0 (n=500)") < 380);
        QVERIFY(chart.legendListsClasses());
        chart.resize(1600, 500);
        QTRY_COMPARE(chart.shownTitle(), chart.titleText());
        QVERIFY(chart.legend->wrap() > narrowColumns);
        // A narrow, short chart keeps its plot: the classes leave the legend, the means stay.
        chart.resize(220, 360);
        QTRY_VERIFY(!chart.legendListsClasses());
        QVERIFY(legendNames(chart).contains("minority: mean, range"));
        QVERIFY(legendNames(chart).contains("balanced error"));
        QVERIFY(!legendNames(chart).join(';').contains("class 0"));
        chart.resize(900, 600);
        QTRY_VERIFY(chart.legendListsClasses());
        QVERIFY(legendNames(chart).contains("class 0 (n=500)"));
    }

    // The bar chart names every class under its bars, the last one too.
    void barChartLabelsEveryClass() {
        ClassErrorBarsChart chart;
        chart.resize(700, 400);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        RunRecord run = eightClassRun();
        run.info.classNames.back() = "Ankle boot, a long name";
        chart.showRun(run);
        chart.replot();
        // QCustomPlot leaves out a label that would cross the widget's edge: it must fit.
        const QFontMetrics metrics(chart.xAxis->tickLabelFont());
        const double slant = qDegreesToRadians(chart.xAxis->tickLabelRotation());
        QVERIFY(chart.xAxis->coordToPixel(7) + metrics.horizontalAdvance("Ankle boot, a long name") * std::cos(slant) <
                chart.width());
        QVector<QString> expected;
        for (const auto& name : run.info.classNames) expected << QString::fromStdString(name);
        QCOMPARE(chart.xAxis->tickVectorLabels(), expected);
        QCOMPARE(chart.testBars().size(), 8);
        QVERIFY(chart.yAxis->range().upper > 1.0 && chart.yAxis->range().lower < 0.0);  // a 100 % bar shows its top
        QCOMPARE(chart.xAxis->tickLabelRotation(), 35.0);
        QVERIFY(namesApart(chart, {chart.xAxis}));
        // Narrow: slanted names would overlap, so they stand upright, every one of them.
        chart.resize(200, 400);
        QTRY_COMPARE(chart.xAxis->tickLabelRotation(), 90.0);
        QVERIFY(namesApart(chart, {chart.xAxis}));
        QCOMPARE(chart.xAxis->tickVectorLabels(), expected);
        chart.resize(700, 400);
        QTRY_COMPARE(chart.xAxis->tickLabelRotation(), 35.0);

        // The dataset panel's counts chart alike.
        ClassCountsChart counts;
        counts.resize(600, 300);
        counts.show();
        QVERIFY(QTest::qWaitForWindowExposed(&counts));
        counts.setCounts(run.info.classNames, run.info.classCounts, run.info.minority);
        QTRY_COMPARE(counts.xAxis->tickLabelRotation(), 35.0);
        QVERIFY(namesApart(counts, {counts.xAxis}));
        counts.resize(190, 300);
        QTRY_COMPARE(counts.xAxis->tickLabelRotation(), 90.0);
        QVERIFY(namesApart(counts, {counts.xAxis}));
        QCOMPARE(counts.xAxis->tickVectorLabels(), expected);
    }

    // Confusion counts are drawn only when the largest fits its cell; the tooltip has it always.
    void confusionNumbersOnlyWhenTheyFit() {
        ConfusionMapChart chart;
        RunRecord run = eightClassRun();
        MetricsReport r = run.epochReports.back();
        r.epoch = 3;
        std::vector<std::vector<int64_t>> m(8, std::vector<int64_t>(8, 1));
        m[2][5] = 12345;  // five digits
        r.confusion = ConfusionCounts::fromMatrix(m);
        run.add(r);
        chart.resize(900, 800);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.showRun(run);
        chart.replot();
        QVERIFY(chart.cellNumbersShown());
        QTRY_COMPARE(chart.namesShown(Qt::Horizontal).size(), 8);
        QCOMPARE(chart.xAxis->tickLabelRotation(), 35.0);
        QVERIFY(namesApart(chart));
        chart.resize(260, 240);
        chart.replot();
        QVERIFY(!chart.cellNumbersShown());
        // Too narrow for slanted names: they stand upright, and still do not overlap.
        QTRY_COMPARE(chart.xAxis->tickLabelRotation(), 90.0);
        QTRY_VERIFY(namesApart(chart));
        // Smaller still: every other name (or fewer), none overlapping; back to wide: all of them.
        chart.resize(170, 150);
        QTRY_VERIFY(chart.namesShown(Qt::Horizontal).size() < 8);
        QVERIFY(namesApart(chart));
        QCOMPARE(chart.namesShown(Qt::Horizontal).front(), QString("class 0"));
        chart.resize(900, 800);
        QTRY_COMPARE(chart.namesShown(Qt::Horizontal).size(), 8);
        QTRY_COMPARE(chart.namesShown(Qt::Vertical).size(), 8);
        QCOMPARE(chart.xAxis->tickLabelRotation(), 35.0);
        QCOMPARE(chart.cellText(2, 5), QString("true class 2, predicted class 5: 12345 of 12352 test examples (99.9 %)\n"
                                               "Click to see them."));
    }

    // The other charts' titles wrap on a narrow view and come back to one line on a wide one.
    void chartTitlesWrapInANarrowView() {
        RunChartsView view([](const QString&, bool) {});
        auto* title = qobject_cast<QCPTextElement*>(view.margins()->plotLayout()->element(1, 0));
        QVERIFY(title);
        const QString full = title->text();
        view.resize(460, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY(title->text().contains('\n'));
        QCOMPARE(title->text().split('\n').join(' '), full);
        QVERIFY2(title->text().split('\n').last().startsWith("(●"), qPrintable(title->text()));  // the key stays whole
        // The margins' axis label, centred under a plot pushed right by long class names, wraps
        // to fit (at 1280×800 it was cut at the chart's edge).
        MarginHistogramChart margins;
        margins.resize(220, 400);
        margins.show();
        QVERIFY(QTest::qWaitForWindowExposed(&margins));
        margins.showClasses({"T-shirt/top (n=6000)", "Trouser (n=3596)", "Ankle boot (n=60)"});
        margins.replot();
        QTRY_VERIFY(margins.xAxis->label().contains('\n'));
        margins.replot();
        const int centre = margins.axisRect()->rect().center().x();
        const QFontMetrics labelFont(margins.xAxis->labelFont());
        for (const QString& line : margins.xAxis->label().split('\n'))
            QVERIFY2(labelFont.horizontalAdvance(line) / 2 <= std::min(centre, margins.width() - centre), qPrintable(line));
        QCOMPARE(margins.xAxis->label().split('\n').join(' '), QString("margin z_y − max_{j≠y} z_j"));
        // Its margin ticks thin out so that their labels stay apart (five ran together here).
        margins.xAxis->setRange(-20, 20);
        auto marginLabelsApart = [&] {
            margins.replot();
            const QVector<double> ticks = margins.xAxis->tickVector();
            const QVector<QString> labels = margins.xAxis->tickVectorLabels();
            const QFontMetrics tickFont(margins.xAxis->tickLabelFont());
            for (int i = 1; i < ticks.size(); ++i) {
                const double gap = margins.xAxis->coordToPixel(ticks[i]) - margins.xAxis->coordToPixel(ticks[i - 1]);
                if (gap < (tickFont.horizontalAdvance(labels[i - 1]) + tickFont.horizontalAdvance(labels[i])) / 2.0 + 4)
                    return false;
            }
            return ticks.size() >= 2;
        };
        QTRY_VERIFY(marginLabelsApart());
        margins.resize(900, 400);
        QTRY_COMPARE(margins.xAxis->label(), QString("margin z_y − max_{j≠y} z_j"));
        QTRY_COMPARE(margins.xAxis->ticker()->tickCount(), 5);  // room again: QCustomPlot's five
        QVERIFY(marginLabelsApart());
        view.resize(1800, 900);
        QTRY_COMPARE(title->text(), full);
    }

    // Selecting a run with its other seeds: the per-class bars show the seeds' mean at the last
    // epoch with min–max whiskers, named as such; a run of another setting stays out; a single
    // selection (or another run) brings the run's own bars back.
    void seedGroupBarsShowTheMeanAndRange() {
        RunChartsView view([](const QString&, bool) {});
        view.resize(1200, 800);
        RunRecord a = eightClassRun(), b = eightClassRun(), other = eightClassRun();
        a.id = 1, b.id = 2, other.id = 3;
        a.finished = b.finished = other.finished = true;
        b.config.train.seed = 1;
        other.config.train.seed = 2;
        other.config.train.lr = 0.05;  // another setting: not a seed of a's
        b.epochReports.back().testErrorPerClass = {0.20, 0.15, 0.10, 0.05, 0.05, 0.50, 0.40, 0.60};
        other.epochReports.back().testErrorPerClass.assign(8, 0.9);
        a.epochReports.back().balancedError = 0.145;
        b.epochReports.back().balancedError = 0.25625;
        view.showRun(a);
        const QVector<double> own{0.00, 0.05, 0.10, 0.05, 0.05, 0.30, 0.20, 0.40};
        QCOMPARE(view.errorBars()->testBars(), own);
        QVERIFY(view.errorBars()->testWhiskers().empty());

        view.setOverlays({&a, &other, &b});
        QCOMPARE(view.errorBars()->seedGroupSize(), 2);
        const QVector<double> bars = view.errorBars()->testBars();
        const std::vector<double> mean{0.10, 0.10, 0.10, 0.05, 0.05, 0.40, 0.30, 0.50};
        const auto whiskers = view.errorBars()->testWhiskers();
        QCOMPARE(int(whiskers.size()), 8);
        for (int c = 0; c < 8; ++c) {
            QVERIFY2(std::abs(bars[c] - mean[size_t(c)]) < 1e-12, qPrintable(QString::number(c)));
            QVERIFY(std::abs(whiskers[size_t(c)].first - std::min(own[c], b.epochReports.back().testErrorPerClass[size_t(c)])) < 1e-12);
            QVERIFY(std::abs(whiskers[size_t(c)].second - std::max(own[c], b.epochReports.back().testErrorPerClass[size_t(c)])) < 1e-12);
        }
        QVERIFY(std::abs(view.errorBars()->balancedLine() - (0.145 + 0.25625) / 2) < 1e-12);
        QVERIFY(view.runLabel(2).contains("#1, #2"));
        QVERIFY(view.runLabel(2).contains("mean of 2 seeds"));
        QVERIFY(!view.runLabel(2).contains("#3"));
        QCOMPARE(view.runLabel(1), QString("Run %1").arg(a.title()));  // the margins stay the one run's
        view.showRun(a);  // a refresh of the shown run keeps the group
        QCOMPARE(view.errorBars()->seedGroupSize(), 2);

        view.setOverlays({});  // a single selection
        QCOMPARE(view.errorBars()->seedGroupSize(), 0);
        QCOMPARE(view.errorBars()->testBars(), own);
        QVERIFY(view.errorBars()->testWhiskers().empty());
        QCOMPARE(view.runLabel(2), QString("Run %1").arg(a.title()));

        b.finished = false;  // a seed still training is no part of the mean
        view.setOverlays({&a, &b});
        QCOMPARE(view.errorBars()->seedGroupSize(), 0);
        b.finished = true;
        view.setOverlays({&a, &b});
        QCOMPARE(view.errorBars()->seedGroupSize(), 2);
        view.showRun(other);  // another run shown: its own bars
        QCOMPARE(view.errorBars()->seedGroupSize(), 0);
        QCOMPARE(view.errorBars()->testBars(), QVector<double>(8, 0.9));
    }

    // The pointer over a class's legend entry draws that class thicker and the others faint;
    // leaving the chart restores them.
    void hoverHighlightsAClass() {
        ErrorCurvesChart chart;
        chart.resize(900, 600);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.showRun(eightClassRun());
        chart.setGroupMeans(false);
        chart.replot();
        // A legend click hides the balanced curve (its name struck through); hovering a class
        // later changes pens only: the legend, and what it says is hidden, stay as they are.
        auto* balancedEntry = chart.legend->itemWithPlottable(chart.graph(chart.graphCount() - 1));
        QVERIFY(balancedEntry && balancedEntry->plottable()->name() == "balanced error");
        Q_EMIT chart.legendClick(chart.legend, balancedEntry, nullptr);
        QVERIFY(!balancedEntry->plottable()->visible());
        const double width = chart.testGraph(3)->pen().widthF();
        auto* entry = chart.legend->itemWithPlottable(chart.testGraph(3));
        QVERIFY(entry);
        QTest::mouseMove(&chart, entry->outerRect().center());
        QTRY_COMPARE(chart.highlightedClass(), 3);
        QCOMPARE(chart.testGraph(3)->pen().widthF(), width + 1.6);
        QCOMPARE(chart.testGraph(3)->pen().color().alpha(), 255);
        QCOMPARE(chart.testGraph(0)->pen().color().alpha(), 40);
        QCOMPARE(chart.soloedClass(), -1);  // hovering is no click
        QCOMPARE(chart.legend->itemWithPlottable(balancedEntry->plottable()), balancedEntry);
        QVERIFY(balancedEntry->font().strikeOut());
        QEvent leave(QEvent::Leave);
        QApplication::sendEvent(&chart, &leave);
        QCOMPARE(chart.highlightedClass(), -1);
        QCOMPARE(chart.testGraph(0)->pen().color().alpha(), 255);
        QCOMPARE(chart.testGraph(3)->pen().widthF(), width);
    }
};

QTEST_MAIN(TestCharts)
#include "tst_charts.moc"
