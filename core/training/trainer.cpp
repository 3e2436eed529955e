// The training loop. One Trainer per run; all torch work happens on the thread calling run().
#include "training/trainer.h"

#include "data/dataset_loader.h"
#include "data/dataset_manifest.h"
#include "errors.h"
#include "io/atomic_file.h"
#include "io/config_json.h"
#include "io/model_export.h"
#include "losses/cross_entropy.h"
#include "losses/loss_factory.h"
#include "models/classifier.h"
#include "models/model_factory.h"
#include "training/augment.h"
#include "training/device_pipeline.h"
#include "training/lr_schedule.h"
#include "training/metrics.h"
#include "training/op_profiler.h"
#include "training/rebalancing.h"
#include "training/sampler.h"
#include "util/rng.h"

#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>

namespace imblab {

namespace {

constexpr int kCropPad = 4;
constexpr int kMarginBins = 40;
constexpr int64_t kEvalBatch = 256;
constexpr int64_t kDeviceEvalBatch = 1024;  // on a GPU larger evaluation batches cost nothing extra

using Clock = std::chrono::steady_clock;

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// torch::manual_seed is process-global: runs that start at once (the teaching mode's side by
// side) take turns to seed and initialise their model.
std::mutex& initMutex() {
    static std::mutex m;
    return m;
}

void requireOneOf(const std::string& value, std::initializer_list<const char*> allowed, const char* field) {
    std::string list;
    for (const char* a : allowed) {
        if (value == a) return;
        list += (list.empty() ? "" : ", ") + std::string(a);
    }
    throw ConfigError(field, "unknown value '" + value + "' (expected " + list + ")");
}

std::string show(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

template <typename T>
void requireRange(T value, T lo, T hi, const char* field) {
    if (!(value >= lo && value <= hi))
        throw ConfigError(field, "must be between " + show(double(lo)) + " and " + show(double(hi)) + ", got " +
                                     show(double(value)));
}

constexpr int64_t kCheckpointFormat = 1;

torch::Tensor rngTensor(const Rng& rng) {
    const auto st = rng.state();
    auto t = torch::empty({4}, torch::kInt64);
    std::memcpy(t.data_ptr<int64_t>(), st.data(), sizeof(uint64_t) * 4);
    return t;
}

void restoreRng(Rng& rng, const torch::Tensor& t) {
    std::array<uint64_t, 4> st{};
    const auto c = t.to(torch::kCPU, torch::kInt64).contiguous();
    if (c.numel() != 4) throw TrainingError("checkpoint RNG state has the wrong size");
    std::memcpy(st.data(), c.data_ptr<int64_t>(), sizeof(uint64_t) * 4);
    rng.setState(st);
}

torch::Tensor textTensor(const std::string& text) {
    auto t = torch::empty({int64_t(text.size())}, torch::kUInt8);
    std::memcpy(t.data_ptr<uint8_t>(), text.data(), text.size());
    return t;
}

std::string tensorText(const torch::Tensor& t) {
    const auto c = t.to(torch::kCPU, torch::kUInt8).contiguous();
    return std::string(reinterpret_cast<const char*>(c.data_ptr<uint8_t>()), size_t(c.numel()));
}

int64_t readInt(torch::serialize::InputArchive& a, const char* key) {
    torch::Tensor t;
    a.read(key, t);
    return t.to(torch::kCPU, torch::kInt64).item<int64_t>();
}

// The first line of a LibTorch error: enough to say what was wrong with a file.
std::string firstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

} // namespace

std::string runStatusName(RunStatus s) {
    switch (s) {
    case RunStatus::Finished: return "finished";
    case RunStatus::Cancelled: return "cancelled";
    case RunStatus::Failed: return "failed";
    }
    return "failed";
}

bool cudaAvailable() { return torch::cuda::is_available(); }

std::string resolveDevice(const std::string& requested) {
    requireOneOf(requested, {"auto", "cpu", "cuda"}, "train.device");
    if (requested == "cpu") return "cpu";
    if (requested == "cuda" && !cudaAvailable())
        throw ConfigError("train.device", "CUDA was requested but is not available (no CUDA build of LibTorch or no "
                                          "visible GPU); use --device cpu or auto");
    return cudaAvailable() ? "cuda" : "cpu";
}

std::string resolvePipeline(const TrainConfig& train, const std::string& device) {
    std::string p = train.pipeline == "auto" ? (device == "cuda" ? "graph" : "host") : train.pipeline;
    if (p != "host" && train.optimizer != "sgd") {
        spdlog::info("the {} pipeline implements SGD; {} runs on the host pipeline", p, train.optimizer);
        return "host";
    }
    if (p == "graph" && device != "cuda") {
        spdlog::info("CUDA graphs need a CUDA device; running the device pipeline on the {}", device);
        return "device";
    }
    return p;
}

void validateConfig(const ExperimentConfig& cfg) {
    if (cfg.version != 1) throw ConfigError("version", "unsupported config version " + std::to_string(cfg.version) + " (this build reads version 1)");
    DatasetManifest::builtin().find(cfg.dataset.id);
    parseProfile(cfg.dataset.profile);
    ImbalanceProfile(imbalanceSpec(cfg.dataset));  // ρ and μ ranges
    requireRange(cfg.dataset.blobsClasses, 2, 10, "dataset.blobs_classes");
    requireRange<int64_t>(cfg.dataset.blobsPerClass, 1, 100000, "dataset.blobs_per_class");
    requireOneOf(cfg.train.model, {"mlp", "cnn", "resnet32"}, "train.model");
    requireOneOf(cfg.loss.type, {"ce", "focal", "ldam", "ldam-hg", "margin", "la", "bsm", "vs"}, "loss.type");
    makeLoss(cfg.loss, {10, 1});  // parameter ranges
    RebalanceSchedule(cfg.rebalance, {10, 1}, 0);
    requireRange(cfg.train.epochs, 1, 100000, "train.epochs");
    requireRange(cfg.train.batchSize, 1, 1 << 20, "train.batch_size");
    requireRange(cfg.train.lr, 0.0, 1e6, "train.lr");
    if (!(cfg.train.lr > 0)) throw ConfigError("train.lr", "must be positive");
    requireRange(cfg.train.momentum, 0.0, 1.0, "train.momentum");
    requireRange(cfg.train.weightDecay, 0.0, 1.0, "train.weight_decay");
    requireOneOf(cfg.train.optimizer, {"sgd", "adam"}, "train.optimizer");
    requireOneOf(cfg.train.schedule, {"official", "constant"}, "train.schedule");
    requireOneOf(cfg.train.device, {"auto", "cpu", "cuda"}, "train.device");
    requireRange(cfg.train.reportEvery, 1, 1000000, "train.report_every");
    requireRange(cfg.train.marginEvery, 1, 100000, "train.margin_every");
    requireRange(cfg.train.threads, 0, 1024, "train.threads");
    requireRange(cfg.train.mlpHidden, 1, 4096, "train.mlp_hidden");
    requireRange(cfg.train.checkpointEvery, 0, 100000, "train.checkpoint_every");
    requireOneOf(cfg.train.pipeline, {"auto", "host", "device", "graph"}, "train.pipeline");
    requireOneOf(cfg.train.precision, {"fp32", "bf16"}, "train.precision");
}

struct Trainer::Impl {
    ExperimentConfig cfg;
    std::shared_ptr<const Dataset> full;
    RunInfo info;
    bool prepared = false;

    torch::Device device{torch::kCPU};
    std::shared_ptr<Classifier> model;
    std::unique_ptr<Loss> loss;
    std::unique_ptr<RebalanceSchedule> rebalance;
    ScheduleEpochs schedule;
    Normalization norm;
    bool image = true;
    std::vector<double> logPrior;

    std::string pipeline = "host";
    std::unique_ptr<DevicePipeline> pipe;  // the device/graph pipeline, made when a run starts
    std::string checkpointPath, resumePath;

    torch::Tensor trainX, testX;  // uint8 images (padded to the model input) or float features
    torch::Tensor trainY, testY;
    std::vector<int64_t> trainLabels, testLabels;

    torch::Tensor toInputs(const torch::Tensor& rows) const {
        return image ? normalizeBatch(rows, norm) : rows;
    }

    torch::Tensor modelInputs(const torch::Tensor& rows) const {
        auto x = toInputs(rows);
        return image && cfg.train.channelsLast ? x.contiguous(torch::MemoryFormat::ChannelsLast) : x;
    }

    torch::Tensor logits(const torch::Tensor& x) {
        AutocastScope autocast(device, cfg.train.precision == "bf16");
        return model->forward(x).to(torch::kFloat32);
    }

    // Logits of every row of `x`, gathered on the device and copied to the host once.
    LogitTable evaluate(const torch::Tensor& x, const RunControl* control) {
        LogitTable t;
        t.rows = x.size(0);
        t.classes = int(info.classNames.size());
        torch::Tensor z;
        if (pipe) {
            z = pipe->evaluate(x, control ? &control->cancel : nullptr);
        } else {
            torch::NoGradGuard noGrad;
            model->eval();
            std::vector<torch::Tensor> parts;
            for (int64_t start = 0; start < t.rows; start += kEvalBatch) {
                if (control && control->cancel) break;
                parts.push_back(logits(modelInputs(x.slice(0, start, std::min(t.rows, start + kEvalBatch)))));
            }
            model->train();
            if (!(control && control->cancel) && !parts.empty()) z = torch::cat(parts).to(torch::kCPU);
        }
        t.values.assign(size_t(t.rows * t.classes), 0.0f);
        if (z.defined() && z.size(0) == t.rows) {
            z = z.contiguous();
            std::memcpy(t.values.data(), z.data_ptr<float>(), size_t(z.numel()) * sizeof(float));
        }
        return t;
    }

    // One forward and backward pass on the examples `idx` (augmented when configured).
    std::pair<torch::Tensor, torch::Tensor> forwardBackward(const torch::Tensor& idx, const torch::Tensor& y,
                                                            const torch::Tensor& weights,
                                                            torch::optim::Optimizer& optimizer, Rng& augmentRng) {
        const auto rows = trainX.index_select(0, idx);
        auto x = (image && cfg.train.augment) ? augmentBatch(rows, kCropPad, cfg.train.flip, augmentRng, norm)
                                              : toInputs(rows);
        if (image && cfg.train.channelsLast) x = x.contiguous(torch::MemoryFormat::ChannelsLast);
        optimizer.zero_grad();
        auto z = logits(x);
        auto lossValue = (*loss)(z, y, weights);
        lossValue.backward();
        return {lossValue, z};
    }

    // Channels-last conv weights for the host pipeline (the device pipeline lays out its own
    // flat buffers).
    void layOutWeights() {
        if (!cfg.train.channelsLast || pipeline != "host") return;
        torch::NoGradGuard noGrad;
        for (auto& p : model->parameters())
            if (p.dim() == 4) p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
    }

    void makePipeline() {
        if (pipeline == "host" || pipe) return;
        DevicePipelineOptions o;
        o.batch = std::min<int64_t>(cfg.train.batchSize, info.trainSize);
        o.stepsPerEpoch = info.stepsPerEpoch;
        o.cropPad = kCropPad;
        o.image = image;
        o.augment = cfg.train.augment;
        o.flip = cfg.train.flip;
        o.momentum = cfg.train.momentum;
        o.weightDecay = cfg.train.weightDecay;
        o.bf16 = cfg.train.precision == "bf16";
        o.channelsLast = cfg.train.channelsLast;
        o.useGraph = pipeline == "graph";
        o.classes = int(info.classNames.size());
        o.evalBatch = device.is_cuda() ? kDeviceEvalBatch : kEvalBatch;
        pipe = std::make_unique<DevicePipeline>(*model, *loss, trainX, trainY, norm, o);
    }

    std::unique_ptr<torch::optim::Optimizer> makeOptimizer() const {
        if (cfg.train.optimizer == "adam")
            return std::make_unique<torch::optim::Adam>(
                model->parameters(), torch::optim::AdamOptions(cfg.train.lr).weight_decay(cfg.train.weightDecay));
        return std::make_unique<torch::optim::SGD>(
            model->parameters(),
            torch::optim::SGDOptions(cfg.train.lr).momentum(cfg.train.momentum).weight_decay(cfg.train.weightDecay));
    }

    void fillEvaluation(MetricsReport& r, const RunControl& control) {
        const int k = int(info.classNames.size());
        const LogitTable test = evaluate(testX, &control);
        const LogitTable train = evaluate(trainX, &control);
        if (control.cancel) return;

        // Prediction logits are s·z for the LDAM losses; post-hoc adjustment uses those.
        LogitTable scaledTest = test;
        for (float& v : scaledTest.values) v = float(v * info.predictionScale);
        const auto testPred = argmaxPredictions(test);
        r.testPredictions.assign(testPred.begin(), testPred.end());
        r.confusion = confusionMatrix(testLabels, testPred, k);
        r.testErrorPerClass = perClassError(r.confusion);
        r.balancedError = maskedMean(r.testErrorPerClass, std::vector<bool>(size_t(k), true));
        std::vector<bool> frequent;
        for (bool m : info.minority) frequent.push_back(!m);
        r.frequentError = maskedMean(r.testErrorPerClass, frequent);
        r.minorityError = maskedMean(r.testErrorPerClass, info.minority);
        const auto shots = shotAccuracy(r.testErrorPerClass, info.classCounts);
        r.manyShotAccuracy = shots.many;
        r.mediumShotAccuracy = shots.medium;
        r.fewShotAccuracy = shots.few;
        r.ece = expectedCalibrationError(test, testLabels, info.predictionScale, 15);
        const auto laPred = argmaxPredictions(scaledTest, logPrior);
        r.balancedErrorPostHocLA =
            maskedMean(perClassError(confusionMatrix(testLabels, laPred, k)), std::vector<bool>(size_t(k), true));

        r.trainErrorPerClass = perClassError(confusionMatrix(trainLabels, argmaxPredictions(train), k));
        const auto margins = exampleMargins(train, trainLabels);
        const double range = niceMarginRange(margins);
        r.marginLo = -range;
        r.marginHi = range;
        std::vector<std::vector<double>> byClass(static_cast<size_t>(k));
        for (size_t i = 0; i < margins.size(); ++i) byClass[size_t(trainLabels[i])].push_back(margins[i]);
        for (int c = 0; c < k; ++c) r.margins.push_back(marginStats(byClass[size_t(c)], -range, range, kMarginBins));
    }
};

Trainer::Trainer(ExperimentConfig cfg, std::shared_ptr<const Dataset> fullData) : impl_(std::make_unique<Impl>()) {
    validateConfig(cfg);
    impl_->cfg = std::move(cfg);
    impl_->full = std::move(fullData);
}

Trainer::~Trainer() = default;

const RunInfo& Trainer::info() const { return impl_->info; }
const ExperimentConfig& Trainer::config() const { return impl_->cfg; }

const RunInfo& Trainer::prepare(const RunControl* control) {
    Impl& d = *impl_;
    if (d.prepared) return d.info;
    const ExperimentConfig& cfg = d.cfg;
    const std::string deviceName = resolveDevice(cfg.train.device);
    d.device = torch::Device(deviceName == "cuda" ? torch::kCUDA : torch::kCPU);
    if (deviceName == "cpu") {
        const int threads = cfg.train.threads > 0 ? cfg.train.threads : int(std::max(1u, std::thread::hardware_concurrency()));
        torch::set_num_threads(threads);
    }

    if (!d.full) d.full = std::make_shared<const Dataset>(loadDataset(cfg.dataset));
    if (control && control->cancel) throw TrainingError("cancelled while loading data");
    ImbalancedData imb = makeImbalanced(*d.full, cfg.dataset);
    const Dataset& ds = imb.data;
    const int k = ds.numClasses();
    d.image = ds.isImage();

    RunInfo& info = d.info;
    info.classNames = ds.classNames;
    info.classCounts = imb.classCounts;
    info.minority = minorityClasses(imb.classCounts);
    info.nMax = imb.nMax;
    info.trainSize = ds.train.size();
    info.testSize = ds.test.size();
    info.device = deviceName;
    d.pipeline = resolvePipeline(cfg.train, deviceName);
    info.pipeline = d.pipeline;
    if (deviceName == "cuda") {
        // Deterministic cuDNN kernels by default: same seed, same device, same results. Without,
        // cuDNN times its candidate kernels and keeps the fastest (which may differ run to run).
        at::globalContext().setBenchmarkCuDNN(!cfg.train.deterministic);
        at::globalContext().setDeterministicCuDNN(cfg.train.deterministic);
    }
    if (cfg.train.batchSize > info.trainSize)
        spdlog::info("batch size {} is larger than the training set ({}): one batch per epoch", cfg.train.batchSize,
                     info.trainSize);
    const int64_t batch = std::min<int64_t>(cfg.train.batchSize, info.trainSize);
    info.stepsPerEpoch = (info.trainSize + batch - 1) / batch;
    if (info.trainSize % batch == 1 && info.stepsPerEpoch > 1) --info.stepsPerEpoch;  // no 1-example batch (BatchNorm)

    d.schedule = cfg.train.schedule == "official" ? scaledSchedule(cfg.train.epochs)
                                                  : ScheduleEpochs{0, cfg.train.epochs, cfg.train.epochs};
    info.warmupEpochs = d.schedule.warmup;
    info.decay1Epoch = d.schedule.decay1;
    info.decay2Epoch = d.schedule.decay2;
    const int firstDecay = cfg.train.schedule == "official" ? d.schedule.decay1 : cfg.train.epochs / 2;
    d.rebalance = std::make_unique<RebalanceSchedule>(cfg.rebalance, imb.classCounts, firstDecay);
    info.classWeights = d.rebalance->weights();
    info.rebalanceEpoch = d.rebalance->switchEpoch();
    d.loss = makeLoss(cfg.loss, imb.classCounts);
    info.deltas = d.loss->margins();
    info.predictionScale = predictionScale(cfg.loss);
    d.logPrior = logPriors(imb.classCounts);

    const ModelInput input = modelInputFor(cfg.train.model, ds.channels, ds.height, ds.width, ds.featureDim);
    info.inputShape = d.image ? std::vector<int>{input.channels, input.height, input.width}
                              : std::vector<int>{input.features};
    {
        std::lock_guard<std::mutex> lock(initMutex());
        torch::manual_seed(cfg.train.seed);
        d.model = makeModel(cfg.train.model, input, k, cfg.loss.usesNormalizedHead(), cfg.train.mlpHidden);
    }
    d.model->to(d.device);
    d.layOutWeights();
    info.parameterCount = 0;
    for (const auto& p : d.model->parameters()) info.parameterCount += p.numel();

    auto toTensor = [&](const DatasetSplit& split) {
        if (d.image) {
            auto t = torch::from_blob(const_cast<uint8_t*>(split.images.data()),
                                      {split.size(), ds.channels, ds.height, ds.width}, torch::kUInt8)
                         .clone();
            const int64_t ph = input.height - ds.height, pw = input.width - ds.width;
            if (ph > 0 || pw > 0)  // zero-pad (e.g. 28×28 → 32×32 for ResNet-32)
                t = torch::constant_pad_nd(t, {pw / 2, pw - pw / 2, ph / 2, ph - ph / 2}, 0);
            return t.to(d.device);
        }
        return torch::from_blob(const_cast<float*>(split.features.data()), {split.size(), ds.featureDim}, torch::kFloat32)
            .clone()
            .to(d.device);
    };
    d.trainX = toTensor(ds.train);
    d.testX = toTensor(ds.test);
    d.trainLabels = ds.train.labels;
    d.testLabels = ds.test.labels;
    d.trainY = torch::tensor(d.trainLabels, torch::kInt64).to(d.device);
    d.testY = torch::tensor(d.testLabels, torch::kInt64).to(d.device);
    if (d.image) d.norm = Normalization::fromMeanStd(ds.mean, ds.std, d.device);
    d.prepared = true;
    return info;
}

RunSummary Trainer::run(TrainingObserver& observer, RunControl& control) {
    Impl& d = *impl_;
    prepare(&control);
    const ExperimentConfig& cfg = d.cfg;
    const RunInfo& info = d.info;
    const int k = int(info.classNames.size());
    const int64_t batch = std::min<int64_t>(cfg.train.batchSize, info.trainSize);

    // A checkpoint's weights go in before the device pipeline copies them into its flat buffers.
    torch::serialize::InputArchive resume;
    const bool resuming = !d.resumePath.empty();
    if (resuming) {
        resume.load_from(d.resumePath, torch::kCPU);
        torch::serialize::InputArchive weights;
        resume.read("model", weights);
        d.model->load(weights);
        d.model->to(d.device);
        d.layOutWeights();  // loading replaced the weights' storage
    }
    // The host pipeline steps a torch optimizer; the device pipeline carries its own SGD.
    d.makePipeline();
    auto optimizer = d.pipe ? nullptr : d.makeOptimizer();
    auto setLr = [&](double lr) {
        for (auto& group : optimizer->param_groups()) group.options().set_lr(lr);
    };

    Rng sampleRng(Rng::mix(cfg.train.seed, 0x5A3B1E));
    Rng augmentRng(Rng::mix(cfg.train.seed, 0xA06));
    d.model->train();

    RunSummary summary;
    summary.device = info.device;
    summary.pipeline = d.pipeline;
    const auto start = Clock::now();
    Clock::duration trainTime{}, pausedTime{};
    int64_t step = 0, imagesSeen = 0;
    const int64_t totalSteps = info.stepsPerEpoch * cfg.train.epochs;
    double lossSum = 0;
    int64_t lossCount = 0;
    std::vector<int64_t> seenPerClass(size_t(k), 0), wrongPerClass(size_t(k), 0);

    auto baseReport = [&](int epoch, double lr) {
        MetricsReport r;
        r.epoch = epoch;
        r.step = step;
        r.totalSteps = totalSteps;
        r.epochProgress = double(step) / double(info.stepsPerEpoch);
        r.lr = lr;
        r.trainLoss = lossCount ? lossSum / double(lossCount) : 0.0;
        r.imgPerSec = seconds(trainTime) > 0 ? double(imagesSeen) / seconds(trainTime) : 0.0;
        r.elapsedSeconds = seconds(Clock::now() - start);
        r.etaSeconds = step > 0 ? (r.elapsedSeconds - seconds(pausedTime)) / double(step) * double(totalSteps - step) : 0.0;
        r.deltas = info.deltas;
        const RebalancePhase phase = d.rebalance->at(epoch);
        r.weights = phase.weights;
        r.resampling = phase.resample;
        return r;
    };
    auto runningTrainError = [&] {
        std::vector<double> e(size_t(k), std::nan(""));
        for (int c = 0; c < k; ++c)
            if (seenPerClass[size_t(c)]) e[size_t(c)] = double(wrongPerClass[size_t(c)]) / double(seenPerClass[size_t(c)]);
        return e;
    };
    auto diverged = [&](int64_t atStep, double lossValue) {
        const int epochOfStep = int(atStep / info.stepsPerEpoch);
        const double lrThen = cfg.train.lr * lrFactor(epochOfStep, d.schedule);
        char buf[220];
        std::snprintf(buf, sizeof buf, "training diverged at step %lld (epoch %d, lr %.4g): loss is %s; lower the "
                      "learning rate", (long long)atStep + 1, epochOfStep + 1, lrThen,
                      std::isnan(lossValue) ? "NaN" : "infinite");
        summary.status = RunStatus::Failed;
        summary.message = buf;
    };

    int firstEpoch = 0;
    if (resuming) {
        if (d.pipe) {
            torch::Tensor momentum;
            resume.read("momentum", momentum);
            d.pipe->setMomentum(momentum.to(d.device));
        } else {
            torch::serialize::InputArchive state;
            resume.read("optimizer", state);
            optimizer->load(state);
        }
        // Each read into a fresh tensor: InputArchive::read re-points a defined one, keeping its dtype.
        torch::Tensor sampleState, augmentState, seconds_;
        resume.read("sample_rng", sampleState);
        restoreRng(sampleRng, sampleState);
        resume.read("augment_rng", augmentState);
        restoreRng(augmentRng, augmentState);
        firstEpoch = int(readInt(resume, "epochs_done"));
        step = readInt(resume, "step");
        imagesSeen = readInt(resume, "images_seen");
        resume.read("train_seconds", seconds_);
        trainTime = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds_.item<double>()));
        summary.epochsCompleted = firstEpoch;
        spdlog::info("resuming from {} at epoch {}, step {} ({} images in {:.1f} s of training so far)", d.resumePath,
                     firstEpoch + 1, step, imagesSeen, seconds(trainTime));
        d.resumePath.clear();
    }
    auto saveCheckpoint = [&](int epochsDone) {
        writeFileAtomically(d.checkpointPath, [&](const std::string& tmp) {
            torch::serialize::OutputArchive a, weights;
            d.model->save(weights);
            a.write("model", weights);
            if (d.pipe) {
                a.write("momentum", d.pipe->momentum());
            } else {
                torch::serialize::OutputArchive state;
                optimizer->save(state);
                a.write("optimizer", state);
            }
            a.write("format", torch::tensor(kCheckpointFormat));
            a.write("epochs_done", torch::tensor(int64_t(epochsDone)));
            a.write("step", torch::tensor(step));
            a.write("images_seen", torch::tensor(imagesSeen));
            a.write("train_seconds", torch::tensor(seconds(trainTime), torch::kFloat64));
            a.write("sample_rng", rngTensor(sampleRng));
            a.write("augment_rng", rngTensor(augmentRng));
            a.write("config", textTensor(configToJson(cfg)));
            a.save_to(tmp);
        });
    };

    bool stop = false;
    for (int epoch = firstEpoch; epoch < cfg.train.epochs && !stop; ++epoch) {
        const double lr = cfg.train.lr * lrFactor(epoch, d.schedule);
        const RebalancePhase phase = d.rebalance->at(epoch);
        const std::vector<int64_t> order =
            phase.resample ? resampledOrder(d.trainLabels, phase.weights, sampleRng) : shuffledOrder(info.trainSize, sampleRng);
        torch::Tensor weights, orderT;
        if (d.pipe) {
            d.pipe->beginEpoch(order, augmentRng, lr, phase.reweight ? phase.weights : std::vector<double>{});
        } else {
            setLr(lr);
            if (phase.reweight) weights = torch::tensor(phase.weights, torch::kFloat64).to(d.device, torch::kFloat32);
            orderT = torch::tensor(order, torch::kInt64).to(d.device);
        }
        std::fill(seenPerClass.begin(), seenPerClass.end(), 0);
        std::fill(wrongPerClass.begin(), wrongPerClass.end(), 0);
        bool epochReported = false;  // every step ran and the epoch-end report went out

        for (int64_t s = 0; s < info.stepsPerEpoch; ++s) {
            if (control.pause) {
                const auto pauseStart = Clock::now();
                while (control.pause && !control.cancel) std::this_thread::sleep_for(std::chrono::milliseconds(10));
                pausedTime += Clock::now() - pauseStart;
            }
            if (control.cancel) {
                stop = true;
                summary.status = RunStatus::Cancelled;
                summary.message = "stopped by the user at epoch " + std::to_string(epoch + 1) + ", step " + std::to_string(step);
                break;
            }
            const auto stepStart = Clock::now();
            const int64_t from = s * batch;
            const int64_t to = (s + 1 == info.stepsPerEpoch) ? info.trainSize : from + batch;
            const bool lastStepOfEpoch = s + 1 == info.stepsPerEpoch;
            const bool evaluateNow = lastStepOfEpoch && ((epoch + 1) % cfg.train.marginEvery == 0 || epoch + 1 == cfg.train.epochs);
            if (d.pipe) {
                // Queued on the device; the sums come back only when a report is due.
                d.pipe->step(s);
                ++step;
                imagesSeen += to - from;
                if (lastStepOfEpoch || step % cfg.train.reportEvery == 0) {
                    const StepTotals totals = d.pipe->drain();
                    if (totals.divergedAtStep >= 0) {
                        stop = true;
                        diverged(totals.divergedAtStep, totals.divergedLoss);
                        break;
                    }
                    lossSum += totals.lossSum;
                    lossCount += totals.steps;
                    for (int c = 0; c < k; ++c) {
                        seenPerClass[size_t(c)] += totals.seen[size_t(c)];
                        wrongPerClass[size_t(c)] += totals.wrong[size_t(c)];
                    }
                }
            } else {
                const auto idx = orderT.slice(0, from, to);
                const auto y = d.trainY.index_select(0, idx);
                const auto [lossValue, z] = d.forwardBackward(idx, y, weights, *optimizer, augmentRng);
                const double lv = lossValue.item<double>();
                if (!std::isfinite(lv)) {
                    stop = true;
                    diverged(step, lv);
                    break;
                }
                optimizer->step();
                ++step;
                imagesSeen += to - from;
                lossSum += lv;
                ++lossCount;
                const auto pred = z.argmax(1).to(torch::kCPU);
                const auto yc = y.to(torch::kCPU);
                const int64_t* pp = pred.data_ptr<int64_t>();
                const int64_t* yp = yc.data_ptr<int64_t>();
                for (int64_t i = 0; i < pred.numel(); ++i) {
                    ++seenPerClass[size_t(yp[i])];
                    wrongPerClass[size_t(yp[i])] += pp[i] != yp[i];
                }
            }
            trainTime += Clock::now() - stepStart;

            if (evaluateNow) {
                MetricsReport r = baseReport(epoch, lr);
                r.epochEnd = true;
                d.fillEvaluation(r, control);
                if (control.cancel) {  // an interrupted evaluation is dropped, not reported half-done
                    stop = true;
                    summary.status = RunStatus::Cancelled;
                    summary.message = "stopped by the user during the evaluation of epoch " + std::to_string(epoch + 1);
                    break;
                }
                summary.finalReport = r;
                summary.hasFinalReport = true;
                summary.epochsCompleted = epoch + 1;
                observer.onReport(r);
                epochReported = true;
                lossSum = 0;
                lossCount = 0;
            } else if (step % cfg.train.reportEvery == 0 || lastStepOfEpoch) {
                MetricsReport r = baseReport(epoch, lr);
                r.trainErrorPerClass = runningTrainError();
                observer.onReport(r);
                lossSum = 0;
                lossCount = 0;
                if (lastStepOfEpoch) {
                    summary.epochsCompleted = epoch + 1;
                    epochReported = true;
                }
            }
        }
        const bool checkpointDue = !d.checkpointPath.empty() && cfg.train.checkpointEvery > 0 &&
                                   (epoch + 1) % cfg.train.checkpointEvery == 0 && epoch + 1 < cfg.train.epochs;
        // Also when a stop arrived during the epoch-end report: the epoch is whole, so a resumed
        // run starts after it.
        if (epochReported && checkpointDue) saveCheckpoint(epoch + 1);
        if (epoch == firstEpoch && d.pipe) {
            summary.pipeline = d.pipe->mode();
            if (d.pipeline == "graph" && summary.pipeline != "graph")
                spdlog::warn("the training step runs without CUDA graphs: {}", d.pipe->graphFallbackReason());
        }
    }
    if (!stop && control.cancel) {
        summary.status = RunStatus::Cancelled;
        summary.message = "stopped by the user during evaluation";
    }
    summary.wallSeconds = seconds(Clock::now() - start);
    summary.imgPerSec = seconds(trainTime) > 0 ? double(imagesSeen) / seconds(trainTime) : 0.0;
    return summary;
}

void Trainer::setCheckpointPath(std::string path) { impl_->checkpointPath = std::move(path); }

CheckpointProgress readCheckpointProgress(const std::string& path) {
    if (!std::filesystem::is_regular_file(path)) throw DataError(path, "no checkpoint here (was the run started with checkpoints?)");
    torch::serialize::InputArchive a;
    CheckpointProgress p;
    try {
        a.load_from(path, torch::kCPU);
        if (readInt(a, "format") != kCheckpointFormat) throw DataError(path, "checkpoint format is not 1");
        p.epochs = int(readInt(a, "epochs_done"));
        p.step = readInt(a, "step");
        torch::Tensor text;
        a.read("config", text);
        p.configJson = tensorText(text);
    } catch (const DataError&) {
        throw;
    } catch (const std::exception& e) {
        throw DataError(path, "is not a readable checkpoint: " + firstLine(e.what()));
    }
    return p;
}

std::pair<int, int64_t> Trainer::resumeFrom(const std::string& path) {
    Impl& d = *impl_;
    const CheckpointProgress p = readCheckpointProgress(path);
    if (p.configJson != configToJson(d.cfg))
        throw DataError(path, "was written for a different configuration than this run's");
    if (p.epochs < 0 || p.epochs > d.cfg.train.epochs)
        throw DataError(path, "holds epoch " + std::to_string(p.epochs) + " of a " + std::to_string(d.cfg.train.epochs) +
                                  "-epoch run");
    if (p.epochs == d.cfg.train.epochs) throw DataError(path, "belongs to a run that already finished");
    d.resumePath = path;
    return {p.epochs, p.step};
}

BenchResult Trainer::benchmark(int warmupSteps, int steps, int profileSteps, const std::string& tracePath) {
    Impl& d = *impl_;
    prepare();
    d.makePipeline();
    Rng sampleRng(Rng::mix(d.cfg.train.seed, 0xBE7C));
    Rng augmentRng(Rng::mix(d.cfg.train.seed, 0xA06));
    const int64_t batch = std::min<int64_t>(d.cfg.train.batchSize, d.info.trainSize);
    const int64_t n = d.info.trainSize;
    d.model->train();
    std::function<void()> oneStep, finish;
    int64_t images = 0;
    std::unique_ptr<torch::optim::Optimizer> optimizer;
    torch::Tensor last;  // outlives the step closures that write it
    if (d.pipe) {
        // Whole epochs of the device pipeline; steps are queued, the final drain waits for them.
        int64_t s = d.info.stepsPerEpoch;
        oneStep = [&, s]() mutable {
            if (s == d.info.stepsPerEpoch) {
                d.pipe->beginEpoch(shuffledOrder(n, sampleRng), augmentRng, d.cfg.train.lr, {});
                s = 0;
            }
            images += s + 1 == d.info.stepsPerEpoch ? n - s * batch : batch;
            d.pipe->step(s++);
        };
        finish = [&] { d.pipe->drain(); };
    } else {
        optimizer = d.makeOptimizer();
        const torch::Tensor weights;
        oneStep = [&, weights] {
            std::vector<int64_t> rows(static_cast<size_t>(batch));
            for (auto& r : rows) r = int64_t(sampleRng.below(uint64_t(n)));
            const auto idx = torch::tensor(rows, torch::kInt64).to(d.device);
            const auto y = d.trainY.index_select(0, idx);
            last = d.forwardBackward(idx, y, weights, *optimizer, augmentRng).first;
            last.item<double>();  // the host pipeline reads every loss (divergence check)
            optimizer->step();
            images += batch;
        };
        finish = [&] {
            if (d.device.is_cuda()) torch::cuda::synchronize();
        };
    }
    for (int i = 0; i < warmupSteps; ++i) oneStep();
    finish();
    images = 0;
    const auto t0 = Clock::now();
    for (int i = 0; i < steps; ++i) oneStep();
    finish();  // waits for queued device work
    const double secs = seconds(Clock::now() - t0);
    BenchResult r;
    r.steps = steps;
    r.batchSize = batch;
    r.seconds = secs;
    r.imgPerSec = secs > 0 ? double(images) / secs : 0.0;
    r.device = d.info.device;
    r.pipeline = d.pipe ? d.pipe->mode() : "host";
    r.threads = d.info.device == "cpu" ? torch::get_num_threads() : 0;
    if (profileSteps > 0) {
        Clock::duration wall{};
        const auto recorded = recordOps(
            [&] {
                const auto p0 = Clock::now();
                for (int i = 0; i < profileSteps; ++i) oneStep();
                finish();
                wall = Clock::now() - p0;
            },
            d.device.is_cuda(), tracePath);
        r.traceError = recorded.traceError;
        r.profile = summarizeProfile(recorded.events, profileSteps,
                                     std::chrono::duration_cast<std::chrono::nanoseconds>(wall).count());
    }
    return r;
}

void Trainer::releaseData() {
    Impl& d = *impl_;
    d.pipe.reset();
    d.trainX = d.testX = d.trainY = d.testY = torch::Tensor();
    d.full.reset();
}

void Trainer::saveModel(const std::string& path) const {
    if (!impl_->model) throw TrainingError("no model to save: the run was never prepared");
    writeFileAtomically(path, [&](const std::string& tmp) {
        torch::serialize::OutputArchive archive;
        impl_->model->save(archive);
        archive.save_to(tmp);
    });
}

std::vector<NamedTensorBytes> Trainer::stateDict() const {
    return impl_->model ? moduleStateBytes(*impl_->model) : std::vector<NamedTensorBytes>{};
}

DecisionGrid Trainer::predictGrid(double x0, double x1, double y0, double y1, int nx, int ny) const {
    const Impl& d = *impl_;
    if (d.image || !d.model) throw TrainingError("decision grids need a prepared run on 2-D feature data");
    DecisionGrid g{nx, ny, x0, x1, y0, y1, {}, {}};
    std::vector<float> pts;
    pts.reserve(size_t(nx) * size_t(ny) * 2);
    for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
            pts.push_back(float(x0 + (x1 - x0) * i / std::max(1, nx - 1)));
            pts.push_back(float(y0 + (y1 - y0) * j / std::max(1, ny - 1)));
        }
    torch::NoGradGuard noGrad;
    const bool wasTraining = d.model->is_training();
    d.model->eval();
    const auto x = torch::from_blob(pts.data(), {int64_t(nx) * ny, 2}, torch::kFloat32).to(d.device);
    const auto pred = d.model->forward(x).argmax(1).to(torch::kCPU, torch::kInt32).contiguous();
    g.classes.assign(pred.data_ptr<int>(), pred.data_ptr<int>() + pred.numel());
    if (d.trainX.defined()) {
        const auto z = d.model->forward(d.trainX).to(torch::kCPU, torch::kFloat32).contiguous();
        LogitTable t;
        t.rows = z.size(0);
        t.classes = int(z.size(1));
        t.values.assign(z.data_ptr<float>(), z.data_ptr<float>() + z.numel());
        g.pointMargins = exampleMargins(t, d.trainLabels);
    }
    if (wasTraining) d.model->train();
    return g;
}

std::vector<float> Trainer::trainPoints() const {
    if (impl_->image || !impl_->trainX.defined()) return {};
    const auto c = impl_->trainX.to(torch::kCPU).contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

std::vector<int64_t> Trainer::trainLabels() const { return impl_->trainLabels; }

} // namespace imblab
