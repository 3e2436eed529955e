// The device pipeline on CPU tensors: the same batches, augmentation and SGD arithmetic as the
// host pipeline (so the same results), the divergence latch, channels-last and bf16 paths, and
// the fallback when CUDA graphs are asked for without CUDA.
#include "util/allocator_tuning.h"
#include "errors.h"
#include "training/augment.h"
#include "training/autocast_scope.h"
#include "training/data_residency.h"
#include "training/device_pipeline.h"
#include "training/flat_buffers.h"
#include "training/trainer.h"

#include <ATen/autocast_mode.h>
#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace imblab;

namespace {

struct Silent : TrainingObserver {
    void onReport(const MetricsReport&) override {}
};

ExperimentConfig blobs(const std::string& pipeline) {
    ExperimentConfig c;
    c.dataset.id = "blobs";
    c.dataset.blobsClasses = 3;
    c.dataset.blobsPerClass = 300;
    c.dataset.rho = 10;
    c.train.model = "mlp";
    c.train.epochs = 4;
    c.train.batchSize = 32;
    c.train.lr = 0.05;
    c.train.device = "cpu";
    c.train.threads = 1;
    c.train.reportEvery = 7;
    c.train.pipeline = pipeline;
    return c;
}

// Fashion-MNIST at ρ = 10 000 (9 296 images), augmented; small enough for one CPU epoch.
ExperimentConfig fashion(const std::string& pipeline, const std::string& model = "mlp") {
    ExperimentConfig c;
    c.dataset.id = "fashion-mnist";
    c.dataset.rho = 10000;
    c.train.model = model;
    c.train.epochs = 1;
    c.train.batchSize = 256;
    c.train.device = "cpu";
    c.train.threads = 2;
    c.train.reportEvery = 10;
    c.train.pipeline = pipeline;
    return c;
}

struct Outcome {
    RunSummary summary;
    std::vector<NamedTensorBytes> state;
    std::string pipeline;
    std::string residency;
};

Outcome train(const ExperimentConfig& c) {
    Trainer t(c);
    Silent quiet;
    RunControl control;
    Outcome o;
    o.pipeline = t.prepare().pipeline;
    o.residency = t.info().dataResidency;
    o.summary = t.run(quiet, control);
    o.state = t.stateDict();
    return o;
}

std::vector<float> floats(const NamedTensorBytes& t) {
    std::vector<float> v(t.bytes.size() / sizeof(float));
    std::memcpy(v.data(), t.bytes.data(), v.size() * sizeof(float));
    return v;
}

// Largest |a − b| over every float tensor of two state dicts with the same names.
double maxStateDifference(const std::vector<NamedTensorBytes>& a, const std::vector<NamedTensorBytes>& b) {
    if (a.size() != b.size()) return INFINITY;
    double worst = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        if (a[i].name != b[i].name || a[i].dtype != b[i].dtype) return INFINITY;
        if (a[i].dtype != "F32") continue;
        const auto x = floats(a[i]), y = floats(b[i]);
        for (size_t j = 0; j < x.size(); ++j) worst = std::max(worst, double(std::abs(x[j] - y[j])));
    }
    return worst;
}

bool allFinite(const std::vector<NamedTensorBytes>& state) {
    for (const auto& t : state)
        if (t.dtype == "F32")
            for (float v : floats(t))
                if (!std::isfinite(v)) return false;
    return true;
}

} // namespace

class TestDevicePipeline : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
    // As imblab and imblab-cli do at start: freed batch memory stays for the next batch.
        imblab::keepFreedMemoryForReuse();
    }

    void flattensInMemoryOrder() {
        // t[0][i][0][w] = 2i + w; channels-last order (o, h, w, i) reads 0, 2, 1, 3.
        const auto t = torch::arange(4, torch::kFloat32).view({1, 2, 1, 2});
        const auto cl = flattenInMemoryOrder(t, true);
        QCOMPARE(std::vector<float>(cl.data_ptr<float>(), cl.data_ptr<float>() + 4), (std::vector<float>{0, 2, 1, 3}));
        const auto plain = flattenInMemoryOrder(t, false).contiguous();
        QCOMPARE(std::vector<float>(plain.data_ptr<float>(), plain.data_ptr<float>() + 4),
                 (std::vector<float>{0, 1, 2, 3}));
    }

    void cropFlipFromTensorsEqualsFromVectors() {
        torch::manual_seed(3);
        const auto img = torch::randint(0, 256, {5, 1, 6, 6}, torch::kUInt8);
        const std::vector<int64_t> dy{0, 1, 2, 1, 0}, dx{2, 0, 1, 1, 0};
        const std::vector<bool> flips{true, false, true, false, false};
        const auto a = cropFlip(img, 1, dy, dx, flips);
        const auto b = cropFlip(img, 1, torch::tensor(dy), torch::tensor(dx), torch::tensor(std::vector<int64_t>{1, 0, 1, 0, 0}));
        QVERIFY(torch::equal(a, b));
    }

    void choosesThePipeline() {
        TrainConfig t;
        QCOMPARE(resolvePipeline(t, "cuda"), std::string("graph"));
        QCOMPARE(resolvePipeline(t, "cpu"), std::string("host"));
        t.pipeline = "graph";
        QCOMPARE(resolvePipeline(t, "cpu"), std::string("device"));  // graphs need CUDA
        t.optimizer = "adam";
        QCOMPARE(resolvePipeline(t, "cuda"), std::string("host"));   // the device pipeline carries SGD only
        TrainConfig extras;  // mixup, CutMix, SAM and MaxNorm run on the device pipeline; ImbSAM does not
        extras.pipeline = "device";
        extras.mixup = 0.2;
        extras.cutmix = 1.0;
        extras.sam = 0.05;
        extras.maxNorm = 1.0;
        QCOMPARE(resolvePipeline(extras, "cpu"), std::string("device"));
        QCOMPARE(resolvePipeline(extras, "cuda"), std::string("device"));
        extras.pipeline = "auto";
        QCOMPARE(resolvePipeline(extras, "cuda"), std::string("graph"));
        extras.imbsam = true;
        QCOMPARE(resolvePipeline(extras, "cuda"), std::string("host"));
        ExperimentConfig c = blobs("turbo");
        try {
            Trainer bad(c);
            QFAIL("an unknown pipeline was accepted");
        } catch (const ConfigError& e) {
            QCOMPARE(QString::fromStdString(e.field()), QString("train.pipeline"));
        }
    }

    void sameResultsAsTheHostPipeline_data() {
        QTest::addColumn<QString>("loss");
        QTest::addColumn<QString>("rebalance");
        QTest::addColumn<bool>("deferred");
        QTest::addColumn<QString>("extra");  // a method that changes the step
        QTest::newRow("ERM") << "ce" << "none" << false << "";
        QTest::newRow("LDAM-DRW") << "ldam" << "cb-rw" << true << "";
        QTest::newRow("CB-RS") << "ce" << "cb-rs" << false << "";
        QTest::newRow("focal") << "focal" << "none" << false << "";
        QTest::newRow("BS-Mixup-DRW") << "bsm" << "cb-rw" << true << "mixup";
        QTest::newRow("LDAM-DRW+SAM") << "ldam" << "cb-rw" << true << "sam";
        QTest::newRow("CE+MaxNorm") << "ce" << "none" << false << "max-norm";
    }
    void sameResultsAsTheHostPipeline() {
        QFETCH(QString, loss);
        QFETCH(QString, rebalance);
        QFETCH(bool, deferred);
        QFETCH(QString, extra);
        ExperimentConfig host = blobs("host");
        host.loss.type = loss.toStdString();
        host.rebalance.type = rebalance.toStdString();
        host.rebalance.deferred = deferred;
        host.rebalance.deferEpoch = 2;
        if (extra == "mixup") host.train.mixup = 1.0;
        if (extra == "sam") host.train.sam = 0.5;
        if (extra == "max-norm") host.train.maxNorm = 0.8;
        ExperimentConfig device = host;
        device.train.pipeline = "device";
        const Outcome a = train(host), b = train(device);
        QCOMPARE(a.pipeline, std::string("host"));
        QCOMPARE(b.pipeline, std::string("device"));
        QCOMPARE(b.summary.pipeline, std::string("device"));
        QVERIFY(a.summary.hasFinalReport && b.summary.hasFinalReport);
        QVERIFY2(maxStateDifference(a.state, b.state) < 1e-5, qPrintable(QString::number(maxStateDifference(a.state, b.state))));
        QCOMPARE(b.summary.finalReport.testErrorPerClass, a.summary.finalReport.testErrorPerClass);
        QCOMPARE(b.summary.finalReport.trainErrorPerClass, a.summary.finalReport.trainErrorPerClass);
        QVERIFY(std::abs(b.summary.finalReport.trainLoss - a.summary.finalReport.trainLoss) < 1e-5);
    }

    void sameResultsOnAugmentedImages() {
        // Crop offsets and flips come from the same RNG calls in both pipelines.
        const Outcome a = train(fashion("host")), b = train(fashion("device"));
        QVERIFY2(maxStateDifference(a.state, b.state) < 1e-5, qPrintable(QString::number(maxStateDifference(a.state, b.state))));
        QCOMPARE(b.summary.finalReport.testErrorPerClass, a.summary.finalReport.testErrorPerClass);
        QVERIFY(b.summary.finalReport.balancedError < 0.9);  // it learned something
    }

    void residencyFollowsTheGpusFreeMemory() {
        const int64_t GB = 1000000000;
        // auto: streamed when the images would take more than half the free memory.
        QVERIFY(!chooseDataResidency("auto", true, 3 * GB, 8 * GB).stream);
        QVERIFY(!chooseDataResidency("auto", true, 4 * GB, 8 * GB).stream);  // exactly half still fits
        QVERIFY(chooseDataResidency("auto", true, 4 * GB + 1, 8 * GB).stream);
        QVERIFY(chooseDataResidency("auto", true, 30 * GB, 8 * GB).stream);
        QVERIFY(!chooseDataResidency("auto", true, 30 * GB, -1).stream);  // unknown free memory: as before
        QVERIFY(!chooseDataResidency("auto", false, 30 * GB, -1).stream); // the CPU: host memory either way
        // Asked for, either way.
        QVERIFY(chooseDataResidency("stream", true, 1 * GB, 80 * GB).stream);
        QVERIFY(!chooseDataResidency("device", true, 30 * GB, 8 * GB).stream);
        QVERIFY(chooseDataResidency("stream", false, 1 * GB, -1).stream);
        const ResidencyChoice big = chooseDataResidency("auto", true, 12 * GB, 8 * GB);
        QVERIFY2(QString::fromStdString(big.note).contains("12.00 GB of images streamed from pinned host memory"),
                 big.note.c_str());
        QVERIFY(QString::fromStdString(big.note).contains("8.00 GB free"));
        QCOMPARE(cudaFreeBytes(0) < 0, !torch::cuda::is_available());
        ExperimentConfig bad = blobs("device");
        bad.train.dataResidency = "gpu";
        QVERIFY_THROWS_EXCEPTION(ConfigError, Trainer{bad});
    }

    // Streamed images (host memory, each batch gathered there and copied into the step's buffer)
    // give the device-resident run bit for bit, CutMix's whole-batch gather included; the host
    // pipeline streams too.
    void streamedImagesGiveTheResidentRun() {
        ExperimentConfig resident = fashion("device");
        resident.train.cutmix = 1.0;
        ExperimentConfig streamed = resident;
        streamed.train.dataResidency = "stream";
        ExperimentConfig hostStreamed = streamed;
        hostStreamed.train.pipeline = "host";
        const Outcome a = train(resident), b = train(streamed), c = train(hostStreamed);
        QCOMPARE(a.residency, std::string("device"));
        QCOMPARE(b.residency, std::string("stream"));
        QCOMPARE(c.residency, std::string("stream"));
        QCOMPARE(b.pipeline, std::string("device"));
        QCOMPARE(maxStateDifference(a.state, b.state), 0.0);
        QCOMPARE(b.summary.finalReport.testErrorPerClass, a.summary.finalReport.testErrorPerClass);
        QCOMPARE(b.summary.finalReport.trainErrorPerClass, a.summary.finalReport.trainErrorPerClass);
        QVERIFY2(maxStateDifference(a.state, c.state) < 1e-5, qPrintable(QString::number(maxStateDifference(a.state, c.state))));
        QCOMPARE(c.summary.finalReport.testErrorPerClass, a.summary.finalReport.testErrorPerClass);
        QVERIFY(a.summary.finalReport.balancedError < 0.9);
    }

    void graphRequestRunsTheDevicePipelineOnCpu() {
        const Outcome g = train(blobs("graph")), d = train(blobs("device"));
        QCOMPARE(g.pipeline, std::string("device"));
        QCOMPARE(g.summary.pipeline, std::string("device"));
        QCOMPARE(maxStateDifference(g.state, d.state), 0.0);
    }

    void sameSeedSameResults() {
        const Outcome a = train(blobs("device")), b = train(blobs("device"));
        QCOMPARE(maxStateDifference(a.state, b.state), 0.0);
        QCOMPARE(a.summary.finalReport.testErrorPerClass, b.summary.finalReport.testErrorPerClass);
    }

    void divergenceStopsAtItsStepAndKeepsTheLastGoodModel() {
        ExperimentConfig host = blobs("host");
        host.train.lr = 1e6;
        host.train.schedule = "constant";
        ExperimentConfig device = host;
        device.train.pipeline = "device";
        const Outcome a = train(host), b = train(device);
        QCOMPARE(b.summary.status, RunStatus::Failed);
        QVERIFY2(QString::fromStdString(b.summary.message).contains("training diverged at step"), b.summary.message.c_str());
        // Both pipelines name the same step: the device one latches it without waiting.
        QCOMPARE(b.summary.message, a.summary.message);
        QVERIFY(allFinite(b.state));
    }

    void channelsLastTrainsTheSameNetwork() {
        // Memory layout only: the same arithmetic up to the order of float sums (oneDNN picks other
        // kernels for channels-last and for the flat buffer's views), so after 18 steps the weights
        // agree to ~1e-3, where a mis-laid-out weight would be off by O(1).
        ExperimentConfig plain = fashion("host", "cnn");
        plain.train.batchSize = 512;
        plain.train.lr = 0.01;
        ExperimentConfig hostCl = plain, deviceCl = plain;
        hostCl.train.channelsLast = deviceCl.train.channelsLast = true;
        deviceCl.train.pipeline = "device";
        const Outcome a = train(plain), b = train(hostCl), c = train(deviceCl);
        QVERIFY2(maxStateDifference(b.state, c.state) < 1e-2, qPrintable(QString::number(maxStateDifference(b.state, c.state))));
        QVERIFY2(maxStateDifference(a.state, c.state) < 1e-2, qPrintable(QString::number(maxStateDifference(a.state, c.state))));
    }

    void bf16AutocastTrainsAndIsDeterministic() {
        ExperimentConfig c = fashion("device");
        c.train.precision = "bf16";
        const Outcome a = train(c), b = train(c), full = train(fashion("device"));
        QCOMPARE(maxStateDifference(a.state, b.state), 0.0);
        QVERIFY(maxStateDifference(a.state, full.state) > 0);  // bf16 did change the arithmetic
        QVERIFY(std::isfinite(a.summary.finalReport.trainLoss));
        QVERIFY(std::abs(a.summary.finalReport.balancedError - full.summary.finalReport.balancedError) < 0.1);
    }

    // The app's "fast" mode (bf16 + channels-last, host pipeline) with the small CNN on the CPU:
    // same seed, same machine, same numbers.
    void fastModeOnTheCpuIsReproducible() {
        ExperimentConfig c = fashion("host", "cnn");
        c.train.precision = "bf16";
        c.train.channelsLast = true;
        const Outcome a = train(c), b = train(c);
        QCOMPARE(maxStateDifference(a.state, b.state), 0.0);
        QCOMPARE(a.summary.finalReport.testErrorPerClass, b.summary.finalReport.testErrorPerClass);
        QCOMPARE(a.summary.finalReport.balancedError, b.summary.finalReport.balancedError);
    }

    void stopAndResumeGivesTheUninterruptedRun_data() {
        QTest::addColumn<QString>("pipeline");
        QTest::newRow("host") << "host";
        QTest::newRow("device") << "device";
    }
    void stopAndResumeGivesTheUninterruptedRun() {
        // Stopped at the end of epoch 3 of 4, then continued from checkpoint.pt by a new trainer:
        // the weights and the final metrics equal those of one uninterrupted run.
        QFETCH(QString, pipeline);
        ExperimentConfig c = blobs(pipeline.toStdString());
        c.loss.type = "ldam";
        c.rebalance.type = "cb-rw";
        c.rebalance.deferred = true;
        c.rebalance.deferEpoch = 2;
        const Outcome whole = train(c);
        // The best epoch falls before the stop, so only a checkpoint that carries it gives the
        // resumed run the same best (the resumed run evaluates epoch 4 alone).
        QVERIFY2(whole.summary.bestEpoch < 3, qPrintable(QString::number(whole.summary.bestEpoch)));
        QTemporaryDir dir;
        const std::string checkpoint = (dir.path() + "/checkpoint.pt").toStdString();
        {
            Trainer first(c);
            first.setCheckpointPath(checkpoint);
            struct StopAfterEpoch3 : TrainingObserver {
                RunControl* control = nullptr;
                void onReport(const MetricsReport& r) override {
                    if (r.epochEnd && r.epoch == 2) control->cancel = true;
                }
            } stopper;
            RunControl control;
            stopper.control = &control;
            const RunSummary s = first.run(stopper, control);
            QCOMPARE(s.status, RunStatus::Cancelled);
            QCOMPARE(s.epochsCompleted, 3);
        }
        Trainer second(c);
        const auto [epochs, step] = second.resumeFrom(checkpoint);
        QCOMPARE(epochs, 3);
        QVERIFY(step > 0);
        Silent quiet;
        RunControl control;
        const RunSummary s = second.run(quiet, control);
        QCOMPARE(s.status, RunStatus::Finished);
        QCOMPARE(maxStateDifference(second.stateDict(), whole.state), 0.0);
        QCOMPARE(s.finalReport.testErrorPerClass, whole.summary.finalReport.testErrorPerClass);
        QCOMPARE(s.finalReport.trainLoss, whole.summary.finalReport.trainLoss);
        // The best epoch is over all four epochs, those before the stop too.
        QCOMPARE(s.bestEpoch, whole.summary.bestEpoch);
        QCOMPARE(s.bestBalancedError, whole.summary.bestBalancedError);
        // Another configuration cannot take this checkpoint.
        ExperimentConfig other = c;
        other.train.lr = 0.02;
        Trainer wrong(other);
        try {
            wrong.resumeFrom(checkpoint);
            QFAIL("a checkpoint of another configuration was accepted");
        } catch (const DataError& e) {
            QVERIFY(QString(e.what()).contains("different configuration"));
        }
    }

    void autocastScopeRestoresTheState() {
        QVERIFY(!at::autocast::is_cpu_enabled());
        {
            AutocastScope on(torch::kCPU, true);
            QVERIFY(at::autocast::is_cpu_enabled());
            const auto y = torch::mm(torch::ones({2, 2}), torch::ones({2, 2}));
            QCOMPARE(y.scalar_type(), torch::kBFloat16);
        }
        QVERIFY(!at::autocast::is_cpu_enabled());
    }
};

QTEST_APPLESS_MAIN(TestDevicePipeline)
#include "tst_device_pipeline.moc"
