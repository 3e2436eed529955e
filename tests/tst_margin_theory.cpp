// The margin theory explorer: the numeric minimum of the bound equals the closed form.
#include "teaching/margin_theory.h"

#include <QtTest>

#include <cmath>

using namespace imblab;

class TestMarginTheory : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void numericMinimumMatchesClosedForm_data() {
        QTest::addColumn<double>("n1");
        QTest::addColumn<double>("n2");
        QTest::addColumn<bool>("fast");
        QTest::newRow("6000 vs 60") << 6000.0 << 60.0 << false;
        QTest::newRow("5000 vs 50") << 5000.0 << 50.0 << false;
        QTest::newRow("100 vs 100") << 100.0 << 100.0 << false;
        QTest::newRow("10 vs 1000") << 10.0 << 1000.0 << false;
        QTest::newRow("fast 6000 vs 60") << 6000.0 << 60.0 << true;
        QTest::newRow("fast 500 vs 5") << 500.0 << 5.0 << true;
    }
    void numericMinimumMatchesClosedForm() {
        QFETCH(double, n1);
        QFETCH(double, n2);
        QFETCH(bool, fast);
        MarginTradeoff t{n1, n2, 1.0, fast};
        const double shift = numericOptimalShift(t);
        const double g1 = 0.5 - shift, g2 = 0.5 + shift;
        // By hand: 6000 vs 60 → (60/6000)^(1/4) = 0.1^(1/2) = 0.316228; fast: 0.01^(1/3) = 0.215443.
        const double expected = std::pow(n2 / n1, fast ? 1.0 / 3 : 0.25);
        QVERIFY2(std::abs(g1 / g2 - expected) < 1e-3, qPrintable(QString("%1 vs %2").arg(g1 / g2).arg(expected)));
        QVERIFY(std::abs(closedFormRatio(t) - expected) < 1e-12);
        QVERIFY(std::abs(shiftForRatio(t, expected) - shift) < 1e-3);
    }

    void handValues() {
        MarginTradeoff t{100, 4, 1.0, false};
        // δ = 0: γ = (0.5, 0.5): 1/(0.5·10) + 1/(0.5·2) = 0.2 + 1 = 1.2.
        QVERIFY(std::abs(boundAt(t, 0) - 1.2) < 1e-12);
        QCOMPARE(closedFormRatio({6000, 60, 1, false}), std::sqrt(0.1));
        QVERIFY(std::isinf(boundAt(t, 0.5)));
        const auto c = boundCurve(t, 100);
        QCOMPARE(c.shift.size(), size_t(99));
        QVERIFY(std::all_of(c.bound.begin(), c.bound.end(), [](double v) { return std::isfinite(v); }));
    }
};

QTEST_APPLESS_MAIN(TestMarginTheory)
#include "tst_margin_theory.moc"
