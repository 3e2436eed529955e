// metrics.jsonl lines: an evaluation's numbers round trip; past 100 classes the compact form
// keeps six digits, a class's margins as five numbers, its groups' histograms, and a progress
// line no per-class field; lines of the earlier sparse-histogram form still read.
#include "io/metrics_json.h"

#include "errors.h"

#include <QtTest>

#include <cmath>

using namespace imblab;

namespace {

MarginStats margin(double base, std::vector<int64_t> histogram) {
    return {base, base + 0.1, base + 0.2, base + 0.3, base + 0.4, std::move(histogram)};
}

// An evaluation report of k classes with distinct, non-round numbers.
MetricsReport evaluation(int k) {
    MetricsReport r;
    r.epoch = 4;
    r.step = 500;
    r.totalSteps = 1000;
    r.epochProgress = 5;
    r.lr = 0.01;
    r.trainLoss = 0.75;
    r.epochEnd = true;
    for (int c = 0; c < k; ++c) {
        r.trainErrorPerClass.push_back(1.0 / (c + 3));
        r.testErrorPerClass.push_back(2.0 / (c + 7));
        r.margins.push_back(margin(-1.0 / (c + 2), {1, 2, 3}));  // the compact line drops a class's histogram
        r.deltas.push_back(0.5 / std::pow(c + 1.0, 0.25));
    }
    r.trainErrorByGroup = {0.125, std::nan(""), 0.5};
    r.groupMargins = {margin(-0.5, {4, 0, 1}), margin(NAN, {0, 0, 0}), margin(-2.0, {0, 7, 0})};
    r.marginLo = -2;
    r.marginHi = 2;
    r.balancedError = 0.3;
    r.top5Error = 0.1;
    r.confusion = ConfusionCounts::of({0, 1, 1}, {0, 0, 1}, k);
    return r;
}

} // namespace

class TestMetricsJson : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void anEvaluationRoundTrips() {
        const MetricsReport r = evaluation(3);
        const MetricsReport back = reportFromJsonLine(reportToJsonLine(r), "test");
        QCOMPARE(back.trainErrorPerClass, r.trainErrorPerClass);  // full precision up to 100 classes
        QCOMPARE(back.testErrorPerClass, r.testErrorPerClass);
        QCOMPARE(back.margins.size(), size_t(3));
        QCOMPARE(back.margins[2].histogram, (std::vector<int64_t>{1, 2, 3}));
        QCOMPARE(back.margins[2].q3, r.margins[2].q3);
        QCOMPARE(back.groupMargins.size(), size_t(3));
        QCOMPARE(back.groupMargins[2].histogram, (std::vector<int64_t>{0, 7, 0}));
        QVERIFY(std::isnan(back.groupMargins[1].min));
        QCOMPARE(back.trainErrorByGroup[0], 0.125);
        QVERIFY(std::isnan(back.trainErrorByGroup[1]));
        QCOMPARE(back.deltas, r.deltas);
        QCOMPARE(back.confusion.cells, r.confusion.cells);
        QCOMPARE(back.top5Error, 0.1);
    }

    void pastAHundredClassesTheLineIsCompact() {
        const int k = 1000;
        const MetricsReport r = evaluation(k);
        const std::string line = reportToJsonLine(r, false);
        // Six significant digits: 1/3 is written as 0.333333, not 0.3333333333333333.
        QVERIFY(line.find("0.333333,") != std::string::npos);
        QVERIFY(line.find("0.3333333") == std::string::npos);
        const MetricsReport back = reportFromJsonLine(line, "test");
        QCOMPARE(back.margins.size(), size_t(k));
        QVERIFY(back.margins[7].histogram.empty());
        QVERIFY(std::abs(back.margins[7].median - r.margins[7].median) < 1e-6);
        QCOMPARE(back.groupMargins[0].histogram, (std::vector<int64_t>{4, 0, 1}));
        QVERIFY(std::abs(back.testErrorPerClass[999] - r.testErrorPerClass[999]) < 1e-8);
        QVERIFY(std::abs(back.deltas[999] - r.deltas[999]) < 1e-6);
        // Per class: two errors, Δ_j and five margins at about nine characters each.
        QVERIFY2(line.size() < size_t(k) * 90, qPrintable(QString::number(line.size())));
    }

    // A progress line keeps the groups' train errors; a mid-epoch test line past 100 classes
    // keeps its per-class test errors at six digits, as an evaluation's.
    void progressAndMidEpochLines() {
        MetricsReport r;  // as the trainer reports it past kCompactClasses: the groups only
        r.step = 20;
        r.trainErrorByGroup = {0.25, 0.5, 0.75};
        const std::string line = reportToJsonLine(r, false);
        QVERIFY2(line.size() < 400, line.c_str());
        QCOMPARE(reportFromJsonLine(line, "test").trainErrorByGroup[2], 0.75);
        MetricsReport mid = r;
        mid.midEpochTest = true;
        for (int c = 0; c < 200; ++c) mid.testErrorPerClass.push_back(1.0 / (c + 3));
        const std::string midLine = reportToJsonLine(mid, false);
        QVERIFY(midLine.find("0.333333,") != std::string::npos);
        QVERIFY(midLine.find("0.3333333") == std::string::npos);
        QVERIFY(std::abs(reportFromJsonLine(midLine, "test").testErrorPerClass[0] - 1.0 / 3) < 1e-6);
    }

    void theEarlierSparseHistogramFormReads() {
        const std::string line =
            R"({"epoch":0,"step":1,"total_steps":1,"epoch_progress":1,"lr":0.1,"train_loss":1,"img_per_s":0,)"
            R"("elapsed_s":0,"eta_s":0,"epoch_end":true,"train_error_per_class":[0.5],"test_error_per_class":[0.5],)"
            R"("balanced_error":0.5,"frequent_error":null,"minority_error":null,"many_shot_accuracy":null,)"
            R"("medium_shot_accuracy":null,"few_shot_accuracy":null,"ece":0,"balanced_error_posthoc_la":0.5,)"
            R"("margin_range":[-1,1],"margins":[{"min":-1,"q1":0,"median":0,"q3":0,"max":1,"bins":4,"histogram":[[1,2],[3,5]]}],)"
            R"("deltas":[],"weights":[],"resampling":false})";
        const MetricsReport back = reportFromJsonLine(line, "old.jsonl line 1");
        QCOMPARE(back.margins[0].histogram, (std::vector<int64_t>{0, 2, 0, 5}));
        QVERIFY(back.groupMargins.empty());
        QVERIFY(std::isnan(back.trainErrorByGroup[0]));
    }

    void aBrokenMarginNamesTheLine() {
        std::string line = reportToJsonLine(evaluation(101), false);
        const size_t at = line.find("\"margins\":[[");
        QVERIFY(at != std::string::npos);
        line.replace(at, 12, "\"margins\":[[\"x\",");
        try {
            reportFromJsonLine(line, "run/metrics.jsonl line 9");
            QFAIL("a margin that is not a number was read");
        } catch (const DataError& e) {
            QVERIFY2(QString(e.what()).contains("run/metrics.jsonl line 9"), e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestMetricsJson)
#include "tst_metrics_json.moc"
