// Imbalance profiles against hand-computed counts, and the seeded subset draw.
#include "data/dataset_loader.h"
#include "data/imbalance_profile.h"
#include "errors.h"
#include "util/rng.h"

#include <QtTest>

using namespace imblab;
using Counts = std::vector<int64_t>;
Q_DECLARE_METATYPE(Counts)

class TestImbalanceProfile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void counts_data() {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<double>("rho");
        QTest::addColumn<double>("mu");
        QTest::addColumn<int>("nMax");
        QTest::addColumn<int>("k");
        QTest::addColumn<Counts>("expected");
        // PRODUCT.md §1: Fashion-MNIST exp ρ=100.
        QTest::newRow("exp rho100 fmnist") << "exp" << 100.0 << 0.5 << 6000 << 10
                                           << Counts{6000, 3596, 2156, 1292, 774, 464, 278, 166, 100, 60};
        QTest::newRow("step rho100 mu0.5") << "step" << 100.0 << 0.5 << 6000 << 10
                                           << Counts{6000, 6000, 6000, 6000, 6000, 60, 60, 60, 60, 60};
        // CIFAR-10 exp ρ=100 (official code): 5000·0.01^(i/9).
        QTest::newRow("exp rho100 cifar10") << "exp" << 100.0 << 0.5 << 5000 << 10
                                            << Counts{5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50};
        // ρ=10: 5000·0.1^(i/9): 5000, 3871.2→3871, 2997.1→2997, 2320.8, 1796.9, 1391.4, 1077.2, 834.0, 645.8, 500.
        QTest::newRow("exp rho10 cifar10") << "exp" << 10.0 << 0.5 << 5000 << 10
                                           << Counts{5000, 3871, 2997, 2320, 1796, 1391, 1077, 834, 645, 500};
        // μ·k = 2.5 rounds half away from zero → 3 minority classes of ⌊100/4⌋ = 25.
        QTest::newRow("step mu rounding") << "step" << 4.0 << 0.5 << 100 << 5 << Counts{100, 100, 25, 25, 25};
        QTest::newRow("step mu 0.2") << "step" << 10.0 << 0.2 << 500 << 5 << Counts{500, 500, 500, 500, 50};
        QTest::newRow("step mu 0") << "step" << 10.0 << 0.0 << 500 << 4 << Counts{500, 500, 500, 500};
        QTest::newRow("step mu 1") << "step" << 10.0 << 1.0 << 500 << 3 << Counts{50, 50, 50};
        QTest::newRow("rho 1 is balanced") << "exp" << 1.0 << 0.5 << 300 << 3 << Counts{300, 300, 300};
        QTest::newRow("none") << "none" << 100.0 << 0.5 << 300 << 3 << Counts{300, 300, 300};
        QTest::newRow("two classes") << "exp" << 50.0 << 0.5 << 500 << 2 << Counts{500, 10};
        // ρ beyond n_max would leave a class empty: kept at one example.
        QTest::newRow("rho 10000 leaves one") << "exp" << 10000.0 << 0.5 << 6000 << 2 << Counts{6000, 1};
    }
    void counts() {
        QFETCH(QString, profile);
        QFETCH(double, rho);
        QFETCH(double, mu);
        QFETCH(int, nMax);
        QFETCH(int, k);
        QFETCH(Counts, expected);
        ImbalanceSpec spec;
        spec.kind = parseProfile(profile.toStdString());
        spec.rho = rho;
        spec.mu = mu;
        QCOMPARE(ImbalanceProfile(spec).classCounts(nMax, k), expected);
    }

    void capsAtAvailableExamples() {
        // MNIST: n_max = 6000 but class 0 has 5923 examples.
        ImbalanceSpec spec;
        spec.rho = 1;
        const auto counts = ImbalanceProfile(spec).classCounts(6000, Counts{5923, 6742});
        QCOMPARE(counts, (Counts{5923, 6000}));
    }

    void rejectsBadRhoAndMu_data() {
        QTest::addColumn<double>("rho");
        QTest::addColumn<double>("mu");
        QTest::addColumn<QString>("field");
        QTest::newRow("rho < 1") << 0.5 << 0.5 << "rho";
        QTest::newRow("rho NaN") << std::nan("") << 0.5 << "rho";
        QTest::newRow("rho inf") << HUGE_VAL << 0.5 << "rho";
        QTest::newRow("mu < 0") << 10.0 << -0.1 << "mu";
        QTest::newRow("mu > 1") << 10.0 << 1.5 << "mu";
    }
    void rejectsBadRhoAndMu() {
        QFETCH(double, rho);
        QFETCH(double, mu);
        QFETCH(QString, field);
        ImbalanceSpec spec;
        spec.rho = rho;
        spec.mu = mu;
        try {
            ImbalanceProfile p(spec);
            QFAIL("expected a ConfigError");
        } catch (const ConfigError& e) {
            QCOMPARE(QString::fromStdString(e.field()), field);
        }
    }

    void shuffledClassesAreSeededPermutation() {
        ImbalanceSpec spec;
        spec.shuffleClasses = true;
        spec.seed = 7;
        const auto a = ImbalanceProfile(spec).classCounts(6000, 10);
        const auto b = ImbalanceProfile(spec).classCounts(6000, 10);
        QCOMPARE(a, b);
        auto sorted = a;
        std::sort(sorted.rbegin(), sorted.rend());
        QCOMPARE(sorted, (Counts{6000, 3596, 2156, 1292, 774, 464, 278, 166, 100, 60}));
        QVERIFY(a != sorted);  // seed 7 does not keep the identity order
    }

    void subsetIsDeterministicAndHasTheCounts() {
        std::vector<int64_t> labels;
        for (int i = 0; i < 1000; ++i) labels.push_back(i % 4);
        ImbalanceSpec spec;
        spec.seed = 3;
        const ImbalanceProfile p(spec);
        const Counts counts{250, 40, 7, 1};
        const auto a = p.drawSubset(labels, counts);
        QCOMPARE(a, p.drawSubset(labels, counts));
        QCOMPARE(int64_t(a.size()), int64_t(298));
        Counts per(4, 0);
        for (int64_t i : a) ++per[size_t(labels[size_t(i)])];
        QCOMPARE(per, counts);
        QVERIFY(std::is_sorted(a.begin(), a.end()));
        QVERIFY(std::adjacent_find(a.begin(), a.end()) == a.end());
        spec.seed = 4;
        QVERIFY(ImbalanceProfile(spec).drawSubset(labels, counts) != a);
    }

    void subsetKnownDraw() {
        // Pins the portable RNG: the same seed must keep the same examples on every machine.
        std::vector<int64_t> labels(20, 0);
        ImbalanceSpec spec;
        spec.seed = 0;
        // The values were computed once with this implementation; any change to the RNG, its
        // seeding or the draw changes which examples every user's runs keep, and fails here.
        QCOMPARE(ImbalanceProfile(spec).drawSubset(labels, Counts{3}), (std::vector<int64_t>{14, 15, 17}));
        Rng rng(42);
        QCOMPARE(rng.next(), uint64_t(1546998764402558742ULL));
        QCOMPARE(rng.below(1000), uint64_t(102));
    }

    void previewNeedsNoImages() {
        DatasetConfig cfg;
        cfg.id = "cifar10";  // no folder anywhere: the preview uses the manifest only
        cfg.rho = 100;
        const auto p = previewCounts(cfg);
        QCOMPARE(p.classCounts, (Counts{5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50}));
        QCOMPARE(p.classNames.front(), std::string("airplane"));
        QCOMPARE(p.minority, (std::vector<bool>{false, false, false, false, false, true, true, true, true, true}));
    }
};

QTEST_APPLESS_MAIN(TestImbalanceProfile)
#include "tst_imbalance_profile.moc"
