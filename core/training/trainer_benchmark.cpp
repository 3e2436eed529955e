// Trainer::benchmark: the training step's throughput, and optionally its kernel-by-kernel
// profile, through the same step pipeline a run uses.
#include "training/trainer_impl.h"

#include "training/augment.h"
#include "training/image_stream.h"
#include "training/op_profiler.h"
#include "training/sampler.h"

#include <chrono>

namespace imblab {

namespace {
using Clock = std::chrono::steady_clock;
double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }
} // namespace

BenchResult Trainer::benchmark(int warmupSteps, int steps, int profileSteps, const std::string& tracePath) {
    Impl& d = *impl_;
    prepare();
    d.makePipeline();
    StepPipeline& pipe = *d.pipe;
    Rng sampleRng(Rng::mix(d.cfg.train.seed, 0xBE7C));
    Rng augmentRng(Rng::mix(d.cfg.train.seed, 0xA06));
    const int64_t batch = d.batch();
    const int64_t n = d.info.trainSize;
    const int64_t stepsPerEpoch = d.info.stepsPerEpoch;
    d.model->train();
    // Whole shuffled epochs; the device pipeline queues its steps and the final drain waits.
    int64_t s = stepsPerEpoch, images = 0;
    auto oneStep = [&] {
        if (s == stepsPerEpoch) {
            pipe.beginEpoch(shuffledOrder(n, sampleRng), augmentRng, d.cfg.train.lr, {});
            s = 0;
        }
        images += s + 1 == stepsPerEpoch ? n - s * batch : batch;
        pipe.step(s++);
    };
    auto finish = [&] {
        pipe.drain();
        if (d.device.is_cuda()) torch::cuda::synchronize();
    };
    for (int i = 0; i < warmupSteps; ++i) oneStep();
    finish();
    images = 0;
    const auto t0 = Clock::now();
    for (int i = 0; i < steps; ++i) oneStep();
    finish();
    const double secs = seconds(Clock::now() - t0);
    BenchResult r;
    r.steps = steps;
    r.batchSize = batch;
    r.seconds = secs;
    r.imgPerSec = secs > 0 ? double(images) / secs : 0.0;
    r.device = d.info.device;
    r.pipeline = pipe.mode();
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

InputBenchResult Trainer::benchmarkInput(int warmupBatches, int batches) {
    Impl& d = *impl_;
    prepare();
    Rng sampleRng(Rng::mix(d.cfg.train.seed, 0xBE7C));
    Rng augmentRng(Rng::mix(d.cfg.train.seed, 0xA06));
    const int64_t batch = d.batch(), steps = d.info.stepsPerEpoch, n = d.info.trainSize;
    // Whole shuffled epochs, as the host pipeline plans and takes them (host_pipeline.cpp).
    int64_t s = steps, images = 0;
    std::vector<int64_t> order;
    torch::Tensor orderTensor;
    auto oneBatch = [&] {
        if (s == steps) {
            order = shuffledOrder(n, sampleRng);
            orderTensor = torch::tensor(order, torch::kInt64);
            if (d.stream)
                d.stream->start(trainingPlan(order, d.trainX.data_ptr<int64_t>(), batch, steps, 0, 1, false, augmentRng.next(),
                                             d.cfg.train.augment),
                                0);
            s = 0;
        }
        const int64_t from = s * batch, to = s + 1 == steps ? n : from + batch;
        torch::Tensor x;
        if (d.stream) {
            x = d.stream->take();  // as the host pipeline's inputs(): float when the stream normalised it
            if (x.scalar_type() == torch::kUInt8) x = normalizeBatch(x, d.norm);
        } else {
            const auto rows = d.trainX.index_select(0, orderTensor.slice(0, from, to).to(d.trainX.device()));
            x = d.image && d.cfg.train.augment
                    ? augmentBatch(rows, d.cfg.train.cropPad, d.cfg.train.flip, augmentRng, d.norm)
                    : (d.image ? normalizeBatch(rows, d.norm) : rows);
        }
        images += x.size(0);
        ++s;
    };
    for (int i = 0; i < warmupBatches; ++i) oneBatch();
    images = 0;
    const auto t0 = Clock::now();
    for (int i = 0; i < batches; ++i) oneBatch();
    const double secs = seconds(Clock::now() - t0);
    InputBenchResult r;
    r.batches = batches;
    r.batchSize = batch;
    r.seconds = secs;
    r.imagesPerSec = secs > 0 ? double(images) / secs : 0.0;
    r.dataPipeline = d.info.dataPipeline;
    r.threads = d.stream ? d.stream->threads() : 0;
    return r;
}

} // namespace imblab
