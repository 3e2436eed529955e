// Class weights, the deferred switch and the sampler's statistics.
#include "errors.h"
#include "training/rebalancing.h"
#include "training/sampler.h"

#include <QtTest>

#include <cmath>

using namespace imblab;

class TestRebalancing : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void inverseFrequency() {
        // 1/n = (1/100, 1/10, 1/1) = (0.01, 0.1, 1), sum 1.11; × 3/1.11.
        const auto w = inverseFrequencyWeights({100, 10, 1});
        QVERIFY(std::abs(w[0] - 0.03 / 1.11) < 1e-12);
        QVERIFY(std::abs(w[1] - 0.3 / 1.11) < 1e-12);
        QVERIFY(std::abs(w[2] - 3.0 / 1.11) < 1e-12);
    }

    void classBalanced() {
        // β = 0.9: (1−β)/(1−β^n) for n = 1, 2: 0.1/0.1 = 1, 0.1/0.19; normalized to sum 2.
        const auto w = classBalancedWeights({1, 2}, 0.9);
        const double a = 1.0, b = 0.1 / 0.19, s = a + b;
        QVERIFY(std::abs(w[0] - 2 * a / s) < 1e-12);
        QVERIFY(std::abs(w[1] - 2 * b / s) < 1e-12);
        // β = 0.9999 on the Fashion-MNIST-LT counts: sum k, rarest class largest.
        const std::vector<int64_t> counts{6000, 3596, 2156, 1292, 774, 464, 278, 166, 100, 60};
        const auto cb = classBalancedWeights(counts, 0.9999);
        double sum = 0;
        for (double v : cb) sum += v;
        QVERIFY(std::abs(sum - 10) < 1e-9);
        QVERIFY(std::is_sorted(cb.begin(), cb.end()));
        // β → 0 gives equal weights.
        for (double v : classBalancedWeights(counts, 0.0)) QVERIFY(std::abs(v - 1) < 1e-12);
    }

    void deferredSwitch() {
        RebalanceConfig cfg;
        cfg.type = "cb-rw";
        cfg.deferred = true;  // defer epoch -1 = first LR decay
        const RebalanceSchedule s(cfg, {100, 10}, 16);
        QCOMPARE(s.switchEpoch(), 16);
        QVERIFY(!s.at(15).reweight);
        QVERIFY(s.at(15).weights.empty());
        QVERIFY(s.at(16).reweight);
        QCOMPARE(s.at(16).weights, classBalancedWeights({100, 10}, 0.9999));
        cfg.deferEpoch = 3;
        cfg.type = "rs";
        const RebalanceSchedule rs(cfg, {100, 10}, 16);
        QVERIFY(!rs.at(2).resample);
        QVERIFY(rs.at(3).resample);
        QVERIFY(!rs.at(3).reweight);
        QCOMPARE(rs.at(3).weights, inverseFrequencyWeights({100, 10}));
    }

    void notDeferredFromTheStart() {
        RebalanceConfig cfg;
        cfg.type = "rw";
        const RebalanceSchedule s(cfg, {100, 10}, 16);
        QVERIFY(s.at(0).reweight);
        RebalanceConfig none;
        QVERIFY(RebalanceSchedule(none, {100, 10}, 16).isErm());
    }

    void rejectsBadConfig() {
        RebalanceConfig cfg;
        cfg.type = "cb";
        QVERIFY_THROWS_EXCEPTION(ConfigError, RebalanceSchedule(cfg, {1, 2}, 1));
        cfg.type = "cb-rw";
        cfg.beta = 1.0;
        try {
            RebalanceSchedule(cfg, {1, 2}, 1);
            QFAIL("expected ConfigError");
        } catch (const ConfigError& e) {
            QCOMPARE(e.field(), std::string("rebalance.beta"));
        }
    }

    void permutationVisitsEachOnce() {
        Rng rng(5);
        auto order = shuffledOrder(1000, rng);
        std::sort(order.begin(), order.end());
        for (int64_t i = 0; i < 1000; ++i) QCOMPARE(order[size_t(i)], i);
    }

    void resamplingIsClassBalanced() {
        // 900 examples of class 0, 100 of class 1, weights ∝ 1/n → each class drawn half the time.
        std::vector<int64_t> labels(900, 0);
        labels.insert(labels.end(), 100, 1);
        Rng rng(1);
        const auto w = inverseFrequencyWeights({900, 100});
        int64_t ones = 0, total = 0;
        std::vector<int> seen(1000, 0);
        for (int rep = 0; rep < 20; ++rep) {
            const auto order = resampledOrder(labels, w, rng);
            QCOMPARE(order.size(), labels.size());  // epoch length unchanged
            for (int64_t i : order) {
                ones += labels[size_t(i)];
                ++seen[size_t(i)];
                ++total;
            }
        }
        const double frac = double(ones) / double(total);  // expected 0.5, sd ≈ 0.0035
        QVERIFY2(std::abs(frac - 0.5) < 0.02, qPrintable(QString::number(frac)));
        // Within class 1, draws are uniform: each of the 100 seen ≈ 100 times.
        for (int i = 900; i < 1000; ++i) QVERIFY(seen[size_t(i)] > 50 && seen[size_t(i)] < 160);
    }
};

QTEST_APPLESS_MAIN(TestRebalancing)
#include "tst_rebalancing.moc"
