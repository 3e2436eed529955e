// The host pipeline; see host_pipeline.h.
#include "training/host_pipeline.h"

#include "distributed/communicator.h"
#include "errors.h"
#include "losses/loss.h"
#include "models/batch_norm.h"
#include "models/classifier.h"
#include "training/device_pipeline.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>

namespace imblab {

struct HostPipeline::Impl {
    Classifier& model;
    const Loss& loss;
    torch::Tensor trainX, trainY;
    Normalization norm;
    HostPipelineOptions o;
    torch::Device device;
    std::unique_ptr<torch::optim::Optimizer> optimizer;

    torch::Tensor order, weights;  // the epoch's visiting order and class weights (on the device)
    Rng* augmentRng = nullptr;
    int64_t stepsRun = 0;          // since the pipeline began
    StepTotals totals;

    Impl(Classifier& m, const Loss& l, torch::Tensor x, torch::Tensor y, Normalization n, HostPipelineOptions opt)
        : model(m), loss(l), trainX(std::move(x)), trainY(std::move(y)), norm(std::move(n)), o(std::move(opt)),
          device(trainX.device()) {
        if (o.optimizer == "adam")
            optimizer = std::make_unique<torch::optim::Adam>(model.parameters(),
                                                             torch::optim::AdamOptions(o.lr).weight_decay(o.weightDecay));
        else
            optimizer = std::make_unique<torch::optim::SGD>(
                model.parameters(), torch::optim::SGDOptions(o.lr).momentum(o.momentum).weight_decay(o.weightDecay));
        resetTotals();
    }

    void resetTotals() {
        const int64_t diverged = totals.divergedAtStep;
        const double divergedLoss = totals.divergedLoss;
        totals = StepTotals{};
        totals.seen.assign(size_t(o.classes), 0);
        totals.wrong.assign(size_t(o.classes), 0);
        totals.divergedAtStep = diverged;  // the latch outlives a drain, as the device pipeline's
        totals.divergedLoss = divergedLoss;
    }

    torch::Tensor inputs(const torch::Tensor& rows) const {
        auto x = o.image ? normalizeBatch(rows, norm) : rows;
        return o.image && o.channelsLast ? x.contiguous(torch::MemoryFormat::ChannelsLast) : x;
    }

    torch::Tensor logits(const torch::Tensor& x) {
        AutocastScope autocast(device, o.bf16);
        return model.forward(x).to(torch::kFloat32);
    }
};

HostPipeline::HostPipeline(Classifier& model, const Loss& loss, torch::Tensor trainX, torch::Tensor trainY,
                           Normalization norm, HostPipelineOptions options)
    : impl_(std::make_unique<Impl>(model, loss, std::move(trainX), std::move(trainY), std::move(norm), std::move(options))) {}

HostPipeline::~HostPipeline() = default;

void HostPipeline::beginEpoch(const std::vector<int64_t>& order, Rng& augmentRng, double lr,
                              const std::vector<double>& weights) {
    Impl& d = *impl_;
    if (int64_t(order.size()) != d.trainX.size(0)) throw TrainingError("epoch order has the wrong length");
    setLr(lr);
    setClassWeights(weights);
    d.order = torch::tensor(order, torch::kInt64).to(d.device);
    d.augmentRng = &augmentRng;
}

void HostPipeline::setLr(double lr) {
    for (auto& group : impl_->optimizer->param_groups()) group.options().set_lr(lr);
}

void HostPipeline::setClassWeights(const std::vector<double>& weights) {
    impl_->weights = weights.empty() ? torch::Tensor()
                                     : torch::tensor(weights, torch::kFloat64).to(impl_->device, torch::kFloat32);
}

namespace {

// Sums the group's gradients, losses and per-class counts in one allreduce of a flat buffer:
// [every defined gradient, loss, seen per class, wrong per class]. Returns the summed loss.
double sumOverGroup(Communicator& group, Classifier& model, double loss, std::vector<int64_t>& seen,
                    std::vector<int64_t>& wrong) {
    std::vector<torch::Tensor> grads, parts;
    for (auto& p : model.parameters())
        if (p.grad().defined()) grads.push_back(p.grad());
    for (const auto& g : grads) parts.push_back(g.reshape(-1).to(torch::kFloat32));
    const auto device = grads.empty() ? torch::Device(torch::kCPU) : grads.front().device();
    std::vector<float> extras{float(loss)};
    for (int64_t v : seen) extras.push_back(float(v));  // ≤ the batch size: exact in float
    for (int64_t v : wrong) extras.push_back(float(v));
    parts.push_back(torch::tensor(extras).to(device));
    auto flat = torch::cat(parts);
    group.allreduceSum(flat);
    int64_t at = 0;
    for (auto& g : grads) {
        g.copy_(flat.slice(0, at, at + g.numel()).view_as(g));
        at += g.numel();
    }
    const auto back = flat.slice(0, at).to(torch::kCPU);
    const float* e = back.data_ptr<float>();
    const size_t k = seen.size();
    for (size_t c = 0; c < k; ++c) {
        seen[c] = int64_t(std::lround(e[1 + c]));
        wrong[c] = int64_t(std::lround(e[1 + k + c]));
    }
    return double(e[0]);
}

} // namespace

bool HostPipeline::step(int64_t s) {
    Impl& d = *impl_;
    if (d.totals.divergedAtStep >= 0) return true;
    const int64_t n = d.trainX.size(0);
    const int64_t from = s * d.o.batch;
    const int64_t to = (s + 1 == d.o.stepsPerEpoch) ? n : from + d.o.batch;
    // This rank's rows of the global batch (all of them when alone).
    const int rank = d.o.group ? d.o.group->rank() : 0, world = d.o.group ? d.o.group->worldSize() : 1;
    const int64_t lo = from + (to - from) * rank / world, hi = from + (to - from) * (rank + 1) / world;
    const auto idx = d.order.slice(0, lo, hi);
    const auto y = d.trainY.index_select(0, idx);
    const auto rows = d.trainX.index_select(0, idx);
    auto x = d.o.image && d.o.augment
                 ? augmentBatchSlice(rows, to - from, lo - from, d.o.cropPad, d.o.flip, *d.augmentRng, d.norm)
                 : d.inputs(rows);
    if (d.o.image && d.o.channelsLast) x = x.contiguous(torch::MemoryFormat::ChannelsLast);  // augmented rows
    d.optimizer->zero_grad();
    const SyncBatchNormScope syncBn(d.o.syncBn ? d.o.group : nullptr);
    const auto z = d.logits(x);
    auto lossValue = d.loss(z, y, d.weights);
    if (d.o.group) {  // this rank's share of the global batch's mean
        const auto yBatch = d.trainY.index_select(0, d.order.slice(0, from, to));
        lossValue = lossValue * (d.loss.batchDenominator(y, d.weights) / d.loss.batchDenominator(yBatch, d.weights));
    }
    lossValue.backward();
    std::vector<int64_t> seen(size_t(d.o.classes), 0), wrong(size_t(d.o.classes), 0);
    {
        const auto pred = z.argmax(1).to(torch::kCPU);
        const auto yc = y.to(torch::kCPU);
        const int64_t* pp = pred.data_ptr<int64_t>();
        const int64_t* yp = yc.data_ptr<int64_t>();
        for (int64_t i = 0; i < pred.numel(); ++i) {
            ++seen[size_t(yp[i])];
            wrong[size_t(yp[i])] += pp[i] != yp[i];
        }
    }
    double lv = lossValue.item<double>();
    if (d.o.group) {
        const auto t0 = std::chrono::steady_clock::now();
        lv = sumOverGroup(*d.o.group, d.model, lv, seen, wrong);
        d.totals.groupSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        ++d.totals.groupCalls;
    }
    if (!std::isfinite(lv)) {  // the step is not applied: the weights stay those of the last good step
        d.totals.divergedAtStep = d.stepsRun;
        d.totals.divergedLoss = lv;
        return true;
    }
    d.optimizer->step();
    ++d.stepsRun;
    ++d.totals.steps;
    d.totals.lossSum += lv;
    for (size_t c = 0; c < seen.size(); ++c) {
        d.totals.seen[c] += seen[c];
        d.totals.wrong[c] += wrong[c];
    }
    return false;
}

StepTotals HostPipeline::drain() {
    StepTotals t = impl_->totals;
    impl_->resetTotals();
    return t;
}

torch::Tensor HostPipeline::evaluate(const torch::Tensor& x, const std::atomic<bool>* cancel) {
    Impl& d = *impl_;
    torch::NoGradGuard noGrad;
    d.model.eval();
    std::vector<torch::Tensor> parts;
    const int64_t n = x.size(0);
    bool stopped = false;
    for (int64_t start = 0; start < n; start += d.o.evalBatch) {
        if (cancel && *cancel) {
            stopped = true;
            break;
        }
        parts.push_back(d.logits(d.inputs(x.slice(0, start, std::min(n, start + d.o.evalBatch)))));
    }
    d.model.train();
    if (stopped || parts.empty()) return {};
    return torch::cat(parts).to(torch::kCPU);
}

void HostPipeline::saveState(torch::serialize::OutputArchive& archive) const {
    torch::serialize::OutputArchive state;
    impl_->optimizer->save(state);
    archive.write("optimizer", state);
}

void HostPipeline::loadState(torch::serialize::InputArchive& archive) {
    torch::serialize::InputArchive state;
    archive.read("optimizer", state);
    impl_->optimizer->load(state);
}

void layOutChannelsLast(Classifier& model) {
    torch::NoGradGuard noGrad;
    for (auto& p : model.parameters())
        if (p.dim() == 4) p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
}

} // namespace imblab
