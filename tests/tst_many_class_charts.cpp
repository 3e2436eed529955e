// The run charts past 20 classes, on a hand-made 300-class run whose numbers are worked out here:
// the shot groups' curves, bands and margin rows, the worst and the picked classes, the bars in
// training-count order, the confusion in blocks that zoom down to single classes, the class
// search box and the most-confused list; the sample strip's rows in count order, painted only
// in view, and a streamed set's thumbnails decoded off the GUI thread.
#include "charts/class_error_bars_chart.h"
#include "charts/confusion_map_chart.h"
#include "charts/error_curves_chart.h"
#include "charts/many_classes.h"
#include "charts/margin_histogram_chart.h"
#include "charts/run_charts_view.h"
#include "panels/sample_strip.h"
#include "runs/runs_view.h"

#include <QDir>
#include <QImage>
#include <QLineEdit>
#include <QListWidget>
#include <QScrollArea>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QtTest>

using namespace imblab;
using namespace imblab::ui;

namespace {

constexpr int kClasses = 300;

// Training counts interleaved so that count order is not index order: every 30th class
// (0, 30, …, 270) is many-shot (500 − c), every 6th of the rest medium (50), the others few (5).
int64_t countOf(int c) { return c % 30 == 0 ? 500 - c : c % 6 == 0 ? 50 : 5; }

std::vector<int> groupOf(ShotGroup g) {
    std::vector<int> out;
    for (int c = 0; c < kClasses; ++c)
        if (shotGroupOf(countOf(c)) == g) out.push_back(c);
    return out;
}

// Epoch e's test error of class c: the many-shot classes 0.1·(e+1); the medium ones spread
// evenly over [0, 1/2] by their position i among the 40 medium classes (i/78); the few-shot ones
// 0.5 + i/1000 by their position among the 250 (so the worst are the last five few-shot).
double testError(int c, int e) {
    const ShotGroup g = shotGroupOf(countOf(c));
    const auto group = groupOf(g);
    const double i = double(std::find(group.begin(), group.end(), c) - group.begin());
    if (g == ShotGroup::Many) return 0.1 * (e + 1);
    if (g == ShotGroup::Medium) return i / 78.0;
    return 0.5 + i / 1000.0;
}

MarginStats fiveNumbers(double base) { return {base, base + 0.5, base + 1, base + 1.5, base + 2, {}}; }

RunRecord manyClassRun(int epochs = 3) {
    RunRecord run;
    run.id = 11;
    run.hasInfo = true;
    run.config.train.epochs = epochs;
    for (int c = 0; c < kClasses; ++c) {
        run.info.classNames.push_back("class " + std::to_string(c));
        run.info.classCounts.push_back(countOf(c));
        run.info.minority.push_back(countOf(c) < 20);
    }
    for (int e = 0; e < epochs; ++e) {
        MetricsReport step;  // a progress report as the trainer sends it past 100 classes
        step.epoch = e;
        step.epochProgress = e + 0.5;
        step.trainErrorByGroup = {0.2, 0.4, 0.6};
        run.add(step);
        MetricsReport r;
        r.epoch = e;
        r.epochEnd = true;
        r.epochProgress = e + 1;
        for (int c = 0; c < kClasses; ++c) {
            r.testErrorPerClass.push_back(testError(c, e));
            r.trainErrorPerClass.push_back(testError(c, e) / 2);
            r.margins.push_back(fiveNumbers(-double(c) / kClasses));
            r.deltas.push_back(0.5 / std::pow(double(countOf(c)), 0.25));
        }
        r.groupMargins = {MarginStats{-1, 0, 1, 2, 3, {0, 4, 6, 0}}, MarginStats{-1, 0, 1, 2, 3, {1, 1, 1, 1}},
                          MarginStats{-3, -2, -1, 0, 1, {9, 0, 0, 2}}};
        r.marginLo = -4;
        r.marginHi = 4;
        // Two test examples per class; each few-shot class's second one predicted as class 0.
        std::vector<int64_t> labels, predictions;
        for (int c = 0; c < kClasses; ++c)
            for (int k = 0; k < 2; ++k) {
                labels.push_back(c);
                predictions.push_back(k == 1 && countOf(c) == 5 ? 0 : c);
            }
        r.confusion = ConfusionCounts::of(labels, predictions, kClasses);
        r.balancedError = 0.4;
        run.add(r);
    }
    return run;
}

QStringList legendNames(const QCustomPlot& chart) {
    QStringList out;
    for (int i = 0; i < chart.legend->itemCount(); ++i)
        if (auto* entry = qobject_cast<QCPPlottableLegendItem*>(chart.legend->item(i))) out << entry->plottable()->name();
    return out;
}

} // namespace

class TestManyClassCharts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void helpersByHand() {
        QCOMPARE(classesByCount({5, 500, 50, 500}), (std::vector<int>{1, 3, 2, 0}));  // ties by index
        QCOMPARE(highestClasses({0.1, NAN, 0.9, 0.5, 0.9}, 2), (std::vector<int>{2, 4}));
        // Quartiles of 0, 1/4, 2/4, 3/4, 1 over classes {0..4}: exactly 1/4 and 3/4.
        const std::vector<double> v{0, 0.25, 0.5, 0.75, 1};
        QCOMPARE(quantileOver(v, {4, 3, 2, 1, 0}, 0.25), 0.25);
        QCOMPARE(quantileOver(v, {0, 1, 2, 3, 4}, 0.75), 0.75);
        QCOMPARE(quantileOver(v, {0, 1}, 0.5), 0.125);  // half-way between the two
        const std::vector<std::string> names{"Coat", "coat hanger", "Bag", "42"};
        QCOMPARE(findClass(names, "coat"), 0);        // exact, ignoring case
        QCOMPARE(findClass(names, "hang"), 1);        // the only one containing it
        QCOMPARE(findClass(names, "a"), -1);          // several
        QCOMPARE(findClass(names, "#2"), 2);          // an index
        QCOMPARE(findClass(names, "42"), 3);          // a class named 42 wins over index 42
        QCOMPARE(findClass(names, "7"), -1);          // no class 7
    }

    void errorCurvesByShotGroup() {
        ErrorCurvesChart chart;
        chart.resize(700, 500);
        const RunRecord run = manyClassRun();
        chart.showRun(run);
        QVERIFY(chart.drawsShotGroups());
        QCOMPARE(chart.classCount(), 0);  // no curve per class
        const auto many = chart.shotGroupCurve(ShotGroup::Many);
        QCOMPARE(many.size(), 3);
        for (int e = 0; e < 3; ++e) {
            QCOMPARE(many[e].x(), double(e + 1));
            QVERIFY(std::abs(many[e].y() - 0.1 * (e + 1)) < 1e-12);
        }
        // Medium: 0/78 … 39/78, mean 1/4, quartiles 1/8 and 3/8.
        QVERIFY(std::abs(chart.shotGroupCurve(ShotGroup::Medium)[0].y() - 0.25) < 1e-12);
        const auto [low, high] = chart.shotGroupBand(ShotGroup::Medium);
        QVERIFY(std::abs(low[2].y() - 0.125) < 1e-12);
        QVERIFY(std::abs(high[2].y() - 0.375) < 1e-12);
        // Few: 0.5 + i/1000 for i = 0 … 249, mean 0.5 + 124.5/1000.
        QVERIFY(std::abs(chart.shotGroupCurve(ShotGroup::Few)[1].y() - 0.6245) < 1e-12);
        QCOMPARE(chart.shotGroupTrainCurve(ShotGroup::Few).size(), 3);
        QCOMPARE(chart.shotGroupTrainCurve(ShotGroup::Few)[0], QPointF(0.5, 0.6));
        // The worst five: the last five few-shot classes, highest first.
        const auto few = groupOf(ShotGroup::Few);
        QCOMPARE(chart.focusClasses(), (std::vector<int>{few[249], few[248], few[247], few[246], few[245]}));
        QCOMPARE(chart.focusCurve(few[249]).size(), 3);
        QVERIFY(std::abs(chart.focusCurve(few[249])[0].y() - 0.749) < 1e-12);
        const QStringList legend = legendNames(chart);
        QVERIFY2(legend.contains("many-shot (> 100): 10 classes"), qPrintable(legend.join(" | ")));
        QVERIFY(legend.contains("medium-shot (20–100): 40 classes"));
        QVERIFY(legend.contains(QString("worst: class %1 (n=5)").arg(few[249])));
        // A small chart keeps the groups and the balanced error in its legend, not the classes.
        chart.resize(400, 300);
        {
            QResizeEvent resize(QSize(400, 300), QSize(700, 500));
            QApplication::sendEvent(&chart, &resize);
        }
        const QStringList shortLegend = legendNames(chart);
        QVERIFY2(shortLegend.contains("few-shot (< 20): 250 classes") && shortLegend.contains("balanced error"),
                 qPrintable(shortLegend.join(" | ")));
        QVERIFY2(!shortLegend.join(" ").contains("worst:"), qPrintable(shortLegend.join(" | ")));
        chart.resize(700, 500);
        {
            QResizeEvent resize(QSize(700, 500), QSize(400, 300));
            QApplication::sendEvent(&chart, &resize);
        }
        QVERIFY(legendNames(chart).join(" ").contains("worst:"));
        // A picked class joins them, named so; picking one of the worst renames it.
        chart.setPickedClasses({30, few[249]});
        chart.showRun(run);
        QCOMPARE(chart.focusClasses().size(), size_t(6));
        QCOMPARE(chart.focusClasses().back(), 30);
        QCOMPARE(chart.focusName(30), QString("picked: class 30 (n=470)"));
        QCOMPARE(chart.focusName(few[249]), QString("worst, picked: class %1 (n=5)").arg(few[249]));
        QVERIFY(std::abs(chart.focusCurve(30)[2].y() - 0.3) < 1e-12);
        // Up to 20 classes, a curve per class as before.
        RunRecord small = run;
        small.id = 12;
        small.info.classNames.resize(20);
        chart.showRun(small);
        QVERIFY(!chart.drawsShotGroups());
        QCOMPARE(chart.classCount(), 20);
    }

    void marginRowsPerGroupAndPickedClasses() {
        MarginHistogramChart chart;
        chart.resize(400, 500);
        const RunRecord run = manyClassRun();
        chart.showRun(run);
        QCOMPARE(chart.rowLabels(), (QStringList{"many-shot (> 100)\n10 classes", "medium-shot (20–100)\n40 classes",
                                                 "few-shot (< 20)\n250 classes"}));
        QCOMPARE(chart.drawnGroupHistogram(ShotGroup::Few), (QVector<double>{9, 0, 0, 2}));
        QCOMPARE(chart.deltaMarkCount(), 3);  // each group's median Δ_j
        QCOMPARE(chart.boxCount(), 0);
        chart.setPickedClasses({7, 30});
        chart.showRun(run);
        QCOMPARE(chart.rowLabels().size(), 5);
        QCOMPARE(chart.rowLabels()[3], QString("class 7\n(n=5)"));
        QCOMPARE(chart.boxCount(), 2);  // past 100 classes a class has no histogram: a box
        QCOMPARE(chart.deltaMarkCount(), 5);
    }

    void barsInTrainingCountOrder() {
        ClassErrorBarsChart chart;
        chart.resize(600, 400);
        chart.show();
        const RunRecord run = manyClassRun();
        chart.showRun(run);
        const std::vector<int>& order = chart.barClasses();
        QCOMPARE(int(order.size()), kClasses);
        // 300 bars would be under 2 pixels each: a bar per 2 neighbouring classes, their mean.
        QCOMPARE(chart.classesPerBar(), 2);
        QCOMPARE(chart.testBars().size(), 150);
        QCOMPARE(chart.testBars()[25], (testError(order[50], 2) + testError(order[51], 2)) / 2);
        QVERIFY(chart.barText(50).contains("its bar: classes ranked 50–51"));
        chart.xAxis->setRange(-0.5, 99.5);  // zoomed to 100 classes: one bar each
        QCOMPARE(order[0], 0);    // 500 examples
        QCOMPARE(order[1], 30);   // 470
        QCOMPARE(order[10], 6);   // the first medium class (50)
        QCOMPARE(order[50], 1);   // the first few-shot class (5)
        QCOMPARE(chart.classesPerBar(), 1);
        QCOMPARE(chart.testBars()[50], testError(1, 2));
        // Each group's mark as its span's width allows: the few- and medium-shot spans (50 and 40
        // classes) have room for the whole mark, the many-shot one (10 classes, ~50 px) at most
        // for its first word.
        chart.replot();
        const QStringList marks = chart.groupMarks();
        QCOMPARE(marks.size(), 3);
        QVERIFY2(marks[0].isEmpty() || marks[0] == "many-shot", qPrintable(marks[0]));
        QCOMPARE(marks[1], QString("medium-shot (20–100)"));
        QCOMPARE(marks[2], QString("few-shot (< 20)"));
        const QString hover = chart.barText(1);
        QVERIFY2(hover.contains("class 30 (class 30, n=470)") && hover.contains("test error 30.0 %"), qPrintable(hover));
        QCOMPARE(chart.barText(chart.barAt(QPoint(int(chart.xAxis->coordToPixel(1)), int(chart.yAxis->coordToPixel(0.1))))), hover);
        chart.setPickedClasses({30, 1});
        QCOMPARE(chart.pickedBars(), (QVector<double>{testError(30, 2), testError(1, 2)}));  // in bar order
        // The wheel zooms the classes' axis only.
        const QCPRange x = chart.xAxis->range(), y = chart.yAxis->range();
        const QPointF centre = chart.axisRect()->rect().center();
        QWheelEvent wheel(centre, chart.mapToGlobal(centre), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(&chart, &wheel);
        QVERIFY2(chart.xAxis->range().size() < x.size() * 0.95, qPrintable(QString::number(chart.xAxis->range().size())));
        QCOMPARE(chart.yAxis->range().lower, y.lower);
        QCOMPARE(chart.yAxis->range().upper, y.upper);
    }

    void confusionInBlocksThatZoomToClasses() {
        ConfusionMapChart chart;
        chart.resize(500, 500);
        chart.show();
        const RunRecord run = manyClassRun();
        chart.showRun(run);
        chart.replot();
        QVERIFY(chart.ordersByCount());
        QCOMPARE(chart.blockRows(), 5);  // ⌈300 / 64⌉ classes per block
        QCOMPARE(chart.blockColumns(), 5);
        // Ranks 0–4 are many-shot classes 0, 30, 60, 90, 120: all right.
        QCOMPARE(chart.blockRate(0, 0), 1.0);
        // Ranks 50–54 (block 10) are few-shot classes, their second example predicted as class 0
        // (rank 0, block 0): half of their 10 examples there, half on their own diagonal block.
        QCOMPARE(chart.blockRate(10, 0), 0.5);
        QCOMPARE(chart.blockRate(10, 10), 0.5);
        QCOMPARE(chart.shownRate(1, 0), 0.5);  // class 1 is rank 50
        QCOMPARE(chart.cellAt(chart.cellCenter(1, 1)), (QPair<int, int>{-1, -1}));  // a block: no single cell
        // A click zooms into the block, widened to 16 ranks: single classes.
        QVERIFY(chart.zoomInAt(QPoint(int(chart.xAxis->coordToPixel(2)), int(chart.yAxis->coordToPixel(52)))));
        QCOMPARE(chart.blockRows(), 1);
        QCOMPARE(chart.shownRanks(Qt::Horizontal), (std::pair<int, int>{0, 16}));
        QCOMPARE(chart.shownRanks(Qt::Vertical), (std::pair<int, int>{44, 60}));
        QCOMPARE(chart.cellAt(chart.cellCenter(1, 0)), (QPair<int, int>{1, 0}));
        QCOMPARE(chart.shownRate(1, 0), 0.5);
        QSignalSpy clicked(&chart, &ConfusionMapChart::cellClicked);
        QTest::mouseClick(&chart, Qt::LeftButton, {}, chart.cellCenter(1, 0));
        QCOMPARE(clicked.size(), 1);
        QCOMPARE(clicked[0][0].toInt(), 1);
        QCOMPARE(clicked[0][1].toInt(), 0);
        // The next evaluation of the same run keeps the zoom; showWholeMatrix leaves it.
        RunRecord later = manyClassRun(4);
        chart.showRun(later);
        QCOMPARE(chart.shownRanks(Qt::Vertical), (std::pair<int, int>{44, 60}));
        chart.showWholeMatrix();
        QCOMPARE(chart.shownRanks(Qt::Vertical), (std::pair<int, int>{0, kClasses}));
        QCOMPARE(chart.blockRows(), 5);
    }

    // Past 10 classes the list shows the top-5 error; the frequent error and the epochs make room
    // for it (the epochs move to the name's tooltip).
    void runsListMakesRoomForTheTop5() {
        RunsView view;
        RunRecord small;
        small.id = 1;
        small.hasInfo = true;
        small.config.train.epochs = 3;
        small.info.classNames = {"a", "b"};
        view.upsert(small);
        QVERIFY(view.isColumnHidden(RunsView::Top5));
        QVERIFY(!view.isColumnHidden(RunsView::Epochs) && !view.isColumnHidden(RunsView::Frequent));
        RunRecord many = manyClassRun();
        many.epochReports.back().top5Error = 0.125;
        view.upsert(many);
        QVERIFY(!view.isColumnHidden(RunsView::Top5));
        QVERIFY(view.isColumnHidden(RunsView::Epochs) && view.isColumnHidden(RunsView::Frequent));
        QCOMPARE(view.cellText(many.id, RunsView::Top5), QString("12.5"));
        QCOMPARE(view.cellText(small.id, RunsView::Top5), QString("–"));
        const int row = 1;
        QVERIFY2(view.item(row, RunsView::Name)->toolTip().contains("epochs 3/3"), qPrintable(view.item(row, RunsView::Name)->toolTip()));
        view.removeRun(many.id);
        QVERIFY(view.isColumnHidden(RunsView::Top5));
        QVERIFY(!view.isColumnHidden(RunsView::Epochs));
    }

    void searchBoxAndMostConfusedList() {
        RunChartsView view([](const QString&, bool) {});
        view.resize(1100, 700);
        view.show();
        const RunRecord run = manyClassRun();
        view.showRun(run);
        QVERIFY(view.pickBar()->isVisibleTo(&view));
        QSignalSpy changed(&view, &RunChartsView::pickedClassesChanged);
        QCOMPARE(view.pickClass("class 7"), QString());
        QCOMPARE(view.pickClass("#30"), QString());
        QVERIFY(view.pickClass("lass 2").contains("no single class is named 'lass 2'"));
        QCOMPARE(view.pickedClasses(), (std::vector<int>{7, 30}));
        QCOMPARE(changed.size(), 2);
        // Typed and entered, as a user does.
        QTest::keyClicks(view.classSearch(), "class 299");
        QTest::keyClick(view.classSearch(), Qt::Key_Return);
        QCOMPARE(view.pickedClasses(), (std::vector<int>{7, 30, 299}));
        QVERIFY(view.classSearch()->text().isEmpty());
        for (int c = 100; view.pickedClasses().size() < size_t(kPickedClassesMax); ++c) view.pickClass(QString::number(c));
        QVERIFY(view.pickClass("#200").contains("at most"));
        // Every few-shot class sends one example to class 0: 250 pairs of one; the list keeps 50.
        QListWidget* list = view.mostConfusedList();
        QVERIFY(list->isVisibleTo(&view));
        QCOMPARE(list->count(), 50);
        QCOMPARE(list->item(0)->text(), QString("class 1\n → class 0: 1 of 2"));
        QSignalSpy opened(view.confusion(), &ConfusionMapChart::cellClicked);
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(list->item(0)).center());
        QCOMPARE(opened.size(), 1);
        QCOMPARE(opened[0][0].toInt(), 1);
        // Another dataset's run: its classes, no picks carried over; 20 classes: no bar, no list.
        RunRecord small = run;
        small.id = 12;
        small.info.classNames.resize(20);
        for (auto& n : small.info.classNames) n += " b";
        for (auto& r : small.epochReports) r.confusion = ConfusionCounts::of({0, 1}, {1, 1}, 20);
        view.showRun(small);
        QVERIFY(view.pickedClasses().empty());
        QVERIFY(!view.pickBar()->isVisibleTo(&view));
        QVERIFY(!list->isVisibleTo(&view));
        // imblab --follow: picked once a run of many classes is shown.
        RunChartsView later([](const QString&, bool) {});
        later.followWhenShown({"class 5", "#6"});
        later.showRun(small);
        QVERIFY(later.pickedClasses().empty());
        later.showRun(run);
        QCOMPARE(later.pickedClasses(), (std::vector<int>{5, 6}));
    }

    // 300 classes of 4×4 grey images in a 200-pixel-high scroll area: rows in training-count
    // order, only the rows in view painted (8 thumbnails each), more as the view scrolls.
    void sampleStripPaintsTheRowsInView() {
        auto data = std::make_shared<Dataset>();
        data->channels = 1;
        data->height = data->width = 4;
        std::vector<int64_t> kept, counts;
        for (int c = 0; c < kClasses; ++c) {
            data->classNames.push_back("class " + std::to_string(c));
            counts.push_back(countOf(c));
            for (int i = 0; i < 8; ++i) {
                kept.push_back(data->train.size());
                data->train.labels.push_back(c);
                data->train.images.insert(data->train.images.end(), 16, uint8_t(c % 256));
            }
        }
        QScrollArea area;
        auto* strip = new SampleStrip;
        area.setWidget(strip);
        area.setWidgetResizable(true);
        area.resize(400, 200);
        strip->setSamples(data, kept, counts);
        area.show();
        QVERIFY(QTest::qWaitForWindowExposed(&area));
        QVERIFY(strip->scrolls());
        QCOMPARE(strip->rowClass(0), 0);   // 500 examples
        QCOMPARE(strip->rowClass(1), 30);  // 470
        const int64_t first = strip->paintedImages();
        const int rowsInView = 200 / SampleStrip::kScrollRowHeight + 2;
        QVERIFY2(first > 0 && first <= 8 * rowsInView, qPrintable(QString::number(first)));
        area.verticalScrollBar()->setValue(area.verticalScrollBar()->maximum());
        QTRY_VERIFY(strip->paintedImages() > first);
        QVERIFY(strip->paintedImages() <= 8 * 2 * rowsInView);
    }

    // A streamed set's thumbnails come from its files, decoded off the GUI thread; a file gone
    // since the set was opened shows grey, not a crash.
    void sampleStripDecodesStreamedThumbnails() {
        QTemporaryDir dir;
        auto data = std::make_shared<Dataset>();
        data->channels = 3;
        data->height = data->width = 224;
        std::vector<int64_t> kept, counts;
        for (int c = 0; c < 3; ++c) {
            data->classNames.push_back("class " + std::to_string(c));
            counts.push_back(2);
            for (int i = 0; i < 2; ++i) {
                QImage img(300, 200, QImage::Format_RGB888);
                img.fill(QColor::fromHsv(c * 100, 255, 255));
                const QString path = dir.filePath(QStringLiteral("%1_%2.jpg").arg(c).arg(i));
                QVERIFY(img.save(path, "JPEG"));
                kept.push_back(data->train.size());
                data->train.files.push_back(path.toStdString());
                data->train.labels.push_back(c);
            }
        }
        QFile::remove(QString::fromStdString(data->train.files.back()));
        SampleStrip strip;
        strip.resize(400, 150);
        strip.setSamples(data, kept, counts);
        strip.show();
        QVERIFY(QTest::qWaitForWindowExposed(&strip));
        QTRY_VERIFY(strip.paintedImages() >= 6);  // after placeholders, the six decoded pictures
        const QImage red = datasetImage(*data, data->train, 0);
        QCOMPARE(red.width(), kStreamedPreviewSize);
        QVERIFY(QColor(red.pixel(48, 48)).red() >= 250 && QColor(red.pixel(48, 48)).green() <= 5);
        QCOMPARE(QColor(datasetImage(*data, data->train, 5).pixel(10, 10)).red(), 160);  // gone: grey
    }
};

QTEST_MAIN(TestManyClassCharts)
#include "tst_many_class_charts.moc"
