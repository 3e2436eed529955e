// Teaching mode driven like a teacher: a lesson trains both sides, the views fill with each
// other's and the ideal boundary, replay goes back in time, switching lessons starts clean, the
// pace slows a run without changing it, presentation mode enlarges everything and no γ label
// covers points or another label; the theory explorer.
#include "charts/chart_export.h"
#include "teaching/decision_view.h"
#include "teaching/margin_theory_view.h"
#include "teaching/teaching_window.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QtTest>

using namespace imblab;
using namespace imblab::ui;

namespace {

// Points of the view lying inside a label's box.
int pointsUnder(DecisionView* v, const QRectF& r) {
    int n = 0;
    for (const QPointF& p : v->pointPixels()) n += r.contains(p) ? 1 : 0;
    return n;
}

void checkLabelsClear(DecisionView* v) {
    const auto rects = v->labelRects();
    QVERIFY(!rects.empty());
    const QRectF area = v->axisRect()->rect();
    for (size_t i = 0; i < rects.size(); ++i) {
        QVERIFY2(area.contains(rects[i]), "a γ label leaves the plot");
        QVERIFY2(pointsUnder(v, rects[i]) <= 1, qPrintable(QStringLiteral("a γ label covers %1 points").arg(pointsUnder(v, rects[i]))));
        for (size_t j = i + 1; j < rects.size(); ++j) QVERIFY2(!rects[i].intersects(rects[j]), "two γ labels overlap");
    }
}

} // namespace

class TestTeaching : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void lessonTrainsBothSides() {
        TeachingWindow w;
        w.show();
        w.setLesson(1);  // CE vs LDAM
        QVERIFY(w.caption()->text().contains("LDAM"));
        QCOMPARE(w.sideConfig(1).loss.type, std::string("ldam"));
        QCOMPARE(w.sideConfig(0).loss.type, std::string("ce"));
        w.setPaceSeconds(0);
        QSignalSpy done(&w, &TeachingWindow::bothFinished);
        w.trainBoth();
        QVERIFY(w.isRunning());
        QVERIFY(done.wait(120000));
        for (int side = 0; side < 2; ++side) {
            QCOMPARE(int(w.epochReports(side).size()), 40);
            const auto cells = w.view(side)->regionCells();
            QCOMPARE(cells.size(), size_t(2));
            QCOMPARE(cells[0] + cells[1], 120 * 120);
            QVERIFY(cells[0] > 0 && cells[1] > 0);  // both classes own a region
            QVERIFY(w.view(side)->boundarySegments() > 0);
            QVERIFY(w.view(side)->otherBoundarySegments() > 0);  // the other side's, dashed
            QVERIFY(w.view(side)->idealBoundarySegments() > 0);  // the Bayes boundary, dotted
            QVERIFY(w.view(side)->hint().isEmpty());
            for (double m : w.view(side)->shownClassMargins()) QVERIFY(std::isfinite(m));
            // γ is a distance to the boundary: negative exactly when a point of the class is on
            // the wrong side, which is when the engine's logit margin of that class is negative.
            const auto& last = w.epochReports(side).back();
            for (size_t c = 0; c < 2; ++c)
                QCOMPARE(w.view(side)->shownClassMargins()[c] < 0, last.margins[c].min < 0);
            QVERIFY(w.stats(side)->text().contains("distance"));
            checkLabelsClear(w.view(side));
        }
        QCOMPARE(w.replaySlider()->maximum(), 39);
        const auto last = w.view(0)->regionCells();
        w.replaySlider()->setValue(0);  // back to epoch 1
        QVERIFY(w.view(0)->regionCells() != last);
        // Every view exports like every chart, from its context menu or here.
        QTemporaryDir dir;
        QCOMPARE(exportChart(w.view(1), dir.path() + "/d.png"), QString());
        QCOMPARE(exportChart(w.view(1), dir.path() + "/d.pdf"), QString());
        QCOMPARE(exportChart(w.theory()->boundPlot(), dir.path() + "/t.svg"), QString());
        QVERIFY(QImage(dir.path() + "/d.png").width() == 1600);
        QVERIFY(w.view(1)->actions().size() >= 3);
    }

    void stepOneEpochPauses() {
        TeachingWindow w;
        w.setLesson(0);
        w.setPaceSeconds(0);
        w.stepEpoch();
        QTRY_VERIFY_WITH_TIMEOUT(w.epochReports(0).size() == 1 && w.epochReports(1).size() == 1, 20000);
        QTest::qWait(300);
        QCOMPARE(w.epochReports(0).size(), size_t(1));  // paused after one epoch
        w.stepEpoch();
        QTRY_VERIFY_WITH_TIMEOUT(w.epochReports(0).size() == 2, 20000);
        QSignalSpy done(&w, &TeachingWindow::bothFinished);
        w.stopBoth();
        QVERIFY(done.wait(20000));
    }

    void emptyStateShowsThePointsAndAHint() {
        TeachingWindow w;
        w.show();
        QTRY_VERIFY_WITH_TIMEOUT(w.view(0)->hint().contains("Train both"), 10000);  // after "Making the points…"
        for (int side = 0; side < 2; ++side) {
            QVERIFY(w.view(side)->hint().contains("Train both"));
            QCOMPARE(w.view(side)->pointPixels().size(), size_t(525));  // 500 of A, 25 of B (ρ = 20)
            QVERIFY(w.view(side)->regionCells().empty());
            QVERIFY(w.view(side)->idealBoundarySegments() > 0);
            QCOMPARE(w.view(side)->boundarySegments(), 0);
            QVERIFY(w.view(side)->title() == (side == 0 ? QStringLiteral("ERM") : QStringLiteral("RW")));
        }
    }

    void switchingLessonsStartsClean() {
        TeachingWindow w;
        w.show();
        w.setLesson(0);
        w.setPaceSeconds(0);
        QSignalSpy done(&w, &TeachingWindow::bothFinished);
        w.trainBoth();
        QVERIFY(done.wait(120000));
        QVERIFY(!w.view(0)->regionCells().empty());
        QVERIFY(!w.stats(0)->text().isEmpty());
        w.setLesson(1);  // CE vs LDAM, ρ = 100
        QTRY_VERIFY_WITH_TIMEOUT(w.view(1)->pointPixels().size() == 505, 10000);
        for (int side = 0; side < 2; ++side) {
            QVERIFY(w.view(side)->regionCells().empty());
            QCOMPARE(w.view(side)->otherBoundarySegments(), 0);
            QVERIFY(w.view(side)->hint().contains("Train both"));
            QVERIFY(w.stats(side)->text().isEmpty());
            QVERIFY(w.epochReports(side).empty());
        }
        QCOMPARE(w.view(1)->title(), QStringLiteral("LDAM"));
        QCOMPARE(w.replaySlider()->maximum(), 0);
        // Switching while a run goes stops it first: the new lesson's views stay empty.
        w.trainBoth();
        QVERIFY(w.isRunning());
        QElapsedTimer clock;
        clock.start();
        w.setLesson(2);
        QVERIFY(clock.elapsed() < 1000);  // abandoned, not waited for
        QVERIFY(!w.isRunning());
        auto* train = w.findChild<QPushButton*>(QString(), Qt::FindChildrenRecursively);
        for (auto* b : w.findChildren<QPushButton*>())
            if (b->text() == "Train both") train = b;
        QTRY_VERIFY_WITH_TIMEOUT(train->isEnabled(), 10000);  // once the old pair has wound down
        QTRY_VERIFY_WITH_TIMEOUT(w.view(0)->pointPixels().size() == 510, 10000);  // ρ = 50: 500 + 10
        QTest::qWait(300);
        QVERIFY(w.view(0)->regionCells().empty());  // nothing of the abandoned runs drawn
        QVERIFY(w.epochReports(0).empty());
        QCOMPARE(w.view(0)->title(), QStringLiteral("CB RW"));
        // Choosing another method after a run clears that run too.
        w.setPaceSeconds(0);
        w.trainBoth();
        QVERIFY(done.wait(120000));
        QVERIFY(!w.view(1)->regionCells().empty());
        w.methodBox(1)->setCurrentIndex(w.methodBox(1)->findData(QStringLiteral("ldam-drw")));
        QTRY_VERIFY_WITH_TIMEOUT(w.view(1)->hint().contains("Train both"), 10000);
        QVERIFY(w.view(1)->regionCells().empty());
        QCOMPARE(w.view(1)->title(), QStringLiteral("LDAM-DRW"));
    }

    void paceSlowsTheRunButNotItsResults() {
        TeachingWindow w;
        w.setLesson(0);
        w.epochsBox()->setValue(5);
        w.setPaceSeconds(0);
        QSignalSpy done(&w, &TeachingWindow::bothFinished);
        w.trainBoth();
        QVERIFY(done.wait(60000));
        const double fastError = w.epochReports(1).back().balancedError;
        w.setPaceSeconds(1.5);  // 5 epochs: 0.3 s each, the wait after the last one skipped
        QElapsedTimer clock;
        clock.start();
        w.trainBoth();
        QTest::qWait(400);
        QVERIFY2(w.epochReports(0).size() < 5, "the paced run went at full speed");
        QVERIFY(done.wait(60000));
        QVERIFY(clock.elapsed() >= 1200);
        QCOMPARE(w.epochReports(1).size(), size_t(5));
        QCOMPARE(w.epochReports(1).back().balancedError, fastError);  // same seed, same numbers
        QCOMPARE(w.paceBox()->currentData().toDouble(), 1.5);
    }

    void presentationModeOnAProjector() {
        TeachingWindow w;
        w.resize(1920, 1080);
        w.show();
        w.setLesson(1);
        w.setPaceSeconds(0);
        QSignalSpy done(&w, &TeachingWindow::bothFinished);
        w.trainBoth();
        QVERIFY(done.wait(120000));
        const QFont before = w.view(0)->xAxis->tickLabelFont();
        w.setPresentationMode(true);
        QTest::qWait(50);
        for (int side = 0; side < 2; ++side) {
            DecisionView* v = w.view(side);
            QCOMPARE(v->presentationScale(), 1.8);
            QVERIFY(v->xAxis->tickLabelFont().pointSizeF() >= 1.7 * before.pointSizeF());
            checkLabelsClear(v);
            QVERIFY(w.stats(side)->font().pointSizeF() >= 15);
        }
        QVERIFY(w.paceBox()->font().pointSizeF() >= 13);  // the controls grow too
        w.setPresentationMode(false);  // and back: sizes return, nothing accumulates
        QCOMPARE(w.view(0)->xAxis->tickLabelFont().pointSizeF(), before.pointSizeF());
    }

    void presentationModeHidesAdvancedControls() {
        TeachingWindow w;
        w.show();
        auto* epochsLabel = w.findChild<QSpinBox*>();
        QVERIFY(epochsLabel && epochsLabel->isVisible());
        w.setPresentationMode(true);
        QVERIFY(!epochsLabel->isVisible());
        QVERIFY(w.caption()->font().pointSizeF() >= 15);
        w.setPresentationMode(false);
        QVERIFY(epochsLabel->isVisible());
    }

    void theoryExplorerMinimumIsTheClosedForm() {
        MarginTheoryView v;
        v.setN(6000, 60);
        QVERIFY(std::abs(v.numericRatio() - std::sqrt(0.1)) < 1e-3);  // (60/6000)^(1/4)
        QVERIFY(std::abs(v.closedRatio() - std::sqrt(0.1)) < 1e-12);
        v.setFastRate(true);
        QVERIFY(std::abs(v.numericRatio() - std::cbrt(0.01)) < 1e-3);
        QVERIFY(v.summaryText().contains("1/3"));
        v.setDatasetCounts({"a", "b"}, {1600, 1});  // Δ ∝ n^(−1/4): 1600 → 1/√40... relative 1/6.3246
        const auto d = v.shownDeltas();
        QCOMPARE(d.size(), 2);
        QVERIFY(std::abs(d[1] - 0.5) < 1e-12);
        QVERIFY(std::abs(d[0] - 0.5 / std::pow(1600.0, 0.25)) < 1e-12);
    }
};

QTEST_MAIN(TestTeaching)
#include "tst_teaching.moc"
