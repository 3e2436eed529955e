// The official LR schedule and its scaling to shorter runs.
#include "training/lr_schedule.h"

#include <QtTest>

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
};

QTEST_APPLESS_MAIN(TestLrSchedule)
#include "tst_lr_schedule.moc"
