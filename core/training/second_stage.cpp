// Decoupled second stages; see second_stage.h.
#include "training/second_stage.h"

#include "data/text_dataset.h"

#include "data/dataset_loader.h"
#include "data/imbalance_profile.h"
#include "data/split_fingerprint.h"
#include "errors.h"
#include "io/model_export.h"
#include "losses/cross_entropy.h"
#include "losses/second_stage_losses.h"
#include "models/classifier.h"
#include "training/evaluation.h"
#include "training/lws_head.h"
#include "training/metrics.h"
#include "training/rebalancing.h"
#include "training/sampler.h"
#include "training/second_stage_source.h"
#include "training/split_tensor.h"
#include "training/tau_norm.h"
#include "util/blas_library.h"
#include "util/rng.h"

#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include <chrono>
#include <algorithm>
#include <cmath>
#include <tuple>

namespace imblab {

namespace {

constexpr int64_t kFeatureBatch = 256;
constexpr double kWbBeta = 0.9999;
constexpr double kWbMaxNormThresh = 0.1;
// The head's steps are products of a batch of feature rows with a [k, d] head (128×64 by 64×10 on
// ResNet-32): too small for threads to help, and one thread makes the stage's numbers the same on
// every machine. Many threads per run are also the suspect where three GPU runs side by side, 16
// threads each, spent 40–60 s on ten such epochs (docs/perf/h200-2026-12-04; not yet confirmed).
constexpr int kHeadThreads = 1;

// Sets the CPU threads for a scope and puts the previous count back after it.
class CpuThreadsScope {
public:
    explicit CpuThreadsScope(int n) : before_(torch::get_num_threads()) { torch::set_num_threads(n); }
    ~CpuThreadsScope() { torch::set_num_threads(before_); }
    CpuThreadsScope(const CpuThreadsScope&) = delete;
    CpuThreadsScope& operator=(const CpuThreadsScope&) = delete;

private:
    int before_;
};

bool isKnownKind(const std::string& k) {
    return k == "crt" || k == "lws" || k == "tau-norm" || k == "mislas" || k == "wb";
}

// Class-balanced sampling: example i drawn ∝ 1/n_{y_i}, so every class equally often.
std::vector<double> inverseCounts(const std::vector<int64_t>& counts) {
    std::vector<double> inverse;
    for (int64_t n : counts) inverse.push_back(n > 0 ? 1.0 / double(n) : 0.0);
    return inverse;
}

// MiSLAS's "shift learning" on BatchNorm: the running statistics re-estimated in training mode on
// an epoch of class-balanced batches, as a cumulative average (momentum None), under no_grad.
void reestimateBatchNorm(Classifier& model, const torch::Tensor& x, const std::vector<int64_t>& labels,
                         const std::vector<int64_t>& counts, const Normalization* norm, int64_t batch, Rng& rng) {
    std::vector<std::pair<torch::nn::BatchNorm2dImpl*, c10::optional<double>>> bns;
    for (const auto& m : model.modules(false))
        if (auto* bn = dynamic_cast<torch::nn::BatchNorm2dImpl*>(m.get()); bn && bn->options.track_running_stats()) {
            bns.push_back({bn, bn->options.momentum()});
            bn->reset_running_stats();
            bn->options.momentum(c10::nullopt);
        }
    if (bns.empty()) return;
    torch::NoGradGuard noGrad;
    model.train();
    const torch::Device device = model.parameters().front().device();
    const auto order = torch::tensor(resampledOrder(labels, inverseCounts(counts), rng), torch::kInt64).to(x.device());
    const int64_t n = x.size(0);
    for (int64_t start = 0; start + 1 < n; start += batch) {  // no batch of one (BatchNorm)
        // Streamed data (training/data_residency.h) sits in host memory: each batch goes to the model.
        auto xb = x.index_select(0, order.slice(0, start, std::min(n, start + batch))).to(device, device.is_cuda());
        if (norm) xb = normalizeBatch(xb, *norm);
        model.features(xb);
    }
    for (auto& [bn, momentum] : bns) bn->options.momentum(momentum);
}

void refuseCosineHead(const ExperimentConfig& first, const std::string& source) {
    if (first.loss.usesNormalizedHead())
        throw DataError(source, "was trained with " + first.loss.type + ", whose cosine head has unit class vectors: the "
                                "second stages re-train or rescale a linear head (train the first stage with ce, la, bsm, "
                                "vs or focal)");
}

} // namespace

void validateSecondStage(const SecondStageConfig& c) {
    if (!isKnownKind(c.kind))
        throw ConfigError("--stage2", "unknown second stage '" + c.kind + "' (expected crt, lws, tau-norm, mislas or wb)");
    if (c.epochs < 1 || c.epochs > 100000) throw ConfigError("--epochs", "must be between 1 and 100000, got " + std::to_string(c.epochs));
    if (!(c.lr >= 0 && std::isfinite(c.lr))) throw ConfigError("--lr", "must be a positive number (0: the stage's paper value)");
    if (!std::isfinite(c.weightDecay)) throw ConfigError("--weight-decay", "must be a finite number");
    if (c.batchSize < 2) throw ConfigError("--batch-size", "must be at least 2");
    if (!(c.tau >= 0 && std::isfinite(c.tau)))
        throw ConfigError("--tau", "τ-normalisation needs a finite τ ≥ 0, got " + std::to_string(c.tau));
    auto epsilonOk = [](double e) { return e == SecondStageConfig::kPaperValue || (e >= 0 && e < 1); };
    if (!epsilonOk(c.smoothHead)) throw ConfigError("--smooth-head", "ε must lie in [0, 1)");
    if (!epsilonOk(c.smoothTail)) throw ConfigError("--smooth-tail", "ε must lie in [0, 1)");
}

MislasValues mislasPaperValues(int classes, double rho) {
    // Columns ρ = 10, 50, 100, split at their geometric means √500 and √5000.
    const int column = rho < std::sqrt(500.0) ? 0 : rho < std::sqrt(5000.0) ? 1 : 2;
    const char* rhoName[] = {"10", "50", "100"};
    if (classes < 32) {
        const double head[] = {0.1, 0.2, 0.3}, lrFactor[] = {0.2, 0.2, 0.5};
        return {head[column], 0.0, lrFactor[column], std::string("CIFAR-10-LT ρ = ") + rhoName[column]};
    }
    const double head[] = {0.2, 0.3, 0.4}, tail[] = {0.0, 0.0, 0.1}, lrFactor[] = {0.1, 0.1, 0.2};
    return {head[column], tail[column], lrFactor[column], std::string("CIFAR-100-LT ρ = ") + rhoName[column]};
}

double secondStageLr(const SecondStageConfig& c) { return c.lr > 0 ? c.lr : c.kind == "wb" ? 0.01 : 0.1; }

double secondStageWeightDecay(const SecondStageConfig& c) {
    if (c.weightDecay >= 0) return c.weightDecay;
    // WB: their stage-1 value, 5e-3. Their stage-2 0.1 shrinks our small networks' heads until
    // classes stop being predicted (ERM seed 0 of fmnist-lt-quick: 43.3 % balanced error at 0.1,
    // 23.9 % at 5e-3, 24.0 % at 5e-4; docs/methods.md).
    return c.kind == "wb" ? 5e-3 : c.kind == "mislas" ? 2e-4 : 5e-4;
}

SecondStageConfig secondStageConfigOf(const TrainConfig& t) {
    SecondStageConfig sc;
    sc.kind = t.stage2;
    sc.epochs = t.stage2Epochs;
    sc.lr = t.stage2Lr;
    sc.seed = t.seed;
    return sc;
}

std::pair<torch::Tensor, torch::Tensor> scaledHead(const torch::Tensor& weight, const torch::Tensor& bias,
                                                   const torch::Tensor& scales) {
    const auto s = scales.detach();
    return {weight.detach() * s.view({-1, 1}), bias.detach() * s};
}

struct SecondStage::Impl {
    SecondStageSource src;
    SecondStageConfig cfg;
    RunInfo info;
    torch::Tensor trainF, testF;     // frozen features [N, d], CPU float32
    torch::Tensor weight, bias;      // the head the stage ends with [k, d], [k], CPU
    std::vector<torch::Tensor> savedBuffers;  // mislas: the model's buffers before re-estimation
    double headLrFactor = 1;
    double featureSeconds = 0;       // taking the features once (the network's forward passes)

    // mislas: ε and the head's LR factor of the official configuration nearest to this data.
    void takePaperValues() {
        if (cfg.kind != "mislas") return;
        const auto [lo, hi] = std::minmax_element(info.classCounts.begin(), info.classCounts.end());
        const double rho = info.classCounts.empty() || *lo <= 0 ? 1.0 : double(*hi) / double(*lo);
        const MislasValues paper = mislasPaperValues(int(info.classCounts.size()), rho);
        if (cfg.smoothHead == SecondStageConfig::kPaperValue) cfg.smoothHead = paper.smoothHead;
        if (cfg.smoothTail == SecondStageConfig::kPaperValue) cfg.smoothTail = paper.smoothTail;
        headLrFactor = paper.headLrFactor;
        spdlog::info("mislas: ε {} → {}, head LR × {} (their {} configuration; ρ = {:.3g}, {} classes)", cfg.smoothHead,
                     cfg.smoothTail, headLrFactor, paper.after, rho, info.classCounts.size());
    }

    LogitTable logitsOf(const torch::Tensor& f, const torch::Tensor& w, const torch::Tensor& b) const {
        torch::NoGradGuard noGrad;
        const auto z = (b.defined() ? torch::addmm(b, f, w.t()) : f.matmul(w.t())).contiguous();
        LogitTable t;
        t.rows = z.size(0);
        t.classes = int(z.size(1));
        t.values.assign(z.data_ptr<float>(), z.data_ptr<float>() + z.numel());
        return t;
    }

    // Everything both constructors share once `src` is set: the features and the head.
    void takeFeatures() {
        info = src.info;
        info.device = "cpu";
        info.cpuThreads = kHeadThreads;  // the features take the run's threads; the head trains on these
        info.blasLibrary = blasLibrary();
        info.pipeline = "features";
        // The head trains in fp32 on the CPU, once per epoch evaluated: none of the first run's
        // speed settings or short-run evaluation plan apply.
        info.precision = "fp32";
        info.channelsLast = false;
        info.speedNote.clear();
        info.evaluationsPerEpoch = 1;
        info.midEpochTestRows = 0;
        takePaperValues();
        const Normalization* norm = src.norm ? &*src.norm : nullptr;
        Classifier& model = *src.model;
        if (cfg.kind == "mislas") {
            torch::NoGradGuard noGrad;
            for (const auto& b : model.buffers()) savedBuffers.push_back(b.clone());
            Rng rng(Rng::mix(cfg.seed, 0xB4));
            reestimateBatchNorm(model, src.trainX, src.trainLabels, info.classCounts, norm, cfg.batchSize, rng);
        }
        const auto started = std::chrono::steady_clock::now();
        trainF = featuresOf(model, src.trainX, kFeatureBatch, norm);
        testF = featuresOf(model, src.testX, kFeatureBatch, norm);
        featureSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const auto params = model.named_parameters();
        weight = params["linear.weight"].detach().to(torch::kCPU, torch::kFloat32).clone();
        bias = params["linear.bias"].detach().to(torch::kCPU, torch::kFloat32).clone();
    }
};

SecondStage::SecondStage(const TrainedModel& first, const std::string& source, SecondStageConfig cfg,
                         std::shared_ptr<const Dataset> data)
    : impl_(std::make_unique<Impl>()) {
    validateSecondStage(cfg);
    Impl& d = *impl_;
    d.cfg = std::move(cfg);
    const ExperimentConfig& fc = first.config;
    refuseCosineHead(fc, source);  // before the data is loaded
    ImbalancedData imb = makeImbalanced(data ? *data : loadDataset(fc.dataset), fc.dataset);
    if (!first.info.splitFingerprint.empty() && splitFingerprint(fc.dataset, imb) != first.info.splitFingerprint)
        throw DataError(source, "its data has changed since the run (the split fingerprint differs): the second stage "
                                "must see the examples the first saw");
    const Dataset& ds = imb.data;
    if (ds.numClasses() != int(first.info.classNames.size()))
        throw DataError(source, "the run has " + std::to_string(first.info.classNames.size()) + " classes, its data now " +
                                    std::to_string(ds.numClasses()));
    SecondStageSource& s = d.src;
    s.config = fc;
    s.info = first.info;
    s.info.classCounts = imb.classCounts;
    s.info.minority = minorityClasses(imb.classCounts);
    // A text run's vocabulary is the kept subset's: the same subset (fingerprint above) gives it again.
    const Vocabulary vocab = ds.isText() ? buildVocabulary(ds, vocabularyOptions(fc.dataset)) : Vocabulary{};
    if (ds.isText() && !first.info.vocabulary.empty() && vocab.words != first.info.vocabulary)
        throw DataError(source, "its vocabulary differs from the one its data gives now");
    const ModelInput input = datasetModelInput(fc.train.model, ds, &vocab);
    s.model = makeSeededModel(fc.train.seed, fc.train.model, input, ds.numClasses(), false, modelSizes(fc.train));
    loadStateBytes(*s.model, first.stateDict, source);
    const torch::Device cpu(torch::kCPU);
    s.trainX = splitTensor(ds, ds.train, input, cpu, &vocab);
    s.testX = splitTensor(ds, ds.test, input, cpu, &vocab);
    s.trainLabels = ds.train.labels;
    s.testLabels = ds.test.labels;
    if (ds.isImage()) s.norm = Normalization::fromMeanStd(ds.mean, ds.std, cpu);
    d.takeFeatures();
}

SecondStage::SecondStage(const SecondStageSource& source, SecondStageConfig cfg) : impl_(std::make_unique<Impl>()) {
    validateSecondStage(cfg);
    impl_->cfg = std::move(cfg);
    refuseCosineHead(source.config, "this run");
    impl_->src = source;
    impl_->takeFeatures();
}

SecondStage::~SecondStage() = default;

const RunInfo& SecondStage::info() const { return impl_->info; }
const SecondStageConfig& SecondStage::config() const { return impl_->cfg; }
double SecondStage::headLrFactor() const { return impl_->headLrFactor; }

RunSummary SecondStage::run(TrainingObserver& observer, RunControl& control, double elapsedBefore) {
    Impl& d = *impl_;
    const std::string& kind = d.cfg.kind;
    const auto start = std::chrono::steady_clock::now();
    const CpuThreadsScope threads(kHeadThreads);
    const int k = int(d.info.classNames.size());
    const int firstEpochs = d.src.config.train.epochs;
    const std::vector<double> logPrior = logPriors(d.info.classCounts);
    RunSummary summary;
    summary.device = "cpu";
    summary.pipeline = "features";
    // Steps continue the first run's count, as its epochs do.
    const int64_t firstSteps = d.src.info.stepsPerEpoch * int64_t(firstEpochs);
    auto stageSeconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
    auto report = [&](int epoch, int64_t step, int64_t totalSteps, double lr, double loss) {
        MetricsReport r;
        // No img/s: the head trains on feature rows, not images (the displays leave a zero out).
        r.elapsedSeconds = elapsedBefore + stageSeconds();
        r.etaSeconds = step > 0 ? stageSeconds() / double(step) * double(totalSteps - step) : 0.0;
        r.epoch = epoch;
        r.step = firstSteps + step;
        r.totalSteps = firstSteps + totalSteps;
        r.epochProgress = double(epoch + 1);
        r.epochEnd = true;
        r.lr = lr;
        r.trainLoss = loss;
        const torch::Tensor noBias = kind == "tau-norm" ? torch::Tensor() : d.bias;
        fillEvaluation(r, {d.logitsOf(d.testF, d.weight, noBias), d.src.testLabels},
                       {d.logitsOf(d.trainF, d.weight, noBias), d.src.trainLabels}, d.info, logPrior);
        summary.recordEvaluation(r);
        observer.onReport(r);
    };

    if (kind == "tau-norm") {
        d.weight = tauNormalizedRows(d.weight, d.cfg.tau);
        d.bias = torch::zeros_like(d.bias);
        report(firstEpochs, 0, 0, 0, 0);
    } else {
        Rng rng(Rng::mix(d.cfg.seed, 0x5EC0));
        const auto frozenWeight = d.weight.clone(), frozenBias = d.bias.clone();  // the first stage's head
        torch::Tensor w, b, scale;
        if (kind == "crt") {
            torch::manual_seed(d.cfg.seed);
            w = torch::empty_like(d.weight);
            torch::nn::init::kaiming_normal_(w);  // the official _weights_init
            b = torch::zeros_like(d.bias);
        } else if (kind != "lws") {  // mislas, wb: the first stage's head, trained further
            w = frozenWeight.clone();
            b = frozenBias.clone();
        }
        if (kind == "lws" || kind == "mislas") scale = torch::ones({k}).requires_grad_(true);
        // One parameter group per LR factor: MiSLAS trains its head at a fraction of the scales' LR.
        const double lr0 = secondStageLr(d.cfg);
        std::vector<torch::optim::OptimizerParamGroup> groups;
        std::vector<double> lrFactors;
        const auto options = [&] {
            return std::make_unique<torch::optim::SGDOptions>(torch::optim::SGDOptions(lr0)
                                                                  .momentum(d.cfg.momentum)
                                                                  .weight_decay(secondStageWeightDecay(d.cfg)));
        };
        if (w.defined()) {
            w.requires_grad_(true);
            b.requires_grad_(true);
            groups.emplace_back(std::vector<torch::Tensor>{w, b}, options());
            lrFactors.push_back(d.headLrFactor);
        }
        if (scale.defined()) {
            groups.emplace_back(std::vector<torch::Tensor>{scale}, options());
            lrFactors.push_back(1.0);
        }
        torch::optim::SGD sgd(groups, *options());
        const bool balancedSampling = kind != "wb";  // wb draws instances; its loss re-weights
        const auto inverse = inverseCounts(d.info.classCounts);
        const auto epsilons = torch::tensor(labelAwareEpsilons(d.info.classCounts, d.cfg.smoothHead, d.cfg.smoothTail));
        const auto cbWeights = torch::tensor(classBalancedWeights(d.info.classCounts, kWbBeta));
        // MaxNorm's radius, from the first stage's row norms (their relative threshold).
        const auto firstNorms = frozenWeight.norm(2, 1);
        const double radius = firstNorms.min().item<double>() +
                              kWbMaxNormThresh * (firstNorms.max().item<double>() - firstNorms.min().item<double>());
        const auto y = torch::tensor(d.src.trainLabels, torch::kInt64);
        const int64_t n = d.trainF.size(0), batch = std::min<int64_t>(d.cfg.batchSize, n);
        const int64_t perEpoch = (n + batch - 1) / batch, total = perEpoch * d.cfg.epochs;
        int64_t step = 0;
        for (int e = 0; e < d.cfg.epochs; ++e) {
            const auto order = torch::tensor(balancedSampling ? resampledOrder(d.src.trainLabels, inverse, rng)
                                                              : shuffledOrder(n, rng), torch::kInt64);
            double lossSum = 0, lr = lr0;
            for (int64_t s = 0; s < perEpoch; ++s, ++step) {
                if (control.cancel) {
                    summary.status = RunStatus::Cancelled;
                    summary.message = "stopped by the user in second-stage epoch " + std::to_string(e + 1);
                    break;
                }
                lr = 0.5 * lr0 * (1 + std::cos(M_PI * double(step) / double(total)));  // cosine, as Kang et al.
                for (size_t g = 0; g < sgd.param_groups().size(); ++g) sgd.param_groups()[g].options().set_lr(lr * lrFactors[g]);
                const auto idx = order.slice(0, s * batch, std::min(n, (s + 1) * batch));
                const auto f = d.trainF.index_select(0, idx);
                const auto yb = y.index_select(0, idx);
                auto z = w.defined() ? torch::addmm(b, f, w.t()) : torch::addmm(frozenBias, f, frozenWeight.t());
                if (scale.defined()) z = z * scale;
                const auto loss = kind == "mislas" ? labelAwareSmoothingLoss(z, yb, epsilons)
                                  : kind == "wb"   ? classBalancedSoftmaxBce(z, yb, cbWeights)
                                                   : torch::nn::functional::cross_entropy(z, yb);
                sgd.zero_grad();
                loss.backward();
                sgd.step();
                lossSum += loss.item<double>();
            }
            if (summary.status == RunStatus::Cancelled) break;
            {
                torch::NoGradGuard noGrad;
                if (kind == "wb") {  // once per epoch, as their trainval.py; the bias is never bounded
                    const auto norms = w.norm(2, 1, true);
                    w.mul_(torch::where(norms > radius, radius / norms, torch::ones_like(norms)));
                }
                // s_j·(w_j·f + b_j) = (s_j·w_j)·f + s_j·b_j: the scales are folded into an ordinary head.
                if (scale.defined()) std::tie(d.weight, d.bias) = scaledHead(w.defined() ? w : frozenWeight, w.defined() ? b : frozenBias, scale);
                else {
                    d.weight = w.detach().clone();
                    d.bias = b.detach().clone();
                }
            }
            report(firstEpochs + e, step, total, lr, lossSum / double(perEpoch));
        }
    }
    if (summary.status != RunStatus::Finished) restoreStatistics();
    summary.tauNormTaus = tauGrid();
    summary.tauNormBalancedError = tauNormBalancedErrors(d.testF, d.weight, d.src.testLabels, summary.tauNormTaus);
    summary.wallSeconds = stageSeconds();
    // What a slow stage spends its time on (the head's steps run on the CPU whatever the device).
    spdlog::info("second stage: {} in {:.1f} s (the features took {:.1f} s before it; CPU threads: {})", kind,
                 summary.wallSeconds, d.featureSeconds, torch::get_num_threads());
    return summary;
}

void SecondStage::restoreStatistics() {
    Impl& d = *impl_;
    if (d.savedBuffers.empty()) return;
    torch::NoGradGuard noGrad;
    const auto buffers = d.src.model->buffers();
    for (size_t i = 0; i < buffers.size() && i < d.savedBuffers.size(); ++i) buffers[i].copy_(d.savedBuffers[i]);
}

void SecondStage::writeHeadInto(torch::nn::Module& model) const {
    torch::NoGradGuard noGrad;
    auto params = model.named_parameters();
    params["linear.weight"].copy_(impl_->weight);
    params["linear.bias"].copy_(impl_->bias);
}

TrainedModel SecondStage::trainedModel() const {
    writeHeadInto(*impl_->src.model);
    return trainedModelOf(*impl_->src.model, impl_->src.config, impl_->info);
}

void continueWithSecondStage(const SecondStageSource& source, RunSummary& summary, TrainingObserver& observer,
                             RunControl& control, double elapsedBefore) {
    const SecondStageConfig sc = secondStageConfigOf(source.config.train);
    spdlog::info("second stage: {} on the frozen features{}", sc.kind,
                 sc.kind == "tau-norm" ? std::string() : ", " + std::to_string(sc.epochs) + " epochs");
    SecondStage stage(source, sc);
    const RunSummary second = stage.run(observer, control, elapsedBefore);
    if (second.status != RunStatus::Finished) {
        summary.status = second.status;
        summary.message = second.message;
        return;
    }
    stage.writeHeadInto(*source.model);
    summary.finalReport = second.finalReport;
    summary.epochsCompleted = second.epochsCompleted;
    if (second.bestBalancedError < summary.bestBalancedError) {
        summary.bestEpoch = second.bestEpoch;
        summary.bestBalancedError = second.bestBalancedError;
    }
    summary.tauNormTaus = second.tauNormTaus;
    summary.tauNormBalancedError = second.tauNormBalancedError;
}

} // namespace imblab
