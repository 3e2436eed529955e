// Decoupled second stages; see second_stage.h.
#include "training/second_stage.h"

#include "data/dataset_loader.h"
#include "data/imbalance_profile.h"
#include "data/split_fingerprint.h"
#include "errors.h"
#include "io/model_export.h"
#include "losses/cross_entropy.h"
#include "models/classifier.h"
#include "training/evaluation.h"
#include "training/lws_head.h"
#include "training/max_norm.h"
#include "training/metrics.h"
#include "training/sampler.h"
#include "training/split_tensor.h"
#include "training/tau_norm.h"
#include "util/rng.h"

#include <torch/torch.h>

#include <chrono>
#include <tuple>
#include <cmath>

namespace imblab {

void validateSecondStage(const SecondStageConfig& c) {
    if (c.kind != "crt" && c.kind != "lws" && c.kind != "tau-norm")
        throw ConfigError("--stage2", "unknown second stage '" + c.kind + "' (expected crt, lws or tau-norm)");
    if (c.epochs < 1 || c.epochs > 100000) throw ConfigError("--epochs", "must be between 1 and 100000, got " + std::to_string(c.epochs));
    if (!(c.lr > 0 && std::isfinite(c.lr))) throw ConfigError("--lr", "must be a positive number");
    if (c.batchSize < 1) throw ConfigError("--batch-size", "must be at least 1");
    if (!(c.tau >= 0 && std::isfinite(c.tau)))
        throw ConfigError("--tau", "τ-normalisation needs a finite τ ≥ 0, got " + std::to_string(c.tau));
}

std::pair<torch::Tensor, torch::Tensor> scaledHead(const torch::Tensor& weight, const torch::Tensor& bias,
                                                   const torch::Tensor& scales) {
    const auto s = scales.detach();
    return {weight.detach() * s.view({-1, 1}), bias.detach() * s};
}

struct SecondStage::Impl {
    TrainedModel first;
    SecondStageConfig cfg;
    RunInfo info;
    std::shared_ptr<Classifier> model;
    torch::Tensor trainF, testF;  // frozen features [N, d], CPU float32
    std::vector<int64_t> trainLabels, testLabels;
    torch::Tensor weight, bias;   // the head the stage ends with [k, d], [k]

    LogitTable logitsOf(const torch::Tensor& f, const torch::Tensor& w, const torch::Tensor& b) const {
        torch::NoGradGuard noGrad;
        const auto z = (b.defined() ? torch::addmm(b, f, w.t()) : f.matmul(w.t())).contiguous();
        LogitTable t;
        t.rows = z.size(0);
        t.classes = int(z.size(1));
        t.values.assign(z.data_ptr<float>(), z.data_ptr<float>() + z.numel());
        return t;
    }
};

SecondStage::SecondStage(const TrainedModel& first, const std::string& source, SecondStageConfig cfg,
                         std::shared_ptr<const Dataset> data)
    : impl_(std::make_unique<Impl>()) {
    validateSecondStage(cfg);
    Impl& d = *impl_;
    d.first = first;
    d.cfg = std::move(cfg);
    const ExperimentConfig& fc = first.config;
    if (fc.loss.usesNormalizedHead())
        throw DataError(source, "was trained with " + fc.loss.type + ", whose cosine head has unit class vectors: the "
                                "second stages re-train or rescale a linear head (train the first stage with ce, la, bsm, vs or focal)");
    ImbalancedData imb = makeImbalanced(data ? *data : loadDataset(fc.dataset), fc.dataset);
    if (!first.info.splitFingerprint.empty() && splitFingerprint(fc.dataset, imb) != first.info.splitFingerprint)
        throw DataError(source, "its data has changed since the run (the split fingerprint differs): the second stage "
                                "must see the examples the first saw");
    const Dataset& ds = imb.data;
    if (ds.numClasses() != int(first.info.classNames.size()))
        throw DataError(source, "the run has " + std::to_string(first.info.classNames.size()) + " classes, its data now " +
                                    std::to_string(ds.numClasses()));
    d.info = first.info;
    d.info.classCounts = imb.classCounts;
    d.info.minority = minorityClasses(imb.classCounts);
    d.info.device = "cpu";
    d.info.pipeline = "features";
    const ModelInput input = modelInputFor(fc.train.model, ds.channels, ds.height, ds.width, ds.featureDim);
    d.model = makeSeededModel(fc.train.seed, fc.train.model, input, ds.numClasses(), false, fc.train.mlpHidden);
    loadStateBytes(*d.model, first.stateDict, source);
    const Normalization norm = Normalization::fromMeanStd(ds.mean, ds.std, torch::kCPU);
    const torch::Device cpu(torch::kCPU);
    d.trainF = featuresOf(*d.model, splitTensor(ds, ds.train, input, cpu), 256, ds.isImage() ? &norm : nullptr);
    d.testF = featuresOf(*d.model, splitTensor(ds, ds.test, input, cpu), 256, ds.isImage() ? &norm : nullptr);
    d.trainLabels = ds.train.labels;
    d.testLabels = ds.test.labels;
    const auto params = d.model->named_parameters();
    d.weight = params["linear.weight"].detach().clone();
    d.bias = params["linear.bias"].detach().clone();
}

SecondStage::~SecondStage() = default;

const RunInfo& SecondStage::info() const { return impl_->info; }

RunSummary SecondStage::run(TrainingObserver& observer, RunControl& control) {
    Impl& d = *impl_;
    const auto start = std::chrono::steady_clock::now();
    const int k = int(d.info.classNames.size());
    const int firstEpochs = d.first.config.train.epochs;
    const std::vector<double> logPrior = logPriors(d.info.classCounts);
    RunSummary summary;
    summary.device = "cpu";
    summary.pipeline = "features";
    auto report = [&](int epoch, int64_t step, int64_t totalSteps, double lr, double loss) {
        MetricsReport r;
        r.epoch = epoch;
        r.step = step;
        r.totalSteps = totalSteps;
        r.epochProgress = double(epoch + 1);
        r.epochEnd = true;
        r.lr = lr;
        r.trainLoss = loss;
        const torch::Tensor noBias = d.cfg.kind == "tau-norm" ? torch::Tensor() : d.bias;
        fillEvaluation(r, {d.logitsOf(d.testF, d.weight, noBias), d.testLabels},
                       {d.logitsOf(d.trainF, d.weight, noBias), d.trainLabels}, d.info, logPrior);
        summary.recordEvaluation(r);
        observer.onReport(r);
    };

    if (d.cfg.kind == "tau-norm") {
        d.weight = tauNormalizedRows(d.weight, d.cfg.tau);
        d.bias = torch::zeros_like(d.bias);
        report(firstEpochs, 0, 0, 0, 0);
    } else {
        // Class-balanced sampling: example i drawn ∝ 1/n_{y_i}, so every class equally often.
        std::vector<double> inverse;
        for (int64_t n : d.info.classCounts) inverse.push_back(n > 0 ? 1.0 / double(n) : 0.0);
        Rng rng(Rng::mix(d.cfg.seed, 0x5EC0));
        torch::Tensor w, b, scale;
        if (d.cfg.kind == "crt") {
            torch::manual_seed(d.cfg.seed);
            w = torch::empty_like(d.weight);
            torch::nn::init::kaiming_normal_(w);  // the official _weights_init
            b = torch::zeros_like(d.bias);
            w.requires_grad_(true);
            b.requires_grad_(true);
        } else {
            scale = torch::ones({k}).requires_grad_(true);
        }
        const auto frozenWeight = d.weight.clone(), frozenBias = d.bias.clone();  // LWS: the first stage's head
        std::vector<torch::Tensor> trained = d.cfg.kind == "crt" ? std::vector<torch::Tensor>{w, b} : std::vector<torch::Tensor>{scale};
        torch::optim::SGD sgd(trained, torch::optim::SGDOptions(d.cfg.lr).momentum(d.cfg.momentum).weight_decay(d.cfg.weightDecay));
        const int64_t n = d.trainF.size(0), batch = std::min<int64_t>(d.cfg.batchSize, n);
        const int64_t perEpoch = (n + batch - 1) / batch, total = perEpoch * d.cfg.epochs;
        int64_t step = 0;
        for (int e = 0; e < d.cfg.epochs; ++e) {
            const auto order = torch::tensor(resampledOrder(d.trainLabels, inverse, rng), torch::kInt64);
            const auto y = torch::tensor(d.trainLabels, torch::kInt64);
            double lossSum = 0, lr = d.cfg.lr;
            for (int64_t s = 0; s < perEpoch; ++s, ++step) {
                if (control.cancel) {
                    summary.status = RunStatus::Cancelled;
                    summary.message = "stopped by the user in second-stage epoch " + std::to_string(e + 1);
                    break;
                }
                lr = 0.5 * d.cfg.lr * (1 + std::cos(M_PI * double(step) / double(total)));  // cosine, as Kang et al.
                for (auto& g : sgd.param_groups()) g.options().set_lr(lr);
                const auto idx = order.slice(0, s * batch, std::min(n, (s + 1) * batch));
                const auto f = d.trainF.index_select(0, idx);
                const auto z = d.cfg.kind == "crt" ? torch::addmm(b, f, w.t())
                                                   : torch::addmm(frozenBias, f, frozenWeight.t()) * scale;
                const auto loss = torch::nn::functional::cross_entropy(z, y.index_select(0, idx));
                sgd.zero_grad();
                loss.backward();
                sgd.step();
                lossSum += loss.item<double>();
            }
            if (summary.status == RunStatus::Cancelled) break;
            {
                torch::NoGradGuard noGrad;
                if (d.cfg.kind == "crt") {
                    d.weight = w.detach().clone();
                    d.bias = b.detach().clone();
                } else {  // s_j·(w_j·f + b_j) = (s_j·w_j)·f + s_j·b_j: folded into an ordinary head
                    std::tie(d.weight, d.bias) = scaledHead(frozenWeight, frozenBias, scale);
                }
            }
            report(firstEpochs + e, step, total, lr, lossSum / double(perEpoch));
        }
    }
    summary.tauNormTaus = tauGrid();
    summary.tauNormBalancedError = tauNormBalancedErrors(d.testF, d.weight, d.testLabels, summary.tauNormTaus);
    summary.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

void SecondStage::writeHeadInto(torch::nn::Module& model) const {
    torch::NoGradGuard noGrad;
    auto params = model.named_parameters();
    params["linear.weight"].copy_(impl_->weight);
    params["linear.bias"].copy_(impl_->bias);
}

TrainedModel SecondStage::trainedModel() const {
    writeHeadInto(*impl_->model);
    return trainedModelOf(*impl_->model, impl_->first.config, impl_->info);
}

} // namespace imblab
