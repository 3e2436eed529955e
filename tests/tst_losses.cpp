// Every loss against values computed by hand from its formula (PRODUCT.md §1).
#include "errors.h"
#include "losses/loss_values.h"

#include <QtTest>

#include <cmath>

using namespace imblab;
using Rows = std::vector<std::vector<double>>;

namespace {

// Class counts chosen so that n^(−1/4) is exact: 16 → 1/2, 81 → 1/3, 1 → 1.
const std::vector<int64_t> kCounts{16, 81, 1};
const Rows kLogits{{0.2, -0.1, 0.4}, {-0.3, 0.5, 0.1}, {0.0, 0.3, -0.2}};
const std::vector<int64_t> kLabels{0, 1, 2};
const std::vector<double> kWeights{1.0, 2.0, 0.5};

double ce(const std::vector<double>& z, int64_t y) {
    double s = 0;
    for (double v : z) s += std::exp(v);
    return std::log(s) - z[size_t(y)];
}

LossConfig loss(const char* type) {
    LossConfig c;
    c.type = type;
    return c;
}

} // namespace

class TestLosses : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void crossEntropyOfEqualLogitsIsLog2() {
        QCOMPARE(evaluateLoss(loss("ce"), {5, 5}, {{0.0, 0.0}}, {0}), std::log(2.0));
        QVERIFY(std::abs(evaluateLoss(loss("ce"), {5, 5}, {{0.0, 0.0}}, {0}) - 0.693147) < 1e-6);
    }

    void crossEntropy() {
        const double expected = (ce(kLogits[0], 0) + ce(kLogits[1], 1) + ce(kLogits[2], 2)) / 3;
        QVERIFY(std::abs(evaluateLoss(loss("ce"), kCounts, kLogits, kLabels) - expected) < 1e-12);
    }

    void weightedCrossEntropyIsWeightedMean() {
        // PyTorch's F.cross_entropy(weight=w): Σ w_y·ℓ / Σ w_y.
        const double expected = (1.0 * ce(kLogits[0], 0) + 2.0 * ce(kLogits[1], 1) + 0.5 * ce(kLogits[2], 2)) / 3.5;
        QVERIFY(std::abs(evaluateLoss(loss("ce"), kCounts, kLogits, kLabels, kWeights) - expected) < 1e-12);
    }

    void focal() {
        LossConfig c = loss("focal");
        c.gamma = 2.0;
        double expected = 0;
        for (int i = 0; i < 3; ++i) {
            const double l = ce(kLogits[size_t(i)], i);
            expected += std::pow(1 - std::exp(-l), 2.0) * l / 3;
        }
        QVERIFY(std::abs(evaluateLoss(c, kCounts, kLogits, kLabels) - expected) < 1e-12);
        // Weighted: ℓ_i = w_y·CE_i inside the modulating factor too; plain mean (official code).
        double weighted = 0;
        for (int i = 0; i < 3; ++i) {
            const double l = kWeights[size_t(i)] * ce(kLogits[size_t(i)], i);
            weighted += std::pow(1 - std::exp(-l), 2.0) * l / 3;
        }
        QVERIFY(std::abs(evaluateLoss(c, kCounts, kLogits, kLabels, kWeights) - weighted) < 1e-12);
        // γ = 0 is plain CE.
        c.gamma = 0.0;
        QVERIFY(std::abs(evaluateLoss(c, kCounts, kLogits, kLabels) - evaluateLoss(loss("ce"), kCounts, kLogits, kLabels)) < 1e-12);
    }

    void ldamMargins() {
        // Δ_j = C·n_j^(−1/4), max Δ = 0.5: n^(−1/4) = (1/2, 1/3, 1) → Δ = (0.25, 1/6, 0.5).
        const auto m = lossMargins(loss("ldam"), kCounts);
        QCOMPARE(m.size(), size_t(3));
        QVERIFY(std::abs(m[0] - 0.25) < 1e-12);
        QVERIFY(std::abs(m[1] - 1.0 / 6) < 1e-12);
        QVERIFY(std::abs(m[2] - 0.5) < 1e-12);
        const auto u = lossMargins(loss("margin"), kCounts);
        QCOMPARE(u, (std::vector<double>{0.5, 0.5, 0.5}));
        QVERIFY(lossMargins(loss("ce"), kCounts).empty());
    }

    void ldam() {
        LossConfig c = loss("ldam");
        c.s = 30;
        c.maxM = 0.5;
        const std::vector<double> delta{0.25, 1.0 / 6, 0.5};
        double expected = 0, weighted = 0;
        for (int i = 0; i < 3; ++i) {
            auto z = kLogits[size_t(i)];
            z[size_t(i)] -= delta[size_t(i)];
            for (double& v : z) v *= 30;
            expected += ce(z, i) / 3;
            weighted += kWeights[size_t(i)] * ce(z, i) / 3.5;
        }
        QVERIFY(std::abs(evaluateLoss(c, kCounts, kLogits, kLabels) - expected) < 1e-9);
        QVERIFY(std::abs(evaluateLoss(c, kCounts, kLogits, kLabels, kWeights) - weighted) < 1e-9);
    }

    void uniformMargin() {
        LossConfig c = loss("margin");
        c.s = 10;
        double expected = 0;
        for (int i = 0; i < 3; ++i) {
            auto z = kLogits[size_t(i)];
            z[size_t(i)] -= 0.5;
            for (double& v : z) v *= 10;
            expected += ce(z, i) / 3;
        }
        QVERIFY(std::abs(evaluateLoss(c, kCounts, kLogits, kLabels) - expected) < 1e-9);
    }

    void ldamHinge() {
        // Row 1: max(−0.1, 0.4) − 0.2 + 0.25 = 0.45; row 2: 0.1 − 0.5 + 1/6 < 0 → 0;
        // row 3: max(0, 0.3) + 0.2 + 0.5 = 1.0. Mean 1.45/3.
        QVERIFY(std::abs(evaluateLoss(loss("ldam-hg"), kCounts, kLogits, kLabels) - 1.45 / 3) < 1e-12);
        QVERIFY(std::abs(evaluateLoss(loss("ldam-hg"), kCounts, kLogits, kLabels, kWeights) - (0.45 + 0.5 * 1.0) / 3.5) < 1e-12);
    }

    void logitAdjusted() {
        LossConfig c = loss("la");
        c.tau = 1.0;
        double expected = 0;
        for (int i = 0; i < 3; ++i) {
            auto z = kLogits[size_t(i)];
            for (int j = 0; j < 3; ++j) z[size_t(j)] += std::log(kCounts[size_t(j)] / 98.0);
            expected += ce(z, i) / 3;
        }
        QVERIFY(std::abs(evaluateLoss(c, kCounts, kLogits, kLabels) - expected) < 1e-12);
        // Balanced Softmax adds log n_j: the same loss up to a constant shift of every logit.
        QVERIFY(std::abs(evaluateLoss(loss("bsm"), kCounts, kLogits, kLabels) - expected) < 1e-12);
        c.tau = 2.0;
        double tau2 = 0;
        for (int i = 0; i < 3; ++i) {
            auto z = kLogits[size_t(i)];
            for (int j = 0; j < 3; ++j) z[size_t(j)] += 2.0 * std::log(kCounts[size_t(j)] / 98.0);
            tau2 += ce(z, i) / 3;
        }
        QVERIFY(std::abs(evaluateLoss(c, kCounts, kLogits, kLabels) - tau2) < 1e-12);
    }

    void vectorScaling() {
        LossConfig c = loss("vs");  // defaults γ = 0.2, τ = 1.2
        double expected = 0;
        for (int i = 0; i < 3; ++i) {
            std::vector<double> z(3);
            for (int j = 0; j < 3; ++j)
                z[size_t(j)] = std::pow(kCounts[size_t(j)] / 81.0, 0.2) * kLogits[size_t(i)][size_t(j)] +
                               1.2 * std::log(kCounts[size_t(j)] / 98.0);
            expected += ce(z, i) / 3;
        }
        QVERIFY(std::abs(evaluateLoss(c, kCounts, kLogits, kLabels) - expected) < 1e-12);
    }

    void rejectsBadParameters() {
        LossConfig c = loss("ldam");
        c.s = -1;
        try {
            evaluateLoss(c, kCounts, kLogits, kLabels);
            QFAIL("expected ConfigError");
        } catch (const ConfigError& e) {
            QCOMPARE(e.field(), std::string("loss.s"));
        }
        QVERIFY_THROWS_EXCEPTION(ConfigError, evaluateLoss(loss("hinge"), kCounts, kLogits, kLabels));
    }
};

QTEST_APPLESS_MAIN(TestLosses)
#include "tst_losses.moc"
