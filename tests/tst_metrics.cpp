// Margins, errors and calibration on hand-made logits; the collapse check on hand-made
// confusion matrices and loss curves.
#include "api/class_measures.h"
#include "api/shot_groups.h"
#include "errors.h"
#include "training/collapse_check.h"
#include "training/evaluation.h"
#include "training/metrics.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace imblab;

namespace {
LogitTable table(const std::vector<std::vector<float>>& rows) {
    LogitTable t;
    t.rows = int64_t(rows.size());
    t.classes = int(rows[0].size());
    for (const auto& r : rows) t.values.insert(t.values.end(), r.begin(), r.end());
    return t;
}
} // namespace

class TestMetrics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void collapseOntoOneClass() {
        MetricsReport r;
        // 3 classes, 100 test images each: 290 of 300 predictions are class 1 (97 %), which holds
        // a third of the test set.
        r.confusion = ConfusionCounts::fromMatrix({{5, 95, 0}, {0, 100, 0}, {0, 95, 5}});
        TrainConfig t;
        t.optimizer = "sgd";
        t.lr = 10;
        const CollapseCheck c = checkCollapse(r, {}, t, {"a", "b", "c"});
        QVERIFY(c.collapsed);
        QCOMPARE(c.what, std::string("predicts b for 97 % of the test examples (33 % of them are b)"));
        QVERIFY(c.cause.find("learning rate 10 is far above the usual for SGD") != std::string::npos);
        QVERIFY(c.message().rfind("collapsed: predicts b", 0) == 0);
        // 94 %: below the threshold.
        r.confusion = ConfusionCounts::fromMatrix({{12, 88, 0}, {0, 100, 0}, {0, 94, 6}});
        QVERIFY(!checkCollapse(r, {}, t, {"a", "b", "c"}).collapsed);
    }

    void collapseOntoTwoOfManyClasses() {
        // 5 classes × 20 test images; classes 0 and 3 take 96 of 100 predictions (40 % of the set).
        MetricsReport r;
        r.confusion = ConfusionCounts::fromMatrix({{20, 0, 0, 0, 0}, {10, 0, 0, 10, 0}, {9, 0, 2, 9, 0}, {0, 0, 0, 20, 0}, {10, 0, 0, 8, 2}});
        TrainConfig t;  // Adam at 0.001: no LR to blame
        t.optimizer = "adam";
        t.lr = 0.001;
        const CollapseCheck c = checkCollapse(r, {}, t, {"a", "b", "c", "d", "e"});
        QVERIFY(c.collapsed);
        QCOMPARE(c.what, std::string("predicts a and d for 96 % of the test examples (40 % of them are a and d)"));
        QCOMPARE(c.cause, std::string("check the learning rate, the number of epochs and the re-balancing"));
    }

    // Ten classes × 10 test images piled onto three: Trouser 37, Bag 32, Sneaker 30 of the 100
    // predictions (the top two, 69 %, would not have told).
    void collapseOntoThreeOfTenClasses() {
        const std::vector<std::string> names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
        MetricsReport r;
        std::vector<std::vector<int64_t>> m(10, std::vector<int64_t>(10, 0));
        for (int t = 0; t < 10; ++t) {
            auto& row = m[size_t(t)];
            if (t == 1 || t == 7 || t == 8) row[size_t(t)] = 10;
            else if (t == 0) row[0] = 1, row[1] = 3, row[7] = 2, row[8] = 4;
            else row[1] = 4, row[7] = 3, row[8] = 3;
        }
        r.confusion = ConfusionCounts::fromMatrix(m);
        const CollapseCheck c = checkCollapse(r, {}, TrainConfig{}, names);
        QVERIFY(c.collapsed);
        QCOMPARE(c.what, std::string("predicts Trouser, Bag and Sneaker for 99 % of the test examples "
                                     "(30 % of them are Trouser, Bag and Sneaker)"));
        // Four classes holding the predictions is a model that tells some classes apart.
        for (int t : {0, 2, 3, 4, 5, 6, 9}) m[size_t(t)] = {0, 2, 0, 0, 0, 0, 0, 2, 2, 0};
        for (int t : {0, 2, 3, 4, 5, 6, 9}) m[size_t(t)][size_t(t == 9 ? 9 : 0)] += 4;
        r.confusion = ConfusionCounts::fromMatrix(m);
        QVERIFY(!checkCollapse(r, {}, TrainConfig{}, names).collapsed);
    }

    void aLongTailedTestSetIsNotACollapse() {
        // An own-data hold-out that is itself 96 % class 0: predicting it 97 % of the time is fine.
        MetricsReport r;
        r.confusion = ConfusionCounts::fromMatrix({{95, 1}, {2, 2}});
        QVERIFY(!checkCollapse(r, {}, TrainConfig{}, {"big", "small"}).collapsed);
    }

    void aLossThatStopsMoving() {
        MetricsReport r;
        r.confusion = ConfusionCounts::fromMatrix({{50, 50}, {50, 50}});  // predictions spread evenly: not the first rule
        TrainConfig t;
        const std::vector<double> stuck = {2.303, 2.3026, 2.3027, 2.3025, 2.3026, 2.3026};  // last half within 1 %
        const CollapseCheck c = checkCollapse(r, stuck, t, {"a", "b"});
        QVERIFY(c.collapsed);
        QVERIFY(c.what.find("the training loss stopped moving at 2.303") == 0);
        const std::vector<double> learning = {2.3, 1.2, 0.8, 0.61, 0.6, 0.6};  // flat, but far below the start
        QVERIFY(!checkCollapse(r, learning, t, {"a", "b"}).collapsed);
        QVERIFY(!checkCollapse(r, {2.3, 2.3, 2.3}, t, {"a", "b"}).collapsed);  // too few epochs to say
    }

    void marginsOnHandMadeExample() {
        // γ = z_y − max_{j≠y} z_j: 2 − 1 = 1; 0.5 − 3 = −2.5; 1 − 1 = 0.
        const auto t = table({{2, 1, 0}, {3, 0.5f, 1}, {1, 0, 1}});
        const auto m = exampleMargins(t, {0, 1, 2});
        QCOMPARE(m, (std::vector<double>{1.0, -2.5, 0.0}));
    }

    void marginStatistics() {
        const auto s = marginStats({0.4, -1.0, 0.2, 1.0, 0.0}, -2, 2, 4);
        QCOMPARE(s.min, -1.0);
        QCOMPARE(s.max, 1.0);
        QCOMPARE(s.median, 0.2);
        QCOMPARE(s.q1, 0.0);   // numpy: sorted (−1, 0, .2, .4, 1), position 1
        QCOMPARE(s.q3, 0.4);
        // Bins [−2,−1), [−1,0), [0,1), [1,2]: −1 → bin 1; 0, .2, .4 → bin 2; 1 → bin 3.
        QCOMPARE(s.histogram, (std::vector<int64_t>{0, 1, 3, 1}));
        QCOMPARE(niceMarginRange({0.3, -1.7}), 2.0);
        QCOMPARE(niceMarginRange({7.0}), 10.0);
        QCOMPARE(niceMarginRange({0.9}), 1.0);
    }

    void errorsAndConfusion() {
        const auto t = table({{2, 1}, {0, 1}, {3, 0}, {0, 1}, {1, 0}});
        const std::vector<int64_t> y{0, 0, 0, 1, 1};
        const auto pred = argmaxPredictions(t);
        QCOMPARE(pred, (std::vector<int64_t>{0, 1, 0, 1, 0}));
        const ConfusionCounts c = ConfusionCounts::of(y, pred, 2);
        QCOMPARE(c.classes, 2);
        QCOMPARE(c.cells, (std::vector<ConfusionCell>{{0, 0, 2}, {0, 1, 1}, {1, 0, 1}, {1, 1, 1}}));
        QCOMPARE(c.at(0, 1), int64_t(1));
        QCOMPARE(c.rowTotals(), (std::vector<int64_t>{3, 2}));
        QCOMPARE(c.columnTotals(), (std::vector<int64_t>{3, 2}));
        const auto e = perClassError(c);
        QCOMPARE(perClassError(y, pred, 2), e);
        QVERIFY(std::abs(e[0] - 1.0 / 3) < 1e-12);
        QCOMPARE(e[1], 0.5);
        QVERIFY(std::isnan(maskedMean(e, {false, false})));
        // Post-hoc adjustment: subtracting (0, −2) from the logits flips every prediction to 1.
        QCOMPARE(argmaxPredictions(t, {0.0, -2.0}), (std::vector<int64_t>{1, 1, 0, 1, 1}));
    }

    // Only the non-zero cells, in (true, predicted) order, whatever k; the most confused pairs
    // off the diagonal, largest first, ties by true then predicted class.
    void sparseConfusionAtManyClasses() {
        const int k = 8142;
        std::vector<int64_t> y, p;
        for (int i = 0; i < 3 * k; ++i) {
            y.push_back(i % k);
            p.push_back(i % k == 7 ? 3 : i % 5 == 0 ? (i + 1) % k : i % k);
        }
        const ConfusionCounts c = ConfusionCounts::of(y, p, k);
        QVERIFY(c.cells.size() < size_t(2 * k));  // not k² = 66 million
        QCOMPARE(c.at(7, 3), int64_t(3));
        QCOMPARE(c.at(7, 7), int64_t(0));
        QCOMPARE(c.rowTotals()[7], int64_t(3));
        const auto top = c.mostConfused(2);
        QCOMPARE(top.size(), size_t(2));
        QCOMPARE(top[0], (ConfusionCell{7, 3, 3}));
        QCOMPARE(top[1].count, int64_t(1));
        QCOMPARE(perClassError(c)[7], 1.0);
        QCOMPARE(ConfusionCounts::fromMatrix({{2, 0}, {1, 0}}).cells, (std::vector<ConfusionCell>{{0, 0, 2}, {1, 0, 1}}));
    }

    // Logits by hand: row 0 (label 2) ranks 3 > 2 > 0 = 1 (the label second: top-1 miss, top-2
    // hit); row 1 (label 0) ties the best at 1 with class 0 first (argmax takes class 0); row 2
    // (label 3) is the smallest of four. Per class top-2 errors: class 0 0/1, class 2 0/1, class
    // 3 1/1; class 1 has no example.
    void topKErrorAsArgmaxRanks() {
        const auto t = table({{0.0, 0.0, 0.5, 0.9}, {1.0, 1.0, 0.0, 0.5}, {0.4, 0.3, 0.2, 0.1}});
        const std::vector<int64_t> y{2, 0, 3};
        const auto top1 = perClassTopKError(t, y, 1);
        QCOMPARE(top1[0], 0.0);
        QCOMPARE(top1[2], 1.0);
        QVERIFY(std::isnan(top1[1]));
        QCOMPARE(perClassError(y, argmaxPredictions(t), 4)[2], top1[2]);  // k = 1 is the argmax rule
        const auto top2 = perClassTopKError(t, y, 2);
        QCOMPARE(top2[0], 0.0);
        QCOMPARE(top2[2], 0.0);
        QCOMPARE(top2[3], 1.0);
        QCOMPARE(perClassTopKError(t, y, 4)[3], 0.0);
    }

    void expectedCalibration() {
        // Two examples, 2 classes, logits (0, 0) → confidence 0.5 (bin 7 of 15), one right;
        // logits (log 9, 0) → confidence 0.9 (bin 13), wrong.
        const auto t = table({{0, 0}, {float(std::log(9.0)), 0}});
        const double ece = expectedCalibrationError(t, {0, 1}, 1.0, 15);
        // bin of 0.5: |1 − 0.5|·1/2; bin of 0.9: |0 − 0.9|·1/2 → 0.25 + 0.45.
        QVERIFY(std::abs(ece - 0.7) < 1e-6);
    }

    void shotGroups() {
        const auto s = shotAccuracy({0.1, 0.2, 0.5, 1.0}, {500, 101, 100, 5});
        QVERIFY(std::abs(s.many - 0.85) < 1e-12);
        QCOMPARE(s.medium, 0.5);
        QCOMPARE(s.few, 0.0);
        QVERIFY(std::isnan(shotAccuracy({0.1}, {1000}).few));
        QCOMPARE(shotGroupOf(101), ShotGroup::Many);
        QCOMPARE(shotGroupOf(100), ShotGroup::Medium);
        QCOMPARE(shotGroupOf(20), ShotGroup::Medium);
        QCOMPARE(shotGroupOf(19), ShotGroup::Few);
        const auto groups = classesByShotGroup({5, 500, 50, 19, 101});
        QCOMPARE(groups[0], (std::vector<int>{1, 4}));
        QCOMPARE(groups[1], (std::vector<int>{2}));
        QCOMPARE(groups[2], (std::vector<int>{0, 3}));
        // NaN (a class without a test example) is left out of its group's mean.
        const auto means = shotGroupMeans({0.5, 0.1, NAN, 0.25, 0.3}, {5, 500, 50, 19, 101});
        QVERIFY(std::abs(means[0] - 0.2) < 1e-12);
        QVERIFY(std::isnan(means[1]));
        QCOMPARE(means[2], 0.375);
    }

    // The evaluation's margins by hand: one training example per class, logit 1 on its own class
    // and 0 elsewhere (margin 1), except the last class's, −2 on its own (margin −2, wrong).
    // Group histograms hold every example of their classes; past 100 classes a class keeps its
    // five numbers only.
    void marginsPerShotGroup() {
        for (const int k : {3, 101}) {
            std::vector<std::vector<float>> rows;
            std::vector<int64_t> labels, counts;
            for (int c = 0; c < k; ++c) {
                std::vector<float> row(size_t(k), 0.0f);
                row[size_t(c)] = c + 1 < k ? 1.0f : -2.0f;
                rows.push_back(row);
                labels.push_back(c);
                counts.push_back(c == 0 ? 500 : c == 1 ? 50 : 5);  // many, medium, the rest few
            }
            const LogitTable t = table(rows);
            RunInfo info;
            for (int c = 0; c < k; ++c) info.classNames.push_back("c" + std::to_string(c));
            info.classCounts = counts;
            info.minority.assign(size_t(k), false);
            info.predictionScale = 1;
            MetricsReport r;
            fillEvaluation(r, {t, labels}, {t, labels}, info, std::vector<double>(size_t(k), 0.0));
            QCOMPARE(r.marginLo, -2.0);  // the widest margin, 2, is its own nice range
            QCOMPARE(r.groupMargins.size(), size_t(3));
            auto total = [](const MarginStats& m) {
                int64_t n = 0;
                for (int64_t v : m.histogram) n += v;
                return n;
            };
            QCOMPARE(total(r.groupMargins[0]), int64_t(1));
            QCOMPARE(total(r.groupMargins[1]), int64_t(1));
            QCOMPARE(total(r.groupMargins[2]), int64_t(k - 2));
            QCOMPARE(r.groupMargins[2].min, -2.0);  // the last class, few-shot, wrong by 2
            QCOMPARE(r.groupMargins[2].max, k > 3 ? 1.0 : -2.0);  // with 3 classes it is the only few-shot one
            QCOMPARE(r.groupMargins[0].median, 1.0);
            QCOMPARE(r.margins.size(), size_t(k));
            QCOMPARE(r.margins[size_t(k - 1)].min, -2.0);
            QCOMPARE(r.margins[0].histogram.empty(), k > kCompactClasses);
            QCOMPARE(r.trainErrorByGroup[0], 0.0);
            QCOMPARE(r.trainErrorByGroup[2], 1.0 / double(k - 2));  // one wrong of the k − 2 few-shot classes
        }
    }

    // The measures since the paper on a 3-class confusion (rows true, columns predicted):
    //   [8 2 0; 1 3 0; 0 2 2]: recalls 0.8, 0.75, 0.5 (errors 0.2, 0.25, 0.5); precisions 8/9,
    //   3/7, 2/2; F1 16/19, 6/11, 2/3. Worst-class error 0.5; g-mean (0.8·0.75·0.5)^(1/3) = 0.3^(1/3);
    //   h-mean 3 / (1.25 + 4/3 + 2) = 36/55; macro-F1 (16/19 + 6/11 + 2/3)/3.
    void measuresSinceThePaper() {
        const ConfusionCounts c = ConfusionCounts::fromMatrix({{8, 2, 0}, {1, 3, 0}, {0, 2, 2}});
        const std::vector<double> errors = perClassError(c);
        QVERIFY(std::abs(errors[0] - 0.2) < 1e-15 && errors[1] == 0.25 && errors[2] == 0.5);
        const auto precision = perClassPrecision(c);
        QCOMPARE(precision[0], 8.0 / 9);
        QCOMPARE(precision[1], 3.0 / 7);
        QCOMPARE(precision[2], 1.0);
        const ClassMeasures m = classMeasures(errors, c);
        QCOMPARE(m.worstClassError, 0.5);
        QVERIFY(std::abs(m.geometricMeanRecall - std::cbrt(0.3)) < 1e-12);
        QVERIFY(std::abs(m.harmonicMeanRecall - 36.0 / 55) < 1e-12);
        QVERIFY(std::abs(m.macroF1 - (16.0 / 19 + 6.0 / 11 + 2.0 / 3) / 3) < 1e-12);
        // A class never predicted has no precision and an F1 of 0; a class never right makes both
        // means of recall 0; a class without test examples (NaN) is left out.
        const ConfusionCounts d = ConfusionCounts::fromMatrix({{4, 0, 0}, {4, 0, 0}, {0, 0, 0}});
        QVERIFY(std::isnan(perClassPrecision(d)[1]));
        const ClassMeasures n = classMeasures({0.0, 1.0, NAN}, d);
        QCOMPARE(n.worstClassError, 1.0);
        QCOMPARE(n.geometricMeanRecall, 0.0);
        QCOMPARE(n.harmonicMeanRecall, 0.0);
        QVERIFY(std::abs(n.macroF1 - (2 * 0.5 * 1.0 / 1.5) / 2) < 1e-12);  // class 0: P 1/2, R 1
    }

    // Test priors (the paper's Section C.5): forward ρ = 4 over 3 classes weighs them 1, 4^(−½),
    // 4^(−1) → 4/7, 2/7, 1/7; backward reverses it. With errors 0.2, 0.25, 0.5 the error is
    // (4·0.2 + 2·0.25 + 0.5)/7 = 1.8/7 forward and (0.2 + 0.5 + 4·0.5)/7 = 2.7/7 backward.
    void testPriorsWeighTheClassErrors() {
        const auto f = forwardPrior(3, 4);
        QVERIFY(std::abs(f[0] - 4.0 / 7) < 1e-15 && std::abs(f[1] - 2.0 / 7) < 1e-15 && std::abs(f[2] - 1.0 / 7) < 1e-15);
        const std::vector<double> errors{0.2, 0.25, 0.5};
        QVERIFY(std::abs(priorWeightedError(errors, f) - 1.8 / 7) < 1e-15);
        QVERIFY(std::abs(priorWeightedError(errors, backwardPrior(3, 4)) - 2.7 / 7) < 1e-15);
        QVERIFY(std::abs(priorWeightedError(errors, parseTestPrior("uniform", {5, 3, 1}, "p")) - 0.95 / 3) < 1e-15);
        const auto train = parseTestPrior("train", {5, 3, 2}, "p");
        QVERIFY(std::abs(train[0] - 0.5) < 1e-15 && std::abs(train[2] - 0.2) < 1e-15);
        QVERIFY(std::abs(parseTestPrior("forward:4", {1, 1, 1}, "p")[2] - 1.0 / 7) < 1e-15);
        // SADE's eleven priors, forward 50 … uniform … backward 50: the middle one is the balanced error.
        const auto table = errorAcrossTestPriors(errors);
        QCOMPARE(table.size(), size_t(11));
        QCOMPARE(table[5].prior, std::string("uniform"));
        QVERIFY(std::abs(table[5].error - 0.95 / 3) < 1e-15);
        QVERIFY(table[0].error < table[5].error && table[10].error > table[5].error);  // errors rise toward the tail
        // Bad priors name the setting or the file.
        for (const char* bad : {"forward:0.5", "backward:x", "nowhere.txt"}) {
            try {
                parseTestPrior(bad, {1, 1, 1}, "--test-prior");
                QFAIL(bad);
            } catch (const ConfigError& e) {
                QCOMPARE(e.field(), std::string("--test-prior"));
            }
        }
        QTemporaryDir dir;
        auto fileSays = [&](const QByteArray& text) {
            QFile f(dir.filePath("prior.txt"));
            f.open(QIODevice::WriteOnly);
            f.write(text);
            f.close();
            try {
                parseTestPrior(dir.filePath("prior.txt").toStdString(), {1, 1, 1}, "--test-prior");
                return QString();
            } catch (const DataError& e) {
                return QString(e.what());
            }
        };
        QVERIFY(fileSays("1, 2\n").contains("holds 2 weights; the run has 3 classes"));
        QVERIFY(fileSays("1 -2 3").contains("the weight of class 1"));
        QVERIFY(fileSays("0 0 0").contains("every weight is 0"));
        QVERIFY(fileSays("1, 2, 1").isEmpty());
    }
};

QTEST_APPLESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
