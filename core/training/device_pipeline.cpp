// The device pipeline; see device_pipeline.h. Every tensor the step reads or writes across steps
// is allocated once here and updated in place, so a captured CUDA graph keeps pointing at it.
#include "training/device_pipeline.h"

#include "distributed/communicator.h"
#include "errors.h"
#include "losses/loss.h"
#include "models/batch_norm.h"
#include "models/classifier.h"
#include "training/autocast_scope.h"
#include "training/cuda_graph.h"
#include "training/epoch_plan.h"
#include "training/flat_buffers.h"
#include "training/max_norm.h"

#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>

namespace imblab {

struct DevicePipeline::Impl {
    Classifier& model;
    const Loss& loss;
    torch::Tensor trainX, trainY;
    Normalization norm;
    DevicePipelineOptions o;
    torch::Device device;
    int64_t trainSize = 0, lastSize = 0;

    std::vector<torch::Tensor> params;
    torch::Tensor flatParams, momentumBuf;
    torch::Tensor flatBuffers, bufferBackup;  // BatchNorm running statistics, restored after a bad step
    std::vector<torch::Tensor> otherBuffers;  // num_batches_tracked

    torch::Tensor plan;                       // int64 [4, N]: row, dy, dx, flip (+ mix partner: [5, N])
    torch::Tensor cursor, stepCounter;        // int64 [1]: step within the epoch, since the start
    torch::Tensor negLr, classWeights;        // float [1], float [k]
    torch::Tensor momentumValue, one;         // float [1] constants
    torch::Tensor steps, lossSum;             // good steps and their loss sum since the last drain
    torch::Tensor seen, wrong;                // int64 [k]
    torch::Tensor divergedStep, divergedLoss; // int64 [1] (−1: none), double [1]

    // Mixup / CutMix, drawn per step in beginEpoch: λ and 1 − λ; the partner's label counts
    // (λ < ½), box top, left, height, width. The partner's position within the batch is plan row 4.
    bool mixing = false, cutting = false;
    torch::Tensor mixShares, mixBoxes;        // float [steps, 2], int64 [steps, 5]
    torch::Tensor samBuffers;                 // SAM: BatchNorm statistics before its second pass
    torch::Tensor headWeight;                 // MaxNorm: the classifier rows it bounds
    std::vector<int64_t> hostOrder;           // streamData: the epoch's order, read on the host
    torch::Tensor streamBuf;                  // streamData: the step's rows on the device
    double groupSeconds = 0;                  // data-parallel: time in the allreduces since the last drain
    int64_t groupCalls = 0;

    CudaGraph fullStep, lastStep, evalGraph;
    bool stepCaptureTried = false, evalCaptureTried = false, allCaptured = false;
    std::string fallback;
    torch::Tensor evalIn, evalOut;

    Impl(Classifier& m, const Loss& l, torch::Tensor x, torch::Tensor y, Normalization n, DevicePipelineOptions opt)
        : model(m), loss(l), trainX(std::move(x)), trainY(std::move(y)), norm(std::move(n)), o(opt),
          device(model.parameters().front().device()) {
        trainSize = trainX.size(0);
        lastSize = trainSize - (o.stepsPerEpoch - 1) * o.batch;
        params = model.parameters();
        flatParams = makeFlatBuffer(params, o.channelsLast, device);
        momentumBuf = torch::zeros_like(flatParams);
        std::vector<torch::Tensor> floatBuffers;
        for (auto& b : model.buffers()) (b.is_floating_point() ? floatBuffers : otherBuffers).push_back(b);
        if (!floatBuffers.empty()) {
            flatBuffers = makeFlatBuffer(floatBuffers, false, device);
            bufferBackup = torch::empty_like(flatBuffers);
        }
        const StepExtras& ex = o.extras;
        if (!ex.samTail.empty()) throw TrainingError("ImbSAM runs on the host pipeline (its loss splits the batch by class)");
        cutting = ex.cutmixAlpha > 0 && o.image;
        mixing = cutting || ex.mixupAlpha > 0;
        if (ex.samRho > 0 && flatBuffers.defined()) samBuffers = torch::empty_like(flatBuffers);
        if (ex.maxNorm > 0) {
            headWeight = linearHeadWeight(model);  // a view of flatParams since flatten()
            if (!headWeight.defined()) throw TrainingError("MaxNorm needs a linear classifier head (this model's is a cosine head)");
        }
        const auto L = torch::TensorOptions().dtype(torch::kInt64).device(device);
        const auto F = torch::TensorOptions().dtype(torch::kFloat32).device(device);
        const auto D = torch::TensorOptions().dtype(torch::kFloat64).device(device);
        plan = torch::zeros({mixing ? 5 : 4, trainSize}, L);
        if (o.streamData) {  // room for the largest step (a merged short last batch is the largest)
            auto shape = trainX.sizes().vec();
            shape[0] = std::max(o.batch, lastSize);
            streamBuf = torch::empty(shape, torch::TensorOptions().dtype(trainX.dtype()).device(device));
        }
        if (mixing) {  // each epoch's λ and CutMix boxes, read by the step at its cursor
            mixShares = torch::zeros({o.stepsPerEpoch, 2}, F);
            mixBoxes = torch::zeros({o.stepsPerEpoch, 5}, L);
        }
        cursor = torch::zeros({1}, L);
        stepCounter = torch::zeros({1}, L);
        negLr = torch::zeros({1}, F);
        classWeights = torch::ones({o.classes}, F);
        momentumValue = torch::full({1}, o.momentum, F);
        one = torch::ones({1}, F);
        steps = torch::zeros({1}, L);
        lossSum = torch::zeros({1}, D);
        seen = torch::zeros({o.classes}, L);
        wrong = torch::zeros({o.classes}, L);
        divergedStep = torch::full({1}, -1, L);
        divergedLoss = torch::zeros({1}, D);
    }

    std::vector<torch::Tensor> state() const {
        std::vector<torch::Tensor> s{flatParams, momentumBuf, cursor, stepCounter, steps, lossSum, seen, wrong,
                                     divergedStep, divergedLoss};
        if (flatBuffers.defined()) s.push_back(flatBuffers);
        s.insert(s.end(), otherBuffers.begin(), otherBuffers.end());
        return s;
    }

    torch::Tensor normalized(const torch::Tensor& rows) const { return o.image ? normalizeBatch(rows, norm) : rows; }
    torch::Tensor laidOut(const torch::Tensor& x) const {
        return o.image && o.channelsLast ? x.contiguous(torch::MemoryFormat::ChannelsLast) : x;
    }
    torch::Tensor inputs(const torch::Tensor& rows) const { return laidOut(normalized(rows)); }

    // CutMix's box of `box` (int64 [5]: …, top, left, height, width) as a [1, 1, h, w] mask.
    torch::Tensor boxMask(const torch::Tensor& box, int64_t h, int64_t w) const {
        const auto L = torch::TensorOptions().dtype(torch::kInt64).device(device);
        const auto r = torch::arange(h, L), c = torch::arange(w, L);
        const auto inRows = r.ge(box[1]).logical_and(r.lt(box[1] + box[3]));
        const auto inCols = c.ge(box[2]).logical_and(c.lt(box[2] + box[4]));
        return inRows.view({1, 1, h, 1}).logical_and(inCols.view({1, 1, 1, w}));
    }

    void clearGradients() { for (auto& p : params) p.mutable_grad() = torch::Tensor(); }

    // The parameters' gradients as one flat buffer in flatParams' order (zeros where none).
    torch::Tensor flatGradient() const {
        std::vector<torch::Tensor> grads;
        grads.reserve(params.size());
        for (const auto& p : params) {
            const auto& g = p.grad();
            grads.push_back(g.defined() ? flattenInMemoryOrder(g, o.channelsLast)
                                        : torch::zeros({p.numel()}, flatParams.options()));
        }
        return torch::cat(grads);
    }

    // This rank's rows [lo, hi) of a step of `size` examples (all of them alone).
    std::pair<int64_t, int64_t> ownRows(int64_t size) const {
        const int rank = o.group ? o.group->rank() : 0, world = o.group ? o.group->worldSize() : 1;
        return {size * rank / world, size * (rank + 1) / world};
    }
    // The rows a rank gathers: its own, or the whole global batch when it mixes (a mixed row's
    // partner may be another rank's; every rank then mixes the whole batch and keeps its rows).
    std::pair<int64_t, int64_t> gatheredRows(int64_t size) const {
        return mixing ? std::pair<int64_t, int64_t>{0, size} : ownRows(size);
    }

    // streamData: step `s`'s rows gathered in host memory (into pinned memory on CUDA, whose
    // caching allocator keeps a block until its asynchronous copy is done) and copied into
    // streamBuf, in stream order before the step that reads them.
    void stageBatch(int64_t s, int64_t size) {
        const auto [lo, hi] = gatheredRows(size);
        const auto idx = torch::from_blob(hostOrder.data() + s * o.batch + lo, {hi - lo}, torch::kInt64);
        auto shape = trainX.sizes().vec();
        shape[0] = hi - lo;
        auto staged = torch::empty(shape, torch::TensorOptions().dtype(trainX.dtype()).pinned_memory(device.is_cuda()));
        torch::index_select_out(staged, trainX, 0, idx);
        streamBuf.narrow(0, 0, hi - lo).copy_(staged, /*non_blocking=*/device.is_cuda());
    }

    // Sums `t` over the data-parallel group in place (a no-op alone), timing it.
    void sumOverGroup(torch::Tensor& t) {
        if (!o.group) return;
        const auto t0 = std::chrono::steady_clock::now();
        o.group->allreduceSum(t);
        groupSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }

    // SAM (training/sharpness.h): the gradient at w + ε, ε = ρ·g/‖g‖₂ from the flat gradient `g`
    // at w (ε = 0 after a non-finite loss), the weights then put back. BatchNorm's statistics
    // are those after the first pass, as BatchNormStatisticsFreeze keeps them on the host.
    template <typename LossAt>
    torch::Tensor sharpnessAwareGradient(const torch::Tensor& g, const torch::Tensor& x, const LossAt& lossAt,
                                         const torch::Tensor& good) {
        const auto norm = g.to(torch::kFloat64).pow(2).sum().sqrt();
        const auto scale = torch::where(norm.gt(0), o.extras.samRho / (norm + 1e-12), torch::zeros_like(norm));
        auto eps = g * scale.to(torch::kFloat32);
        eps.masked_fill_(good.logical_not(), 0.0);
        flatParams.add_(eps);
        if (flatBuffers.defined()) samBuffers.copy_(flatBuffers);
        std::vector<torch::Tensor> counters;
        for (const auto& b : otherBuffers) counters.push_back(b.clone());
        clearGradients();
        {
            torch::AutoGradMode enable(true);
            lossAt(logits(x)).backward();
        }
        if (flatBuffers.defined()) flatBuffers.copy_(samBuffers);
        for (size_t i = 0; i < otherBuffers.size(); ++i) otherBuffers[i].copy_(counters[i]);
        auto atPerturbed = flatGradient();
        sumOverGroup(atPerturbed);  // ε came from the group's gradient; so does the step
        flatParams.sub_(eps);
        return atPerturbed;
    }

    torch::Tensor logits(const torch::Tensor& x) {
        AutocastScope autocast(device, o.bf16);
        return model.forward(x).to(torch::kFloat32);
    }

    // One training step of `size` examples (this rank's share in a group), queued on the device.
    void runStep(int64_t size) {
        const auto L = torch::TensorOptions().dtype(torch::kInt64).device(device);
        const auto [lo, hi] = ownRows(size);
        const auto [first, last] = gatheredRows(size);
        const auto stepCols = cursor * o.batch + torch::arange(size, L);
        const auto cols = plan.index_select(1, stepCols.narrow(0, first, last - first));
        const auto rowIdx = cols[0];
        auto y = trainY.index_select(0, rowIdx);
        auto x = o.streamData ? streamBuf.narrow(0, 0, last - first) : trainX.index_select(0, rowIdx);
        if (o.image && o.augment) x = cropFlip(x, o.cropPad, cols[1], cols[2], cols[3]);
        x = normalized(x);
        // Mixed rows (training/mixing.h): the step's draws come from the plan, the loss is
        // λ·L(z, y) + (1 − λ)·L(z, y_partner), and a row counts against the larger share's label.
        torch::Tensor yPartner, lambda, rest, truth = y;
        if (mixing) {
            const auto partner = cols[4];
            const auto other = x.index_select(0, partner);
            const auto shares = mixShares.index_select(0, cursor).view({2});
            const auto box = mixBoxes.index_select(0, cursor).view({5});
            lambda = shares[0];
            rest = shares[1];
            x = cutting ? torch::where(boxMask(box, x.size(2), x.size(3)), other, x) : x * lambda + other * rest;
            yPartner = y.index_select(0, partner);
            truth = torch::where(box[0].gt(0), yPartner, y);
        }
        // In a group each rank's loss is its share of the global batch's mean (the weights' sum
        // over the global batch's labels, known to every rank), so the summed gradients are the
        // global batch's; the denominators are read back, as the step waits for its allreduce anyway.
        torch::Tensor yGlobal, yPartnerGlobal;
        if (o.group) {
            yGlobal = mixing ? y : trainY.index_select(0, plan[0].index_select(0, stepCols));
            yPartnerGlobal = yPartner;
            if (mixing) {  // unmixed, this rank gathered its own rows only
                x = x.narrow(0, lo, hi - lo);
                y = y.narrow(0, lo, hi - lo);
                yPartner = yPartner.narrow(0, lo, hi - lo);
                truth = truth.narrow(0, lo, hi - lo);
            }
        }
        x = laidOut(x);
        const auto share = [&](const torch::Tensor& z, const torch::Tensor& labels, const torch::Tensor& labelsGlobal) {
            auto v = loss(z, labels, classWeights);
            if (o.group)
                v = v * (loss.batchDenominator(labels, classWeights) / loss.batchDenominator(labelsGlobal, classWeights));
            return v;
        };
        const auto lossAt = [&](const torch::Tensor& z) {
            if (!mixing) return share(z, y, yGlobal);
            return share(z, y, yGlobal) * lambda + share(z, yPartner, yPartnerGlobal) * rest;
        };
        const SyncBatchNormScope syncBn(o.syncBn ? o.group : nullptr);
        if (flatBuffers.defined()) bufferBackup.copy_(flatBuffers);
        clearGradients();
        const auto z = logits(x);
        const auto lossValue = lossAt(z);
        lossValue.backward();

        torch::NoGradGuard noGrad;
        auto g = flatGradient();
        auto lv = lossValue.detach().to(torch::kFloat64).view({1});
        if (o.group) {  // one allreduce: [the flat gradient, the loss]; every rank then sees the same loss
            auto packed = torch::cat({g, lossValue.detach().to(torch::kFloat32).view({1})});
            sumOverGroup(packed);
            ++groupCalls;
            g = packed.narrow(0, 0, g.numel());
            lv = packed.narrow(0, g.numel(), 1).to(torch::kFloat64);
        }
        const auto newlyBad = torch::isfinite(lv).logical_not().logical_and(divergedStep.lt(0));
        divergedStep.copy_(torch::where(newlyBad, stepCounter, divergedStep));
        divergedLoss.copy_(torch::where(newlyBad, lv, divergedLoss));
        const auto good = divergedStep.lt(0);
        const auto goodF = good.to(torch::kFloat32);
        lossSum.add_(lv.masked_fill(good.logical_not(), 0.0));
        steps.add_(good.to(torch::kInt64));
        seen.index_add_(0, truth, torch::ones_like(truth));
        wrong.index_add_(0, truth, z.detach().argmax(1).ne(truth).to(torch::kInt64));

        // SGD as torch.optim.SGD (dampening 0, no Nesterov) on the flat buffer:
        // d = g + wd·p; buf = m·buf + d (buf starts at 0, so the first step gives buf = d); p −= lr·buf.
        auto d = o.extras.samRho > 0 ? sharpnessAwareGradient(g, x, lossAt, good) : g;
        if (o.weightDecay != 0) d.add_(flatParams, o.weightDecay);
        d.masked_fill_(good.logical_not(), 0.0);
        const auto stepScale = negLr * goodF;  // −lr, or −0 once diverged
        if (o.momentum != 0) {
            momentumBuf.mul_(torch::where(good, momentumValue, one)).add_(d);
            flatParams.addcmul_(momentumBuf, stepScale);
        } else {
            flatParams.addcmul_(d, stepScale);
        }
        if (headWeight.defined())  // MaxNorm after the update (a bad step moved nothing)
            headWeight.mul_(torch::where(good, rowNormScales(headWeight, o.extras.maxNorm), one));
        if (flatBuffers.defined()) flatBuffers.copy_(torch::where(good, flatBuffers, bufferBackup));
        cursor.add_(1);
        stepCounter.add_(1);
    }

    int64_t sizeOf(int64_t s) const { return s + 1 == o.stepsPerEpoch ? lastSize : o.batch; }
    CudaGraph& graphFor(int64_t size) { return size == o.batch ? fullStep : lastStep; }

    void captureSteps() {
        stepCaptureTried = true;
        std::vector<int64_t> sizes;
        if (o.stepsPerEpoch > 1) sizes.push_back(o.batch);
        if (lastSize != o.batch || o.stepsPerEpoch == 1) sizes.push_back(lastSize);
        // Warm-up runs real steps (cuDNN plans, cuBLAS handles, gradient buffers), then puts
        // every state tensor back as it was.
        const auto warmup = [&](int64_t size) {
            return [this, size] {
                std::vector<torch::Tensor> saved;
                for (const auto& t : state()) saved.push_back(t.clone());
                const int64_t at = size == o.batch ? 0 : o.stepsPerEpoch - 1;
                for (int i = 0; i < 2; ++i) {
                    cursor.fill_(at);
                    runStep(size);
                }
                torch::NoGradGuard noGrad;
                const auto live = state();
                for (size_t i = 0; i < live.size(); ++i) live[i].copy_(saved[i]);
            };
        };
        allCaptured = true;
        const CudaGraph* pool = nullptr;
        for (int64_t size : sizes) {
            std::string why;
            CudaGraph& g = graphFor(size);
            if (!g.capture(warmup(size), [this, size] { runStep(size); }, why, pool)) {
                allCaptured = false;
                fallback = why;
                spdlog::warn("CUDA graph capture of the training step ({} examples) failed, running it eagerly: {}", size,
                             why);
            } else {
                pool = &g;
            }
        }
    }
};

DevicePipeline::DevicePipeline(Classifier& model, const Loss& loss, torch::Tensor trainX, torch::Tensor trainY,
                               Normalization norm, DevicePipelineOptions options)
    : impl_(std::make_unique<Impl>(model, loss, std::move(trainX), std::move(trainY), std::move(norm), options)) {
    if (options.useGraph && !cudaGraphsCompiledIn()) {
        impl_->o.useGraph = false;
        impl_->fallback = "this build of LibTorch has no CUDA";
    } else if (options.useGraph && !impl_->device.is_cuda()) {
        impl_->o.useGraph = false;
        impl_->fallback = "CUDA graphs need a CUDA device";
    } else if (options.useGraph && options.group) {
        impl_->o.useGraph = false;
        impl_->fallback = "a data-parallel step waits for its Gloo allreduce, which a CUDA graph cannot hold";
    }
}

DevicePipeline::~DevicePipeline() = default;

void DevicePipeline::beginEpoch(const std::vector<int64_t>& order, Rng& augmentRng, double lr,
                                const std::vector<double>& weights) {
    Impl& d = *impl_;
    const int64_t n = d.trainSize;
    if (int64_t(order.size()) != n) throw TrainingError("epoch order has the wrong length");
    const int64_t steps = d.o.stepsPerEpoch;
    const bool images = d.trainX.dim() == 4;
    EpochPlan p = drawEpochPlan(order, augmentRng, d.o, d.mixing, d.cutting, images ? d.trainX.size(2) : 0,
                                images ? d.trainX.size(3) : 0);
    torch::NoGradGuard noGrad;
    if (d.o.streamData) d.hostOrder = order;
    d.plan.copy_(torch::from_blob(p.columns.data(), {p.rows, n}, torch::kInt64));
    if (d.mixing) {
        d.mixShares.copy_(torch::from_blob(p.shares.data(), {steps, 2}, torch::kFloat32));
        d.mixBoxes.copy_(torch::from_blob(p.boxes.data(), {steps, 5}, torch::kInt64));
    }
    setLr(lr);
    setClassWeights(weights);
    d.cursor.zero_();
}

// Both live in device tensors the captured step reads, so a change needs no re-capture.
void DevicePipeline::setLr(double lr) {
    torch::NoGradGuard noGrad;
    impl_->negLr.fill_(-lr);
}

void DevicePipeline::setClassWeights(const std::vector<double>& weights) {
    torch::NoGradGuard noGrad;
    if (weights.empty()) impl_->classWeights.fill_(1.0);
    else impl_->classWeights.copy_(torch::tensor(weights, torch::kFloat64).to(torch::kFloat32));
}

bool DevicePipeline::step(int64_t s) {
    Impl& d = *impl_;
    if (d.o.useGraph && !d.stepCaptureTried) d.captureSteps();
    const int64_t size = d.sizeOf(s);
    if (d.o.streamData) {
        torch::NoGradGuard noGrad;
        d.stageBatch(s, size);
    }
    CudaGraph& g = d.graphFor(size);
    if (d.o.useGraph && g.captured()) g.replay();
    else d.runStep(size);
    return false;
}

StepTotals DevicePipeline::drain() {
    Impl& d = *impl_;
    torch::NoGradGuard noGrad;
    StepTotals t;
    if (d.o.group) {  // the ranks' own rows' counts; loss and steps are the group's already
        d.sumOverGroup(d.seen);
        d.sumOverGroup(d.wrong);
    }
    t.groupSeconds = d.groupSeconds;
    t.groupCalls = d.groupCalls;
    d.groupSeconds = 0;
    d.groupCalls = 0;
    t.steps = d.steps.to(torch::kCPU).item<int64_t>();
    t.lossSum = d.lossSum.to(torch::kCPU).item<double>();
    const auto seen = d.seen.to(torch::kCPU), wrong = d.wrong.to(torch::kCPU);
    t.seen.assign(seen.data_ptr<int64_t>(), seen.data_ptr<int64_t>() + seen.numel());
    t.wrong.assign(wrong.data_ptr<int64_t>(), wrong.data_ptr<int64_t>() + wrong.numel());
    t.divergedAtStep = d.divergedStep.to(torch::kCPU).item<int64_t>();
    t.divergedLoss = d.divergedLoss.to(torch::kCPU).item<double>();
    d.steps.zero_();
    d.lossSum.zero_();
    d.seen.zero_();
    d.wrong.zero_();
    return t;
}

torch::Tensor DevicePipeline::evaluate(const torch::Tensor& x, const std::atomic<bool>* cancel) {
    Impl& d = *impl_;
    torch::NoGradGuard noGrad;
    const bool wasTraining = d.model.is_training();
    d.model.eval();
    const int64_t n = x.size(0), batch = std::max<int64_t>(1, d.o.evalBatch);
    auto out = torch::empty({n, d.o.classes}, torch::TensorOptions().dtype(torch::kFloat32).device(d.device));
    if (d.o.useGraph && !d.evalCaptureTried && n > 0) {
        d.evalCaptureTried = true;
        auto shape = x.sizes().vec();
        shape[0] = batch;
        d.evalIn = torch::zeros(shape, torch::TensorOptions().dtype(torch::kFloat32).device(d.device));
        if (d.o.image && d.o.channelsLast) d.evalIn = d.evalIn.contiguous(torch::MemoryFormat::ChannelsLast);
        std::string why;
        if (!d.evalGraph.capture([&] { d.logits(d.evalIn); }, [&] { d.evalOut = d.logits(d.evalIn); }, why))
            spdlog::warn("CUDA graph capture of the evaluation forward failed, running it eagerly: {}", why);
    }
    bool stopped = false;
    for (int64_t start = 0; start < n; start += batch) {
        if (cancel && *cancel) {
            stopped = true;
            break;
        }
        const int64_t end = std::min(n, start + batch);
        const auto rows = d.inputs(x.slice(0, start, end).to(d.device, d.device.is_cuda()));
        if (d.evalGraph.captured()) {
            d.evalIn.narrow(0, 0, end - start).copy_(rows);
            d.evalGraph.replay();
            out.slice(0, start, end).copy_(d.evalOut.narrow(0, 0, end - start));
        } else {
            out.slice(0, start, end).copy_(d.logits(rows));
        }
    }
    if (wasTraining) d.model.train();
    return stopped ? torch::Tensor() : out.to(torch::kCPU);
}

torch::Tensor DevicePipeline::momentum() const { return impl_->momentumBuf.detach().to(torch::kCPU).clone(); }

void DevicePipeline::setMomentum(const torch::Tensor& flat) {
    if (flat.numel() != impl_->momentumBuf.numel())
        throw TrainingError("the checkpoint's momentum has " + std::to_string(flat.numel()) + " values, the model " +
                            std::to_string(impl_->momentumBuf.numel()));
    torch::NoGradGuard noGrad;
    impl_->momentumBuf.copy_(flat.reshape({-1}));
}

std::string DevicePipeline::mode() const {
    return impl_->o.useGraph && impl_->stepCaptureTried && impl_->allCaptured ? "graph" : "device";
}

std::string DevicePipeline::fallbackReason() const { return impl_->fallback; }

void DevicePipeline::saveState(torch::serialize::OutputArchive& archive) const { archive.write("momentum", momentum()); }

void DevicePipeline::loadState(torch::serialize::InputArchive& archive) {
    torch::Tensor flat;
    archive.read("momentum", flat);
    setMomentum(flat.to(impl_->device));
}

} // namespace imblab
