// Teaching mode driven like a teacher: a lesson trains both sides, the views fill, replay
// goes back in time, presentation mode hides the advanced controls; the theory explorer.
#include "charts/chart_export.h"
#include "teaching/decision_view.h"
#include "teaching/margin_theory_view.h"
#include "teaching/teaching_window.h"

#include <QLabel>
#include <QSignalSpy>
#include <QSlider>
#include <QtTest>

using namespace imblab;
using namespace imblab::ui;

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
            QVERIFY(w.view(side)->boundaryCells() > 0);
            for (double m : w.view(side)->shownClassMargins()) QVERIFY(std::isfinite(m));
        }
        // The ringed minority margin equals the engine's class margin γ_B of the last epoch.
        QVERIFY(std::abs(w.view(1)->shownClassMargins()[1] - w.epochReports(1).back().margins[1].min) < 1e-5);
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
