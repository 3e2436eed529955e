// The host pipeline; see host_pipeline.h.
#include "training/host_pipeline.h"

#include "distributed/communicator.h"
#include "errors.h"
#include "losses/loss.h"
#include "models/batch_norm.h"
#include "models/classifier.h"
#include "training/autocast_scope.h"
#include "training/image_stream.h"
#include "training/max_norm.h"
#include "training/mixing.h"
#include "training/sharpness.h"

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
    torch::Tensor headWeight;                  // MaxNorm: the classifier rows it bounds
    std::vector<torch::Tensor> tailGradients;  // ImbSAM: the tail loss's gradient at w, within a step
    // Streamed images: this epoch's plan (each step's rows of this rank, or of the whole batch when
    // mixing), its id in the stream (an evaluation in between replaces the stream's plan; the
    // step after it restarts this one), and the count of plans made so far.
    std::shared_ptr<const StreamPlan> epochPlan;
    int64_t epochPlanId = -1, plansMade = 0;

    Impl(Classifier& m, const Loss& l, torch::Tensor x, torch::Tensor y, Normalization n, HostPipelineOptions opt)
        : model(m), loss(l), trainX(std::move(x)), trainY(std::move(y)), norm(std::move(n)), o(std::move(opt)),
          device(model.parameters().front().device()) {
        if (o.optimizer == "adam")
            optimizer = std::make_unique<torch::optim::Adam>(model.parameters(),
                                                             torch::optim::AdamOptions(o.lr).weight_decay(o.weightDecay));
        else
            optimizer = std::make_unique<torch::optim::SGD>(
                model.parameters(), torch::optim::SGDOptions(o.lr).momentum(o.momentum).weight_decay(o.weightDecay));
        resetTotals();
        if (o.extras.maxNorm > 0) {
            headWeight = linearHeadWeight(model);
            if (!headWeight.defined()) throw TrainingError("MaxNorm needs a linear classifier head (this model's is a cosine head)");
        }
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
        // A stream normalises on the CPU itself (training/image_stream.h): its batches come as float.
        auto x = o.image && rows.scalar_type() == torch::kUInt8 ? normalizeBatch(rows, norm) : rows;
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
    if (d.o.stream) {
        // Every row's crop and flip from its own seed: one draw of the run's augmentation RNG per
        // epoch, mixed with the row's place in the epoch.
        const uint64_t epochSeed = augmentRng.next();
        const auto files = d.trainX.to(torch::kCPU).contiguous();
        const bool mixing = d.o.extras.mixupAlpha > 0 || d.o.extras.cutmixAlpha > 0;  // a rank needs the whole batch
        const int rank = d.o.group ? d.o.group->rank() : 0, world = d.o.group ? d.o.group->worldSize() : 1;
        d.epochPlan = trainingPlan(order, files.data_ptr<int64_t>(), d.o.batch, d.o.stepsPerEpoch, rank, world, mixing,
                                   epochSeed, d.o.augment);
        d.epochPlanId = d.plansMade++;
        d.o.stream->start(d.epochPlan, d.epochPlanId);
    }
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

// Sums gradients (undefined entries skipped) over the group in one flat allreduce.
void sumGradientsOverGroup(Communicator& group, std::vector<torch::Tensor>& grads) {
    std::vector<torch::Tensor> parts;
    for (const auto& g : grads)
        if (g.defined()) parts.push_back(g.reshape(-1).to(torch::kFloat32));
    if (parts.empty()) return;
    auto flat = torch::cat(parts);
    group.allreduceSum(flat);
    int64_t at = 0;
    for (auto& g : grads) {
        if (!g.defined()) continue;
        g.copy_(flat.slice(0, at, at + g.numel()).view_as(g));
        at += g.numel();
    }
}

} // namespace

namespace {

// Gradients of `params` (undefined where none), detached copies.
std::vector<torch::Tensor> gradientsOf(const std::vector<torch::Tensor>& params) {
    std::vector<torch::Tensor> g;
    for (const auto& p : params) g.push_back(p.grad().defined() ? p.grad().detach().clone() : torch::Tensor());
    return g;
}

// The rows of `y` whose class is marked in `classes`.
torch::Tensor rowsOfClasses(const torch::Tensor& y, const torch::Tensor& classes) {
    return classes.index_select(0, y).nonzero().view(-1);
}

} // namespace

bool HostPipeline::step(int64_t s) {
    Impl& d = *impl_;
    if (d.totals.divergedAtStep >= 0) return true;
    const StepExtras& ex = d.o.extras;
    const int64_t n = d.trainX.size(0);
    const int64_t from = s * d.o.batch;
    const int64_t to = (s + 1 == d.o.stepsPerEpoch) ? n : from + d.o.batch;
    // This rank's rows of the global batch (all of them when alone).
    const int rank = d.o.group ? d.o.group->rank() : 0, world = d.o.group ? d.o.group->worldSize() : 1;
    const int64_t lo = from + (to - from) * rank / world, hi = from + (to - from) * (rank + 1) / world;
    // A mixed row's partner may be another rank's: every rank then assembles and mixes the whole
    // global batch (the same draws everywhere) and keeps its own rows.
    const bool mixing = ex.mixupAlpha > 0 || (ex.cutmixAlpha > 0 && d.o.image);
    const int64_t aLo = mixing ? from : lo, aHi = mixing ? to : hi;
    const auto idx = d.order.slice(0, aLo, aHi);
    auto y = d.trainY.index_select(0, idx);
    torch::Tensor x;
    if (d.o.stream) {  // cut, flipped and prefetched by the stream's threads
        if (d.o.stream->planId() != d.epochPlanId || d.o.stream->nextBatch() != s) d.o.stream->start(d.epochPlan, d.epochPlanId, s);
        x = d.inputs(d.o.stream->take().to(d.device, d.device.is_cuda()));
    } else {
        // Images in host memory (training/data_residency.h) are gathered there and copied over.
        const auto rows = d.trainX.index_select(0, idx.to(d.trainX.device())).to(d.device, d.device.is_cuda());
        x = d.o.image && d.o.augment ? augmentBatchSlice(rows, to - from, aLo - from, d.o.cropPad, d.o.flip, *d.augmentRng, d.norm)
                                     : d.inputs(rows);
    }
    BatchMix mix;
    torch::Tensor yPartner, yGlobal = y, yPartnerGlobal;
    if (mixing) {
        mix = ex.cutmixAlpha > 0 ? drawCutMix(*d.augmentRng, to - from, x.size(2), x.size(3), ex.cutmixAlpha)
                                 : drawMixup(*d.augmentRng, to - from, ex.mixupAlpha);
        x = applyMix(x, mix);
        yPartner = yPartnerGlobal = partnerLabels(y, mix);
        if (d.o.group) {
            x = x.slice(0, lo - from, hi - from);
            y = y.slice(0, lo - from, hi - from);
            yPartner = yPartner.slice(0, lo - from, hi - from);
        }
    }
    if (d.o.image && d.o.channelsLast) x = x.contiguous(torch::MemoryFormat::ChannelsLast);  // augmented rows
    if (!d.o.group) yGlobal = y;
    else if (!mixing) yGlobal = d.trainY.index_select(0, d.order.slice(0, from, to));

    // This rank's loss on logits z over the rows `sel` of its batch (undefined: all of them): its
    // share of the global batch's mean, so that the group's summed gradients are the global
    // batch's (and, alone, the plain loss). Mixed rows: λ·L(z, y) + (1 − λ)·L(z, y_partner).
    auto lossOf = [&](const torch::Tensor& z, const torch::Tensor& sel) {
        auto part = [&](const torch::Tensor& labels, const torch::Tensor& labelsGlobal) {
            const auto zs = sel.defined() ? z.index_select(0, sel) : z;
            const auto ys = sel.defined() ? labels.index_select(0, sel) : labels;
            if (ys.numel() == 0) return (z.sum() * 0.0);  // keeps the graph: every rank runs the same backward
            auto v = d.loss(zs, ys, d.weights);
            if (d.o.group || sel.defined())
                v = v * (d.loss.batchDenominator(ys, d.weights) / d.loss.batchDenominator(labelsGlobal, d.weights));
            return v;
        };
        if (!mixing) return part(y, yGlobal);
        return part(y, yGlobal) * mix.lambda + part(yPartner, yPartnerGlobal) * (1 - mix.lambda);
    };

    const auto params = d.model.parameters();
    d.optimizer->zero_grad();
    const SyncBatchNormScope syncBn(d.o.syncBn ? d.o.group : nullptr);
    const auto z = d.logits(x);
    // ImbSAM splits the loss by class: the head part's gradient is taken at w, the tail part's at
    // w + ε with ε from the tail part alone.
    torch::Tensor tailClasses;
    torch::Tensor lossValue;
    if (ex.samRho > 0 && !ex.samTail.empty()) {
        const std::vector<int64_t> mask(ex.samTail.begin(), ex.samTail.end());
        tailClasses = torch::tensor(mask, torch::kInt64).to(d.device).to(torch::kBool);
        const auto tailLoss = lossOf(z, rowsOfClasses(y, tailClasses));
        const auto headLoss = lossOf(z, rowsOfClasses(y, tailClasses.logical_not()));
        tailLoss.backward({}, /*retain_graph=*/true);
        d.tailGradients = gradientsOf(params);  // summed over the group below, beside the head's
        d.optimizer->zero_grad();
        headLoss.backward();
        lossValue = tailLoss + headLoss;
    } else {
        lossValue = lossOf(z, torch::Tensor());
        lossValue.backward();
    }
    std::vector<int64_t> seen(size_t(d.o.classes), 0), wrong(size_t(d.o.classes), 0);
    {
        // Mixed rows count against the label with the larger share.
        const auto truth = (mixing && mix.lambda < 0.5 ? yPartner : y).to(torch::kCPU);
        const auto pred = z.argmax(1).to(torch::kCPU);
        const int64_t* pp = pred.data_ptr<int64_t>();
        const int64_t* yp = truth.data_ptr<int64_t>();
        for (int64_t i = 0; i < pred.numel(); ++i) {
            ++seen[size_t(yp[i])];
            wrong[size_t(yp[i])] += pp[i] != yp[i];
        }
    }
    double lv = lossValue.item<double>();
    if (d.o.group) {
        const auto t0 = std::chrono::steady_clock::now();
        lv = sumOverGroup(*d.o.group, d.model, lv, seen, wrong);
        if (!d.tailGradients.empty()) sumGradientsOverGroup(*d.o.group, d.tailGradients);
        d.totals.groupSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        ++d.totals.groupCalls;
    }
    if (!std::isfinite(lv)) {  // the step is not applied: the weights stay those of the last good step
        d.totals.divergedAtStep = d.stepsRun;
        d.totals.divergedLoss = lv;
        d.tailGradients.clear();
        return true;
    }
    if (ex.samRho > 0) {
        // SAM: the gradient at w + ε replaces the one at w (ImbSAM: the tail part's only; the
        // head part's, taken at w, is added back).
        std::vector<torch::Tensor> headGrads;
        const bool tailOnly = !d.tailGradients.empty();
        if (tailOnly) headGrads = gradientsOf(params);
        SharpnessPerturbation eps(params, tailOnly ? d.tailGradients : gradientsOf(params), ex.samRho);
        d.optimizer->zero_grad();
        {
            const BatchNormStatisticsFreeze freeze(d.model);
            const auto z2 = d.logits(x);
            (tailOnly ? lossOf(z2, rowsOfClasses(y, tailClasses)) : lossOf(z2, torch::Tensor())).backward();
        }
        if (d.o.group) {
            const auto t0 = std::chrono::steady_clock::now();
            std::vector<torch::Tensor> grads;
            for (auto& p : params) grads.push_back(p.grad());
            sumGradientsOverGroup(*d.o.group, grads);
            d.totals.groupSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        }
        eps.restore();
        if (tailOnly) {
            torch::NoGradGuard noGrad;
            for (size_t i = 0; i < params.size(); ++i) {
                if (!headGrads[i].defined()) continue;
                if (params[i].grad().defined()) params[i].mutable_grad().add_(headGrads[i]);
                else params[i].mutable_grad() = headGrads[i];
            }
        }
        d.tailGradients.clear();
    }
    d.optimizer->step();
    if (ex.maxNorm > 0 && d.headWeight.defined()) projectRowNorms(d.headWeight, ex.maxNorm);
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
    // Each batch's logits go straight into the result on the CPU: at 8 142 classes the test set's
    // are 0.8 GB, and batches collected then concatenated would hold them twice.
    torch::Tensor out;
    const int64_t n = x.size(0);
    if (d.o.stream && n > 0) {  // x: the stream's file rows, cut with the evaluation's centre crop
        const auto files = x.to(torch::kCPU).contiguous();
        d.o.stream->start(evaluationPlan(files.data_ptr<int64_t>(), n, d.o.evalBatch), d.plansMade++);
    }
    bool stopped = false;
    for (int64_t start = 0; start < n; start += d.o.evalBatch) {
        if (cancel && *cancel) {
            stopped = true;
            break;
        }
        const auto rows = d.o.stream ? d.o.stream->take() : x.slice(0, start, std::min(n, start + d.o.evalBatch));
        // A stream's slot is reused at its next take(): nothing here waits for an asynchronous
        // copy out of it, so the copy is synchronous (a step's own loss read waits for its copy).
        const auto z = d.logits(d.inputs(rows.to(d.device, d.device.is_cuda() && !d.o.stream))).to(torch::kCPU);
        if (!out.defined()) out = torch::empty({n, z.size(1)}, torch::kFloat32);
        out.slice(0, start, start + z.size(0)).copy_(z);
    }
    d.model.train();
    if (stopped || !out.defined()) return {};
    return out;
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
