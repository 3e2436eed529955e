// The trainer on small real data: determinism, reports, cancel and pause from another thread.
#include "util/allocator_tuning.h"
#include "errors.h"
#include "io/config_json.h"
#include "data/decoded_cache.h"
#include "training/evaluation_plan.h"
#include "training/running_train_error.h"
#include "training/speed_probe.h"
#include "training/trainer.h"
#include "util/sha256.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>
#include <thread>

using namespace imblab;

namespace {

ExperimentConfig blobsConfig() {
    ExperimentConfig c;
    c.dataset.id = "blobs";
    c.dataset.blobsClasses = 3;
    c.dataset.blobsPerClass = 200;
    c.dataset.rho = 10;
    c.train.model = "mlp";
    c.train.epochs = 3;
    c.train.batchSize = 32;
    c.train.lr = 0.05;
    c.train.device = "cpu";
    c.train.threads = 1;
    c.train.reportEvery = 5;
    return c;
}

struct Recorder : TrainingObserver {
    std::mutex m;
    std::vector<MetricsReport> reports;
    std::function<void(const MetricsReport&)> hook;
    void onReport(const MetricsReport& r) override {
        {
            std::lock_guard<std::mutex> lock(m);
            reports.push_back(r);
        }
        if (hook) hook(r);
    }
};

} // namespace

class TestTrainer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
    // As imblab and imblab-cli do at start: freed batch memory stays for the next batch.
        imblab::keepFreedMemoryForReuse();
    }

    // A 2-epoch LDAM-DRW run (blobs: 9 steps an epoch, 18 in all) decays at steps 14 and 16
    // (80 % and 90 %) and re-weights from step 14: inside the run, as its name says.
    void shortRunsDecayAndSwitchInsideTheRun() {
        ExperimentConfig c = blobsConfig();
        c.train.epochs = 2;
        c.loss.type = "ldam";
        c.rebalance.type = "cb-rw";
        c.rebalance.deferred = true;
        Trainer t(c);
        const RunInfo& info = t.prepare();
        QVERIFY(info.scheduleByStep);
        QCOMPARE(info.decay1At, 14.0 / 9);
        QCOMPARE(info.decay2At, 16.0 / 9);
        QCOMPARE(info.rebalanceAt, 14.0 / 9);
        Recorder rec;
        RunControl control;
        QCOMPARE(t.run(rec, control).status, RunStatus::Finished);
        std::map<int64_t, MetricsReport> byStep;
        for (const auto& r : rec.reports) byStep[r.step] = r;
        // Reports at steps 10, 15 and 18 describe the step just run (indices 9, 14, 17).
        QCOMPARE(byStep.at(10).lr, 0.05);
        QVERIFY(byStep.at(10).weights.empty());
        QCOMPARE(byStep.at(15).lr, 0.05 * 0.01);
        QCOMPARE(byStep.at(15).weights.size(), size_t(3));
        QCOMPARE(byStep.at(18).lr, 0.05 * 1e-4);
        QVERIFY(byStep.at(18).epochEnd);
    }

    // How often runs are tested: 4 times an epoch for 1–2 epochs, twice for 3–4, else at the
    // epoch end only; evenly spaced steps; large test sets thinned to at most 10 000 rows.
    void runningTrainErrorFadesOlderSteps() {
        // 16 steps an epoch: half-life 2 steps. After 2 steps the first counts weigh ½.
        RunningTrainError r(2, 16);
        QVERIFY(std::isnan(r.errors()[0]) && std::isnan(r.errors()[1]));  // nothing seen yet
        r.add(2, {4, 0}, {2, 0});
        QCOMPARE(r.errors()[0], 0.5);
        QVERIFY(std::isnan(r.errors()[1]));
        r.add(2, {4, 4}, {0, 4});
        // class 0: seen 4·½ + 4 = 6, wrong 2·½ + 0 = 1; class 1: 4 of 4.
        QCOMPARE(r.seen(), (std::vector<double>{6, 4}));
        QCOMPARE(r.wrong(), (std::vector<double>{1, 4}));
        QCOMPARE(r.errors()[0], 1.0 / 6.0);
        QCOMPARE(r.errors()[1], 1.0);
        r.add(1, {0, 0}, {0, 0});  // one step: ½^(1/2) on both, the ratio stays
        QVERIFY(std::abs(r.seen()[0] - 6 / std::sqrt(2.0)) < 1e-12);
        QVERIFY(std::abs(r.errors()[0] - 1.0 / 6.0) < 1e-12);
        // Short epochs keep a half-life of one step: 4 steps an epoch → ½ per step, not ½ per half step.
        RunningTrainError shortEpochs(1, 4);
        shortEpochs.add(1, {2}, {2});
        shortEpochs.add(1, {2}, {0});
        QCOMPARE(shortEpochs.seen()[0], 3.0);
        QCOMPARE(shortEpochs.errors()[0], 1.0 / 3.0);
        // A checkpoint's counts come back; ones of another class count are ignored.
        RunningTrainError resumed(2, 16);
        resumed.restore({1, 2, 3}, {0, 0, 0});
        QCOMPARE(resumed.seen(), (std::vector<double>{0, 0}));
        resumed.restore(r.seen(), r.wrong());
        QCOMPARE(resumed.errors(), r.errors());
    }

    void evaluationPlanBySteps() {
        QCOMPARE(evaluationsPerEpoch(1, 100), 4);
        QCOMPARE(evaluationsPerEpoch(2, 100), 4);
        QCOMPARE(evaluationsPerEpoch(3, 100), 2);
        QCOMPARE(evaluationsPerEpoch(4, 100), 2);
        QCOMPARE(evaluationsPerEpoch(5, 100), 1);
        QCOMPARE(evaluationsPerEpoch(200, 100), 1);
        QCOMPARE(evaluationsPerEpoch(1, 3), 3);  // no more than the epoch has steps
        QCOMPARE(evaluationsPerEpoch(1, 1), 1);
        // 9 steps in 4 parts: after 2.25 → 2, 4.5 → 5 (halves round up), 6.75 → 7 steps.
        QCOMPARE(midEpochEvaluationSteps(4, 9), (std::vector<int64_t>{1, 4, 6}));
        QCOMPARE(midEpochEvaluationSteps(2, 10), (std::vector<int64_t>{4}));
        QCOMPARE(midEpochEvaluationSteps(4, 4), (std::vector<int64_t>{0, 1, 2}));
        QVERIFY(midEpochEvaluationSteps(1, 50).empty());
        QCOMPARE(midEpochTestStride(10000), int64_t(1));
        QCOMPARE(midEpochTestStride(10001), int64_t(2));
        QCOMPARE(midEpochTestStride(25000), int64_t(3));
    }

    // A 2-epoch run (9 steps an epoch) is tested after steps 2, 5 and 7 of each epoch as well as
    // at its ends: test errors only, each the mean of its per-class errors.
    void shortRunsAreTestedWithinEpochs() {
        ExperimentConfig c = blobsConfig();
        c.train.epochs = 2;
        Trainer t(c);
        const RunInfo& info = t.prepare();
        QCOMPARE(info.stepsPerEpoch, int64_t(9));
        QCOMPARE(info.evaluationsPerEpoch, 4);
        QCOMPARE(info.midEpochTestRows, info.testSize);
        Recorder rec;
        RunControl control;
        QCOMPARE(t.run(rec, control).status, RunStatus::Finished);
        std::vector<int64_t> midSteps, endSteps;
        for (const auto& r : rec.reports) {
            if (r.epochEnd) endSteps.push_back(r.step);
            if (!r.midEpochTest) continue;
            QVERIFY(!r.epochEnd);
            midSteps.push_back(r.step);
            QCOMPARE(r.epochProgress, double(r.step) / 9);
            QCOMPARE(r.testErrorPerClass.size(), size_t(3));
            const double mean = (r.testErrorPerClass[0] + r.testErrorPerClass[1] + r.testErrorPerClass[2]) / 3;
            QCOMPARE(r.balancedError, mean);
            QVERIFY(r.confusion.empty() && r.margins.empty());
        }
        QCOMPARE(midSteps, (std::vector<int64_t>{2, 5, 7, 11, 14, 16}));
        QCOMPARE(endSteps, (std::vector<int64_t>{9, 18}));
        // A run of more epochs is tested at its epoch ends only.
        c.train.epochs = 6;
        Trainer longer(c);
        QCOMPARE(longer.prepare().evaluationsPerEpoch, 1);
        QCOMPARE(longer.info().midEpochTestRows, int64_t(0));
    }

    // precision "auto": the stored measurement decides (bf16 + channels-last only when it trains
    // at least 10 % faster); without one the run measures, stores it, and the next run reads it.
    void autoSpeedFollowsTheMeasurement() {
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        setDecodedCacheFolder(folder);
        ExperimentConfig fixed = blobsConfig();
        Trainer first(fixed);
        first.prepare();  // the run's thread count, part of the key
        ExperimentConfig c = fixed;
        c.train.precision = "auto";
        const std::string key = speedProbeKey(c, "cpu", first.info().inputShape);
        // Another BLAS is another measurement (OpenBLAS makes fp32 several times faster).
        const std::string& blas = first.info().blasLibrary;
        QVERIFY2(!blas.empty() && key.size() > blas.size() && key.compare(key.size() - blas.size(), blas.size(), blas) == 0,
                 key.c_str());
        QVERIFY(writeSpeedProbe(folder, key, SpeedMeasure{100, 300}));
        {
            Trainer t(c);
            const RunInfo& info = t.prepare();
            QCOMPARE(info.precision, std::string("bf16"));
            QVERIFY(info.channelsLast);
            QVERIFY2(info.speedNote.rfind("fast: bf16 + channels-last 300 vs fp32 100 img/s (3.00x), measured earlier", 0) == 0,
                     info.speedNote.c_str());
        }
        QVERIFY(writeSpeedProbe(folder, key, SpeedMeasure{300, 310}));  // 3 % faster: not worth it
        {
            Trainer t(c);
            QCOMPARE(t.prepare().precision, std::string("fp32"));
            QVERIFY(!t.info().channelsLast);
        }
        // No measurement (a damaged file counts as none): measured now, stored, read next time.
        {
            QFile damaged(dir.filePath("speed_probes.json"));
            QVERIFY(damaged.open(QIODevice::WriteOnly));
            damaged.write("{ not json");
        }
        Trainer measuring(c);
        QVERIFY(measuring.prepare().speedNote.find("measured now") != std::string::npos);
        const auto stored = readSpeedProbe(folder, key);
        QVERIFY(stored && stored->fp32ImgPerSec > 0 && stored->fastImgPerSec > 0);
        Trainer again(c);
        QVERIFY(again.prepare().speedNote.find("measured earlier") != std::string::npos);
        QCOMPARE(again.info().precision, stored->fastWins() ? std::string("bf16") : std::string("fp32"));
        setDecodedCacheFolder("");
    }

    // The probe alternates the modes and keeps each one's best round: a round slowed by other
    // work on the machine does not decide the mode. Rounds stop at the budget (one at least).
    void speedProbeKeepsEachModesBestRound() {
        const std::vector<double> fp32{149, 8238, 8100}, fast{9905, 9300, 9800};  // a disturbed first round
        std::vector<bool> asked;
        auto scripted = [&](bool isFast) {
            const size_t round = std::count(asked.begin(), asked.end(), isFast);
            asked.push_back(isFast);
            return (isFast ? fast : fp32).at(round);
        };
        const SpeedMeasure m = measureInRounds(scripted, 3, 1e9);
        QCOMPARE(asked, (std::vector<bool>{false, true, false, true, false, true}));
        QCOMPARE(m.fp32ImgPerSec, 8238.0);
        QCOMPARE(m.fastImgPerSec, 9905.0);
        QVERIFY(m.fastWins());  // 1.20x; the first round alone said 66x
        asked.clear();
        const SpeedMeasure once = measureInRounds(scripted, 3, 0.0);  // no time for a second round
        QCOMPARE(asked, (std::vector<bool>{false, true}));
        QCOMPARE(once.fp32ImgPerSec, 149.0);
    }

    // One epoch of CE-DRW switches within it: its weights end up other than plain ERM's.
    // FIPS 180-4's examples.
    void sha256KnownVectors() {
        QCOMPARE(Sha256().hex(), std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        QCOMPARE(Sha256().update("abc").hex(), std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(Sha256().update("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").hex(),
                 std::string("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
        Sha256 million;
        const std::string chunk(1000, 'a');
        for (int i = 0; i < 1000; ++i) million.update(chunk);  // across block boundaries
        QCOMPARE(million.hex(), std::string("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
    }

    // The best epoch is the lowest balanced test error among the evaluations (selected on the
    // test set, reported beside the last epoch); the split fingerprint names the data a run used.
    void bestEpochAndSplitFingerprint() {
        ExperimentConfig c = blobsConfig();
        c.train.epochs = 6;
        Trainer t(c);
        Recorder rec;
        RunControl control;
        const RunSummary s = t.run(rec, control);
        QCOMPARE(s.status, RunStatus::Finished);
        int best = -1;
        double lowest = 2;
        for (const auto& r : rec.reports)
            if (r.epochEnd && r.balancedError < lowest) best = r.epoch, lowest = r.balancedError;
        QCOMPARE(s.bestEpoch, best);
        QCOMPARE(s.bestBalancedError, lowest);
        QVERIFY(s.bestBalancedError <= s.finalReport.balancedError);

        const std::string fp = t.info().splitFingerprint;
        QCOMPARE(fp.size(), size_t(64));
        ExperimentConfig otherSeed = c;  // another model seed, same kept subset
        otherSeed.train.seed = c.train.seed + 1;
        otherSeed.dataset.seed = c.dataset.seed;
        Trainer t2(otherSeed);
        t2.prepare();
        QCOMPARE(t2.info().splitFingerprint, fp);
        ExperimentConfig otherRho = c;
        otherRho.dataset.rho = 5;
        Trainer t3(otherRho);
        t3.prepare();
        QVERIFY(t3.info().splitFingerprint != fp);
    }

    void oneEpochDrwDiffersFromErm() {
        ExperimentConfig c = blobsConfig();
        c.train.epochs = 1;
        Trainer erm(c);
        c.rebalance.type = "cb-rw";
        c.rebalance.deferred = true;
        Trainer drw(c);
        Recorder a, b;
        RunControl control;
        erm.run(a, control);
        drw.run(b, control);
        QVERIFY(!b.reports.back().weights.empty());
        const auto x = erm.stateDict(), y = drw.stateDict();
        QCOMPARE(x.size(), y.size());
        bool differ = false;
        for (size_t i = 0; i < x.size(); ++i) differ = differ || x[i].bytes != y[i].bytes;
        QVERIFY(differ);
        // Deferred re-sampling switches at an epoch start: one epoch has none after the first.
        c.rebalance.type = "cb-rs";
        try {
            Trainer t(c);
            QFAIL("a one-epoch DRS run was accepted");
        } catch (const ConfigError& e) {
            QCOMPARE(QString::fromStdString(e.field()), QString("train.epochs"));
        }
        c.train.epochs = 2;
        Trainer drs(c);
        QCOMPARE(drs.prepare().rebalanceAt, 1.0);
    }

    void resolvesAndReports() {
        ExperimentConfig c = blobsConfig();
        c.loss.type = "ldam";
        c.rebalance.type = "cb-rw";
        c.rebalance.deferred = true;
        c.rebalance.deferEpoch = 2;
        Trainer t(c);
        const RunInfo& info = t.prepare();
        // exp ρ=10, 3 classes, n_max 200: 200, ⌊200·10^(−1/2)⌋ = 63, 20.
        QCOMPARE(info.classCounts, (std::vector<int64_t>{200, 63, 20}));
        QCOMPARE(info.stepsPerEpoch, int64_t(9));  // 283 examples / 32 → 9 batches
        QCOMPARE(info.deltas.size(), size_t(3));
        QCOMPARE(info.deltas[2], 0.5);
        QCOMPARE(info.rebalanceEpoch, 2);
        Recorder rec;
        RunControl control;
        const RunSummary s = t.run(rec, control);
        QCOMPARE(s.status, RunStatus::Finished);
        QCOMPARE(s.epochsCompleted, 3);
        QVERIFY(s.hasFinalReport);
        int epochEnds = 0;
        for (const auto& r : rec.reports) {
            if (!r.epochEnd) continue;
            ++epochEnds;
            QCOMPARE(r.testErrorPerClass.size(), size_t(3));
            QCOMPARE(r.margins.size(), size_t(3));
            QCOMPARE(r.confusion.classes, 3);
            int64_t total = 0;
            for (const auto& cell : r.confusion.cells) total += cell.count;
            QCOMPARE(total, int64_t(600));  // balanced test set, 200 per class
            int64_t inHist = 0;
            for (int64_t v : r.margins[2].histogram) inHist += v;
            QCOMPARE(inHist, int64_t(20));
            QVERIFY(r.margins[0].min <= r.margins[0].median);
            // Balanced error is the mean of the per-class errors.
            QVERIFY(std::abs(r.balancedError - (r.testErrorPerClass[0] + r.testErrorPerClass[1] + r.testErrorPerClass[2]) / 3) < 1e-12);
            QCOMPARE(r.weights.empty(), r.epoch < 2);  // DRW from epoch 2
        }
        QCOMPARE(epochEnds, 3);
        QVERIFY(s.finalReport.balancedError < 0.5);  // well-separated blobs are learnt
    }

    // Past 100 classes a progress report carries the shot groups' train errors and no per-class
    // vector (8 142 classes × a report every 20 steps would be gigabytes); an evaluation carries
    // them all, each class's margins without a histogram, the groups' with theirs.
    void pastAHundredClassesPerClassNumbersComeOncePerEvaluation() {
        QTemporaryDir dir;
        const int k = 120;
        QString csv = "x,y,label\n";
        int rows = 0;
        for (int c = 0; c < k; ++c) {
            const int n = c == 0 ? 130 : c == 1 ? 40 : 12;  // many, medium and few-shot after the 20 % hold-out
            for (int i = 0; i < n; ++i, ++rows)
                csv += QString("%1,%2,c%3\n").arg(std::cos(c * 0.05) * (1 + i % 3)).arg(std::sin(c * 0.05)).arg(c);
        }
        QFile f(dir.filePath("many.csv"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(csv.toUtf8());
        f.close();
        ExperimentConfig c = blobsConfig();
        c.dataset.id = "csv";
        c.dataset.path = dir.filePath("many.csv").toStdString();
        c.train.epochs = 2;
        c.loss.type = "ldam";
        Trainer t(c);
        const RunInfo& info = t.prepare();
        QCOMPARE(int(info.classNames.size()), k);
        QVERIFY(info.classCounts[0] > 100 && info.classCounts[1] >= 20 && info.classCounts[1] <= 100 && info.classCounts[5] < 20);
        Recorder rec;
        RunControl control;
        QCOMPARE(t.run(rec, control).status, RunStatus::Finished);
        int progress = 0, evaluations = 0;
        for (const auto& r : rec.reports) {
            if (r.epochEnd) {
                ++evaluations;
                QCOMPARE(int(r.trainErrorPerClass.size()), k);
                QCOMPARE(int(r.margins.size()), k);
                QVERIFY(r.margins[0].histogram.empty());
                QCOMPARE(int(r.deltas.size()), k);
                QCOMPARE(r.groupMargins.size(), size_t(3));
                int64_t inGroups = 0;
                for (const auto& g : r.groupMargins)
                    for (int64_t v : g.histogram) inGroups += v;
                int64_t trainTotal = 0;
                for (int64_t n : info.classCounts) trainTotal += n;
                QCOMPARE(inGroups, trainTotal);
                // Class 0 is the only many-shot class and class 1 the only medium-shot one.
                QCOMPARE(r.trainErrorByGroup[0], r.trainErrorPerClass[0]);
                QCOMPARE(r.trainErrorByGroup[1], r.trainErrorPerClass[1]);
            } else if (!r.midEpochTest) {
                ++progress;
                QVERIFY(r.trainErrorPerClass.empty() && r.deltas.empty() && r.weights.empty());
                for (double e : r.trainErrorByGroup) QVERIFY(e >= 0 && e <= 1);
            }
        }
        QCOMPARE(evaluations, 2);
        QVERIFY(progress > 2);
    }

    void sameSeedSameResults() {
        auto runOnce = [](uint64_t seed) {
            ExperimentConfig c = blobsConfig();
            c.train.seed = seed;
            c.rebalance.type = "cb-rs";
            Trainer t(c);
            Recorder rec;
            RunControl control;
            t.run(rec, control);
            return rec.reports;
        };
        const auto a = runOnce(1), b = runOnce(1), other = runOnce(2);
        QCOMPARE(a.size(), b.size());
        for (size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(a[i].trainLoss, b[i].trainLoss);
            QCOMPARE(a[i].trainErrorPerClass, b[i].trainErrorPerClass);
            QCOMPARE(a[i].testErrorPerClass, b[i].testErrorPerClass);
            if (a[i].epochEnd) QCOMPARE(a[i].margins[1].min, b[i].margins[1].min);
        }
        QVERIFY(a.back().trainLoss != other.back().trainLoss);
    }

    void cancelFromAnotherThreadWithinAStep() {
        ExperimentConfig c = blobsConfig();
        c.train.epochs = 1000;
        Trainer t(c);
        t.prepare();
        Recorder rec;
        RunControl control;
        std::atomic<int64_t> stepAtCancel{-1};
        rec.hook = [&](const MetricsReport& r) {
            if (r.step >= 20 && stepAtCancel < 0) {
                stepAtCancel = r.step;
                std::thread([&] { control.cancel = true; }).join();
            }
        };
        const RunSummary s = t.run(rec, control);
        QCOMPARE(s.status, RunStatus::Cancelled);
        QVERIFY(!rec.reports.empty());
        // Nothing ran after the step at which cancel was seen.
        QCOMPARE(rec.reports.back().step, stepAtCancel.load());
        QVERIFY(s.hasFinalReport);  // the measurements so far are kept
    }

    void cancelWhileLoadingStopsBeforeTraining() {
        ExperimentConfig c = blobsConfig();
        Trainer t(c);
        RunControl control;
        control.cancel = true;  // set while the data loads: prepare stops once it has it
        try {
            t.prepare(&control);
            QFAIL("prepare went on after a cancel");
        } catch (const TrainingError& e) {
            QVERIFY(QString(e.what()).contains("cancelled while loading"));
        }
    }

    void cancelDuringEvaluationEndsWithinASecond() {
        // Fashion-MNIST (9 296 training, 10 000 test images) and a CNN: the epoch-end evaluation
        // takes seconds on a CPU; a cancel arriving in it ends the run within a second and
        // delivers no half evaluation.
        ExperimentConfig c;
        c.dataset.id = "fashion-mnist";
        c.dataset.rho = 10000;
        c.train.model = "cnn";
        c.train.epochs = 2;
        c.train.batchSize = 64;  // a short last step before the long evaluation
        c.train.device = "cpu";
        c.train.threads = 1;
        c.train.reportEvery = 1;
        Trainer t(c);
        const RunInfo& info = t.prepare();
        Recorder rec;
        RunControl control;
        std::thread canceller;
        std::atomic<bool> cancelled{false};
        std::chrono::steady_clock::time_point cancelAt;
        rec.hook = [&](const MetricsReport& r) {
            // The report of the epoch's last step comes after the evaluation, so cancel from a
            // timer started at the step before it: the last step is short, the evaluation long.
            if (r.step == info.stepsPerEpoch - 1 && !canceller.joinable())
                canceller = std::thread([&] {
                    std::this_thread::sleep_for(std::chrono::milliseconds(150));
                    cancelAt = std::chrono::steady_clock::now();
                    cancelled = true;
                    control.cancel = true;
                });
        };
        const RunSummary s = t.run(rec, control);
        const auto end = std::chrono::steady_clock::now();
        canceller.join();
        QVERIFY(cancelled);
        QCOMPARE(s.status, RunStatus::Cancelled);
        QVERIFY2(QString::fromStdString(s.message).contains("during the evaluation of epoch 1"), s.message.c_str());
        QVERIFY(!s.hasFinalReport);
        for (const auto& r : rec.reports) QVERIFY(!r.epochEnd);
        QVERIFY(std::chrono::duration<double>(end - cancelAt).count() < 1.0);
    }

    void pauseHoldsAndResumeContinues() {
        ExperimentConfig c = blobsConfig();
        c.train.epochs = 4;
        Trainer t(c);
        t.prepare();
        Recorder rec;
        RunControl control;
        control.pause = true;
        RunSummary s;
        std::thread worker([&] { s = t.run(rec, control); });
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        size_t whilePaused;
        {
            std::lock_guard<std::mutex> lock(rec.m);
            whilePaused = rec.reports.size();
        }
        QCOMPARE(whilePaused, size_t(0));
        control.pause = false;
        worker.join();
        QCOMPARE(s.status, RunStatus::Finished);
        QCOMPARE(s.epochsCompleted, 4);
    }

    void divergenceStopsWithMessage() {
        ExperimentConfig c = blobsConfig();
        c.train.lr = 1e6;  // a few updates send the weights to inf
        c.train.momentum = 0;
        Trainer t(c);
        Recorder rec;
        RunControl control;
        const RunSummary s = t.run(rec, control);
        QCOMPARE(s.status, RunStatus::Failed);
        QVERIFY2(QString::fromStdString(s.message).contains("diverged at step"), s.message.c_str());
        QVERIFY(QString::fromStdString(s.message).contains("lr 1e+06"));
    }

    void cudaRequestedWithoutCuda() {
        if (cudaAvailable()) QSKIP("this machine has CUDA");
        ExperimentConfig c = blobsConfig();
        c.train.device = "cuda";
        Trainer t(c);
        try {
            t.prepare();
            QFAIL("expected ConfigError");
        } catch (const ConfigError& e) {
            QCOMPARE(e.field(), std::string("train.device"));
        }
    }

    void aCollapsedRunSaysSo() {
        // The blobs preset with LR 10 (Adam) predicts class A for every test point: balanced
        // error 50 %, which must not pass for a result.
        ExperimentConfig c = loadPreset("blobs-teaching");
        c.train.lr = 10;
        Trainer t(c);
        Recorder rec;
        RunControl control;
        const RunSummary s = t.run(rec, control);
        QCOMPARE(s.status, RunStatus::Finished);
        QVERIFY2(s.warning.rfind("collapsed: predicts A for 100 % of the test examples", 0) == 0, s.warning.c_str());
        QVERIFY(s.warning.find("learning rate 10 is far above the usual for Adam") != std::string::npos);
        // The same data at the preset's LR learns: no warning.
        Trainer healthy(loadPreset("blobs-teaching"));
        Recorder rec2;
        QVERIFY(healthy.run(rec2, control).warning.empty());
    }

    void decisionGrid() {
        ExperimentConfig c = blobsConfig();
        c.train.epochs = 2;
        Trainer t(c);
        Recorder rec;
        RunControl control;
        t.run(rec, control);
        const auto g = t.predictGrid(-4, 4, -4, 4, 9, 7);
        QCOMPARE(g.classes.size(), size_t(63));
        for (int v : g.classes) QVERIFY(v >= 0 && v < 3);
        QCOMPARE(t.trainPoints().size(), size_t(2 * 283));
        QCOMPARE(g.pointMargins.size(), size_t(283));
    }
};

QTEST_APPLESS_MAIN(TestTrainer)
#include "tst_trainer.moc"
