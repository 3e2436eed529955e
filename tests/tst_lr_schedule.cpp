// The official LR schedule and its scaling to shorter runs.
#include "training/lr_schedule.h"

#include <QtTest>

#include <cmath>

using namespace imblab;

class TestLrSchedule : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void scaling_data() {
        QTest::addColumn<int>("epochs");
        QTest::addColumn<int>("warmup");
        QTest::addColumn<int>("decay1");
        QTest::addColumn<int>("decay2");
        QTest::newRow("200 official") << 200 << 5 << 160 << 180;
        QTest::newRow("20 (PRODUCT.md example)") << 20 << 1 << 16 << 18;
        QTest::newRow("8 quick") << 8 << 1 << 6 << 7;
        QTest::newRow("100") << 100 << 3 << 80 << 90;  // 2.5 rounds up
        QTest::newRow("1") << 1 << 1 << 1 << 1;
    }
    void scaling() {
        QFETCH(int, epochs);
        QFETCH(int, warmup);
        QFETCH(int, decay1);
        QFETCH(int, decay2);
        const auto s = scaledSchedule(epochs);
        QCOMPARE(s.warmup, warmup);
        QCOMPARE(s.decay1, decay1);
        QCOMPARE(s.decay2, decay2);
    }

    void officialFactors() {
        // adjust_learning_rate(): epoch+1 ≤ 5 → (epoch+1)/5; > 180 → 1e-4; > 160 → 1e-2.
        const auto s = scaledSchedule(200);
        QCOMPARE(lrFactor(0, s), 0.2);
        QCOMPARE(lrFactor(4, s), 1.0);
        QCOMPARE(lrFactor(5, s), 1.0);
        QCOMPARE(lrFactor(159, s), 1.0);
        QCOMPARE(lrFactor(160, s), 0.01);
        QCOMPARE(lrFactor(179, s), 0.01);
        QCOMPARE(lrFactor(180, s), 1e-4);
        QCOMPARE(lrFactor(199, s), 1e-4);
        const auto t = scaledSchedule(20);
        QCOMPARE(lrFactor(0, t), 1.0);
        QCOMPARE(lrFactor(15, t), 1.0);
        QCOMPARE(lrFactor(16, t), 0.01);
        QCOMPARE(lrFactor(18, t), 1e-4);
    }

    // Runs whose epoch points fall inside them keep those points, step for step.
    void longRunsKeepTheEpochPoints() {
        const RunSchedule s = placeSchedule("official", 20, 10);
        QVERIFY(!s.stepLevel);
        QCOMPARE(s.firstDecayStep(), int64_t(160));
        QCOMPARE(lrFactorAtStep(159, s), 1.0);
        QCOMPARE(lrFactorAtStep(160, s), 0.01);
        QCOMPARE(lrFactorAtStep(180, s), 1e-4);
        QVERIFY(!placeSchedule("official", 8, 100).stepLevel);  // {1, 6, 7}: both decays inside
        for (int e = 0; e < 200; ++e) QCOMPARE(lrFactorAtStep(int64_t(e) * 3 + 2, placeSchedule("official", 200, 3)), lrFactor(e, scaledSchedule(200)));
    }

    // Short runs place 2.5 %, 80 % and 90 % of their steps (2 epochs of 100 steps: T = 200).
    void shortRunsPlaceTheirPointsByStep() {
        const RunSchedule s = placeSchedule("official", 2, 100);
        QVERIFY(s.stepLevel);
        QCOMPARE(s.warmupSteps, int64_t(5));
        QCOMPARE(s.decay1Step, int64_t(160));
        QCOMPARE(s.decay2Step, int64_t(180));
        QCOMPARE(lrFactorAtStep(0, s), 0.2);
        QCOMPARE(lrFactorAtStep(4, s), 1.0);
        QCOMPARE(lrFactorAtStep(159, s), 1.0);
        QCOMPARE(lrFactorAtStep(160, s), 0.01);
        QCOMPARE(lrFactorAtStep(179, s), 0.01);
        QCOMPARE(lrFactorAtStep(180, s), 1e-4);
        // 6 epochs: the epoch points {1, 5, 5} would merge both decays; by step (T = 60): 2, 48, 54.
        const RunSchedule six = placeSchedule("official", 6, 10);
        QVERIFY(six.stepLevel);
        QCOMPARE(six.warmupSteps, int64_t(2));
        QCOMPARE(six.decay1Step, int64_t(48));
        QCOMPARE(six.decay2Step, int64_t(54));
        // 1 epoch of 3 steps: both decays on the last step, none past the run.
        const RunSchedule one = placeSchedule("official", 1, 3);
        QCOMPARE(one.decay1Step, int64_t(2));
        QCOMPARE(one.decay2Step, int64_t(2));
        QCOMPARE(lrFactorAtStep(2, one), 1e-4);
    }

    void constantStaysConstant() {
        const RunSchedule s = placeSchedule("constant", 2, 10);
        QVERIFY(!s.stepLevel);
        for (int64_t step = 0; step < 20; ++step) QCOMPARE(lrFactorAtStep(step, s), 1.0);
    }

    // He et al.'s step schedule as the LDAM paper runs iNaturalist: ×0.1 from epoch 30, again
    // from 60 of 90 (the default thirds), DRW from the last decay; set by hand, the decays are
    // kept sorted and those outside the run dropped.
    void stepScheduleDecaysTenfold() {
        const RunSchedule s = placeSchedule("step", 90, 100);
        QCOMPARE(s.stepDecays, (std::vector<int>{30, 60}));
        QCOMPARE(s.deferralEpoch, 60);
        QCOMPARE(lrFactorAtStep(2999, s), 1.0);
        QCOMPARE(lrFactorAtStep(3000, s), 0.1);
        QCOMPARE(lrFactorAtStep(5999, s), 0.1);
        QCOMPARE(lrFactorAtStep(6000, s), 0.1 * 0.1);
        QCOMPARE(lrFactorAtStep(8999, s), 0.1 * 0.1);
        const RunSchedule t = placeSchedule("step", 120, 10, {90, 200, 0});  // Tiny ImageNet: one decay at 90
        QCOMPARE(t.stepDecays, (std::vector<int>{90}));
        QCOMPARE(t.deferralEpoch, 90);
        QCOMPARE(lrFactorAtStep(899, t), 1.0);
        QCOMPARE(lrFactorAtStep(900, t), 0.1);
    }

    // Cosine to 0 over the run, set at each epoch's start (CosineAnnealingLR, T_max = epochs):
    // 4 epochs give 1, ½(1 + cos π/4) = 0.853553…, ½, ½(1 + cos 3π/4) = 0.146446…
    void cosineFallsToZero() {
        const RunSchedule s = placeSchedule("cosine", 4, 10);
        QCOMPARE(lrFactorAtStep(0, s), 1.0);
        QCOMPARE(lrFactorAtStep(9, s), 1.0);
        QVERIFY(std::abs(lrFactorAtStep(10, s) - 0.8535533905932737) < 1e-15);
        QVERIFY(std::abs(lrFactorAtStep(25, s) - 0.5) < 1e-15);
        QVERIFY(std::abs(lrFactorAtStep(39, s) - 0.1464466094067262) < 1e-15);
        QCOMPARE(placeSchedule("cosine", 90, 1).deferralEpoch, 72);  // 80 % of the run
    }
};

QTEST_APPLESS_MAIN(TestLrSchedule)
#include "tst_lr_schedule.moc"
