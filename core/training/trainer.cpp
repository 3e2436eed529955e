// The training loop. One Trainer per run; all torch work happens on the thread calling run().
// The step itself is a StepPipeline (host or device), so the loop below has no pipeline branches.
#include "training/trainer_impl.h"
#include "api/shot_groups.h"

#include "data/dataset_loader.h"
#include "data/decoded_cache.h"
#include "data/split_fingerprint.h"
#include "data/text_dataset.h"
#include "distributed/communicator.h"
#include "errors.h"
#include "io/config_json.h"
#include "io/model_export.h"
#include "losses/cross_entropy.h"
#include "losses/loss_factory.h"
#include "models/model_factory.h"
#include "training/checkpoint.h"
#include "training/collapse_check.h"
#include "training/data_parallel.h"
#include "training/device_pipeline.h"
#include "training/evaluation.h"
#include "training/host_pipeline.h"
#include "training/image_stream.h"
#include "training/max_norm.h"
#include "training/metrics.h"
#include "training/running_train_error.h"
#include "training/sampler.h"
#include "training/schedule_placement.h"
#include "training/second_stage_source.h"
#include "training/speed_probe.h"
#include "training/split_tensor.h"
#include "training/tau_norm.h"
#include "util/blas_library.h"
#include "util/rng.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

namespace imblab {

namespace {

constexpr int64_t kEvalBatch = 256;
constexpr int64_t kDeviceEvalBatch = 1024;  // on a GPU larger evaluation batches cost nothing extra
constexpr int64_t kLengthPool = 50;          // texts: batches sorted by length together (sampler.h)

using Clock = std::chrono::steady_clock;

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

} // namespace

std::string runStatusName(RunStatus s) {
    switch (s) {
    case RunStatus::Finished: return "finished";
    case RunStatus::Cancelled: return "cancelled";
    case RunStatus::Failed: return "failed";
    }
    return "failed";
}

void Trainer::Impl::makePipeline() {
    if (pipe) return;
    StepOptions step;
    step.batch = batch();
    step.stepsPerEpoch = info.stepsPerEpoch;
    step.cropPad = cfg.train.cropPad;
    step.image = image;
    step.augment = cfg.train.augment;
    step.flip = cfg.train.flip;
    step.momentum = cfg.train.momentum;
    step.weightDecay = cfg.train.weightDecay;
    step.bf16 = info.precision == "bf16";  // resolved: train.precision may be "auto"
    step.channelsLast = info.channelsLast;
    step.classes = int(info.classNames.size());
    step.evalBatch = kEvalBatch;
    step.extras.mixupAlpha = cfg.train.mixup;
    step.extras.cutmixAlpha = cfg.train.cutmix;
    step.extras.samRho = cfg.train.sam;
    if (cfg.train.imbsam) step.extras.samTail = info.minority;
    step.extras.maxNorm = cfg.train.maxNorm;
    step.group = group.get();
    step.syncBn = cfg.train.syncBn;
    if (info.pipeline == "host") {
        HostPipelineOptions o{step, cfg.train.optimizer, cfg.train.lr, stream.get()};
        pipe = std::make_unique<HostPipeline>(*model, *loss, trainX, trainY, norm, o);
        return;
    }
    DevicePipelineOptions o{step, info.pipeline == "graph", streamData};
    o.evalBatch = device.is_cuda() ? kDeviceEvalBatch : kEvalBatch;
    pipe = std::make_unique<DevicePipeline>(*model, *loss, trainX, trainY, norm, o);
}

Trainer::Trainer(ExperimentConfig cfg, std::shared_ptr<const Dataset> fullData) : impl_(std::make_unique<Impl>()) {
    validateConfig(cfg);
    impl_->cfg = std::move(cfg);
    impl_->full = std::move(fullData);
}

Trainer::~Trainer() = default;

void Trainer::joinGroup(std::shared_ptr<Communicator> group) {
    if (impl_->prepared) throw TrainingError("joinGroup() must come before prepare()");
    impl_->group = std::move(group);
}

const RunInfo& Trainer::info() const { return impl_->info; }
const ExperimentConfig& Trainer::config() const { return impl_->cfg; }

const RunInfo& Trainer::prepare(const RunControl* control) {
    Impl& d = *impl_;
    if (d.prepared) return d.info;
    const ExperimentConfig& cfg = d.cfg;
    const std::string deviceName = resolveDevice(cfg.train.device);
    // A group's ranks on one node share its GPUs (distributed/launch_env.h: cuda:LOCAL_RANK, or
    // round-robin over Gloo when there are more ranks than GPUs) and its cores.
    const int ranksHere = d.group ? d.group->env().localWorldSize : 1;
    const int gpus = deviceName == "cuda" ? int(torch::cuda::device_count()) : 0;
    if (gpus > 0) {
        const int gpu = d.group ? gpuForRank(d.group->env(), gpus, d.group->backendOnGpu()) : 0;
        d.device = torch::Device(torch::kCUDA, c10::DeviceIndex(gpu));
        if (d.group) d.group->useCudaDevice(gpu);  // NCCL carries its collectives
        if (ranksHere > gpus)
            spdlog::warn("rank {} shares {} with the node's other ranks ({} ranks, {} GPU(s))", d.group->rank(),
                         d.device.str(), ranksHere, gpus);
    } else {
        d.device = torch::Device(torch::kCPU);
    }
    if (deviceName == "cpu") torch::set_num_threads(cfg.train.threads > 0 ? cfg.train.threads : defaultCpuThreads(ranksHere));

    if (!d.full) d.full = std::make_shared<const Dataset>(loadDataset(cfg.dataset));
    if (control && control->cancel) throw TrainingError("cancelled while loading data");
    ImbalancedData imb = makeImbalanced(*d.full, cfg.dataset);
    const Dataset& ds = imb.data;
    const int k = ds.numClasses();
    d.image = ds.isImage();
    d.text = ds.isText();
    if (cfg.train.cutmix > 0 && !d.image)
        throw ConfigError("train.cutmix", "CutMix pastes image boxes; this dataset has feature rows (use mixup)");

    RunInfo& info = d.info;
    info.classNames = ds.classNames;
    info.classCounts = imb.classCounts;
    info.minority = minorityClasses(imb.classCounts);
    info.nMax = imb.nMax;
    info.trainSize = ds.train.size();
    info.testSize = ds.test.size();
    info.dataShape = d.image ? std::vector<int>{ds.channels, ds.height, ds.width}
                     : d.text ? std::vector<int>{ds.maxTokens}
                              : std::vector<int>{ds.featureDim};
    info.mean = ds.mean;
    info.std = ds.std;
    info.featureNames = ds.featureNames;
    info.skippedFiles = int64_t(ds.skipped.size());
    info.splitFingerprint = splitFingerprint(cfg.dataset, imb);
    if (!ds.skipped.empty())
        spdlog::warn("{} file(s) could not be read and are left out (first: {}: {}); `imblab-cli dataset` lists them all",
                     ds.skipped.size(), ds.skipped.front().path, ds.skipped.front().reason);
    info.device = deviceName;
    info.cpuThreads = deviceName == "cpu" ? torch::get_num_threads() : 0;
    info.libtorchVersion = TORCH_VERSION;
    if (deviceName == "cpu") info.blasLibrary = blasLibrary();
    suggestFasterBlas(info.blasLibrary);
    info.pipeline = resolvePipeline(cfg.train, deviceName);  // streamed images: host (placeStream)
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
    const int world = d.group ? d.group->worldSize() : 1;
    if (batch < 2 * world)
        throw ConfigError("train.batch_size", "the global batch of " + std::to_string(batch) + " cannot give each of " +
                                                  std::to_string(world) + " ranks at least 2 examples");
    info.stepsPerEpoch = (info.trainSize + batch - 1) / batch;
    // No batch (or rank's part of one) of a single example (BatchNorm): a short last batch joins
    // the one before.
    if (const int64_t rest = info.trainSize % batch; rest > 0 && rest < 2 * world && info.stepsPerEpoch > 1)
        --info.stepsPerEpoch;

    PlacedSchedule placed = placeRunSchedule(cfg, imb.classCounts, info);
    d.schedule = placed.lr;
    d.rebalance = std::move(placed.rebalance);
    d.loss = makeLoss(cfg.loss, imb.classCounts);
    info.deltas = d.loss->margins();
    info.predictionScale = predictionScale(cfg.loss);
    d.logPrior = logPriors(imb.classCounts);

    if (d.text) {
        d.vocab = buildVocabulary(ds, vocabularyOptions(cfg.dataset));
        info.vocabulary = d.vocab.words;
        for (int64_t i = 0; i < ds.train.size(); ++i)
            d.trainLengths.push_back(ds.train.tokenOffsets[size_t(i) + 1] - ds.train.tokenOffsets[size_t(i)]);
    }
    const ModelInput input = datasetModelInput(cfg.train.model, ds, &d.vocab);
    info.inputShape = d.image ? std::vector<int>{input.channels, input.height, input.width}
                      : d.text ? std::vector<int>{input.tokens}
                               : std::vector<int>{input.features};
    d.model = makeSeededModel(cfg.train.seed, cfg.train.model, input, k, cfg.loss.usesNormalizedHead(), modelSizes(cfg.train));
    d.model->to(d.device);
    const SpeedChoice speed = chooseSpeed(cfg, d.full, deviceName, info.inputShape, decodedCacheFolder(), d.group != nullptr);
    info.precision = speed.precision;
    info.channelsLast = speed.channelsLast;
    info.speedNote = speed.note;
    info.parameterCount = 0;
    for (const auto& p : d.model->parameters()) info.parameterCount += p.numel();

    d.placeData(ds, input);  // streamed images keep to the host pipeline
    if (info.channelsLast && info.pipeline == "host") layOutChannelsLast(*d.model);
    if (d.group) checkGroupAgreement(*d.group, configToJson(cfg), info.splitFingerprint);
    d.prepared = true;
    return info;
}

RunSummary Trainer::run(TrainingObserver& observer, RunControl& control) {
    Impl& d = *impl_;
    prepare(&control);
    const ExperimentConfig& cfg = d.cfg;
    const RunInfo& info = d.info;
    const int k = int(info.classNames.size());

    // A checkpoint's weights go in before the device pipeline copies them into its flat buffers.
    std::unique_ptr<CheckpointReader> resume;
    if (!d.resumePath.empty()) {
        resume = std::make_unique<CheckpointReader>(d.resumePath);
        resume->loadWeights(*d.model);
        d.model->to(d.device);
        if (info.channelsLast && info.pipeline == "host") layOutChannelsLast(*d.model);  // loading replaced the storage
    }
    d.makePipeline();
    StepPipeline& pipe = *d.pipe;
    Communicator* group = d.group.get();
    if (group) broadcastModel(*group, *d.model, false);  // rank 0's weights everywhere, as DDP starts

    CheckpointCounters at;
    at.sampleRng = Rng(Rng::mix(cfg.train.seed, 0x5A3B1E));
    at.augmentRng = Rng(Rng::mix(cfg.train.seed, 0xA06));
    d.model->train();

    RunSummary summary;
    summary.device = info.device;
    summary.pipeline = info.pipeline;
    summary.worldSize = group ? group->worldSize() : 1;
    summary.backend = group ? group->backend() : "";
    const auto start = Clock::now();
    Clock::duration trainTime{}, pausedTime{};
    int64_t& step = at.step;
    const int64_t totalSteps = info.stepsPerEpoch * cfg.train.epochs;
    double lossSum = 0;
    int64_t lossCount = 0;
    double epochLossSum = 0;           // this epoch's training loss, for the collapse check
    int64_t epochLossSteps = 0;
    std::vector<double> epochLosses;   // mean training loss of each epoch run here
    double groupSeconds = 0;           // data-parallel: time in the steps' allreduce
    int64_t groupCalls = 0;
    RunningTrainError running(k, info.stepsPerEpoch);

    auto baseReport = [&](int epoch, double lr) {
        MetricsReport r;
        r.epoch = epoch;
        r.step = step;
        r.totalSteps = totalSteps;
        r.epochProgress = double(step) / double(info.stepsPerEpoch);
        r.lr = lr;
        r.trainLoss = lossCount ? lossSum / double(lossCount) : 0.0;
        r.imgPerSec = seconds(trainTime) > 0 ? double(at.imagesSeen) / seconds(trainTime) : 0.0;
        r.elapsedSeconds = seconds(Clock::now() - start);
        r.etaSeconds = step > 0 ? (r.elapsedSeconds - seconds(pausedTime)) / double(step) * double(totalSteps - step) : 0.0;
        r.deltas = info.deltas;
        const RebalancePhase phase = d.rebalance->atStep(step > 0 ? step - 1 : 0, epoch);  // the last step run
        r.weights = phase.weights;
        r.resampling = phase.resample;
        return r;
    };
    // A progress report's train errors: per class up to kCompactClasses classes, past that only
    // the shot groups' means (and no Δ_j, w_j: the evaluation reports carry them).
    auto setProgressTrainErrors = [&](MetricsReport& r) {
        std::vector<double> errors = running.errors();
        r.trainErrorByGroup = shotGroupMeans(errors, info.classCounts);
        if (k > kCompactClasses) {
            r.deltas.clear();
            r.weights.clear();
        } else {
            r.trainErrorPerClass = std::move(errors);
        }
    };
    // The logits of each of `inputs` with rank 0's BatchNorm statistics (a group); empty once
    // the user stopped during the evaluation: an interrupted evaluation is dropped, not reported
    // half-done.
    auto evaluateAll = [&](std::initializer_list<const torch::Tensor*> inputs) {
        std::vector<LogitTable> tables;
        if (group) broadcastModel(*group, *d.model, true);
        for (const torch::Tensor* x : inputs) tables.push_back(evaluateLogits(pipe, group, *x, k, control.cancel));
        if (stopsHere(group, control.cancel)) tables.clear();
        return tables;
    };
    auto diverged = [&](int64_t atStep, double lossValue) {
        const int epochOfStep = int(atStep / info.stepsPerEpoch);
        const double lrThen = cfg.train.lr * lrFactorAtStep(atStep, d.schedule);
        char buf[220];
        std::snprintf(buf, sizeof buf, "training diverged at step %lld (epoch %d, lr %.4g): loss is %s; lower the "
                      "learning rate", (long long)atStep + 1, epochOfStep + 1, lrThen,
                      std::isnan(lossValue) ? "NaN" : "infinite");
        summary.status = RunStatus::Failed;
        summary.message = buf;
    };
    auto cancelled = [&](const std::string& message) {
        summary.status = RunStatus::Cancelled;
        summary.message = message;
    };

    if (resume) {
        at = resume->loadState(pipe);
        trainTime = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(at.trainSeconds));
        summary.epochsCompleted = at.epochsDone;
        summary.bestEpoch = at.bestEpoch;
        summary.bestBalancedError = at.bestBalancedError;
        running.restore(at.runningSeen, at.runningWrong);
        spdlog::info("resuming from {} at epoch {}, step {} ({} images in {:.1f} s of training so far)", d.resumePath,
                     at.epochsDone + 1, step, at.imagesSeen, seconds(trainTime));
        d.resumePath.clear();
        resume.reset();
    }
    const int firstEpoch = at.epochsDone;
    const int64_t stepBase = step;  // the pipeline counts its steps from here

    bool stop = false;
    double lr = 0;           // in force now
    bool reweight = false;   // class weights in force now
    for (int epoch = firstEpoch; epoch < cfg.train.epochs && !stop; ++epoch) {
        lr = cfg.train.lr * lrFactorAtStep(step, d.schedule);
        const RebalancePhase phase = d.rebalance->atStep(step, epoch);
        reweight = phase.reweight;
        std::vector<int64_t> order = phase.resample ? resampledOrder(d.trainLabels, phase.weights, at.sampleRng)
                                                    : shuffledOrder(info.trainSize, at.sampleRng);
        if (d.text) order = groupByLength(std::move(order), d.trainLengths, d.batch(), info.stepsPerEpoch - 1, kLengthPool, at.sampleRng);
        pipe.beginEpoch(order, at.augmentRng, lr, reweight ? phase.weights : std::vector<double>{});
        epochLossSum = 0;
        epochLossSteps = 0;
        bool epochReported = false;  // every step ran and the epoch-end report went out

        for (int64_t s = 0; s < info.stepsPerEpoch; ++s) {
            if (control.pause) {
                const auto pauseStart = Clock::now();
                while (control.pause && !control.cancel) std::this_thread::sleep_for(std::chrono::milliseconds(10));
                pausedTime += Clock::now() - pauseStart;
            }
            if (stopsHere(group, control.cancel)) {  // the group stops together
                stop = true;
                cancelled("stopped by the user at epoch " + std::to_string(epoch + 1) + ", step " + std::to_string(step));
                break;
            }
            const auto stepStart = Clock::now();
            const bool lastStepOfEpoch = s + 1 == info.stepsPerEpoch;
            const int64_t images = lastStepOfEpoch ? info.trainSize - s * d.batch() : d.batch();
            const bool evaluateNow = lastStepOfEpoch && ((epoch + 1) % cfg.train.marginEvery == 0 || epoch + 1 == cfg.train.epochs);
            const bool evaluateMid = !lastStepOfEpoch && std::binary_search(d.midEvaluationSteps.begin(), d.midEvaluationSteps.end(), s);
            // A short run's decays and re-weighting switch can fall within the epoch.
            if (const double lrNow = cfg.train.lr * lrFactorAtStep(step, d.schedule); lrNow != lr) {
                lr = lrNow;
                pipe.setLr(lr);
            }
            if (const RebalancePhase now = d.rebalance->atStep(step, epoch); now.reweight != reweight) {
                reweight = now.reweight;
                pipe.setClassWeights(reweight ? now.weights : std::vector<double>{});
            }
            const bool mustDrain = pipe.step(s);
            if (!mustDrain) {
                ++step;
                at.imagesSeen += images;
            }
            // The sums come back only when a report is due (the device pipeline queues its steps).
            if (mustDrain || lastStepOfEpoch || evaluateMid || step % cfg.train.reportEvery == 0) {
                const StepTotals totals = pipe.drain();
                if (totals.divergedAtStep >= 0) {
                    stop = true;
                    diverged(stepBase + totals.divergedAtStep, totals.divergedLoss);
                    break;
                }
                lossSum += totals.lossSum;
                lossCount += totals.steps;
                groupSeconds += totals.groupSeconds;
                groupCalls += totals.groupCalls;
                epochLossSum += totals.lossSum;
                epochLossSteps += totals.steps;
                if (lastStepOfEpoch && epochLossSteps > 0) epochLosses.push_back(epochLossSum / double(epochLossSteps));
                running.add(totals.steps, totals.seen, totals.wrong);
            }
            trainTime += Clock::now() - stepStart;

            if (evaluateNow) {
                MetricsReport r = baseReport(epoch, lr);
                r.epochEnd = true;
                const std::vector<LogitTable> logits = evaluateAll({&d.testX, &d.trainEvalX});
                if (logits.empty()) {
                    stop = true;
                    cancelled("stopped by the user during the evaluation of epoch " + std::to_string(epoch + 1));
                    break;
                }
                fillEvaluation(r, {logits[0], d.testLabels}, {logits[1], d.trainEvalLabels}, info, d.logPrior);
                summary.recordEvaluation(r);
                observer.onReport(r);
                epochReported = true;
                lossSum = 0;
                lossCount = 0;
            } else if (evaluateMid) {  // a short run's test points within the epoch
                MetricsReport r = baseReport(epoch, lr);
                setProgressTrainErrors(r);
                r.midEpochTest = true;
                const std::vector<LogitTable> logits = evaluateAll({&d.midTestX});
                if (logits.empty()) {
                    stop = true;
                    cancelled("stopped by the user during an evaluation in epoch " + std::to_string(epoch + 1));
                    break;
                }
                fillTestErrors(r, {logits[0], d.midTestLabels}, info);
                r.confusion = {};  // the epoch end's report carries the confusion
                observer.onReport(r);
                lossSum = 0;
                lossCount = 0;
            } else if (step % cfg.train.reportEvery == 0 || lastStepOfEpoch) {
                MetricsReport r = baseReport(epoch, lr);
                setProgressTrainErrors(r);
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
        if (epochReported && checkpointDue) {
            at.epochsDone = epoch + 1;
            at.trainSeconds = seconds(trainTime);
            at.runningSeen = running.seen();
            at.runningWrong = running.wrong();
            at.bestEpoch = summary.bestEpoch;
            at.bestBalancedError = summary.bestBalancedError;
            writeCheckpoint(d.checkpointPath, *d.model, pipe, at, configToJson(cfg));
        }
        if (epoch == firstEpoch) {
            summary.pipeline = pipe.mode();
            if (info.pipeline == "graph" && summary.pipeline != "graph")
                spdlog::warn("the training step runs without CUDA graphs: {}", pipe.fallbackReason());
        }
    }
    if (!stop && control.cancel) cancelled("stopped by the user during evaluation");
    if (summary.status == RunStatus::Finished && summary.hasFinalReport) {
        summary.warning = checkCollapse(summary.finalReport, epochLosses, cfg.train, info.classNames).message();
        if (!summary.warning.empty()) spdlog::warn("{}", summary.warning);
        // τ-normalisation re-reads the test set as features: a stream's images are not held.
        if (const auto head = linearHeadWeight(*d.model); head.defined() && !d.stream) {
            summary.tauNormTaus = tauGrid();
            summary.tauNormBalancedError = tauNormBalancedErrors(
                featuresOf(*d.model, d.testX, kEvalBatch, d.image ? &d.norm : nullptr), head, d.testLabels, summary.tauNormTaus);
        }
    }
    if (summary.status == RunStatus::Finished && summary.hasFinalReport && cfg.train.stage2 != "none")
        continueWithSecondStage({d.model, cfg, info, d.trainX, d.testX, d.trainLabels, d.testLabels,
                                 d.image ? std::optional<Normalization>(d.norm) : std::nullopt},
                                summary, observer, control, seconds(Clock::now() - start));
    summary.wallSeconds = seconds(Clock::now() - start);
    if (groupCalls > 0) {
        summary.allreduceMs = 1000 * groupSeconds / double(groupCalls);
        spdlog::info("data-parallel: {} steps, {:.3f} ms per gradient allreduce ({:.0f}% of the training time)", groupCalls,
                     summary.allreduceMs, 100 * groupSeconds / std::max(1e-9, seconds(trainTime)));
    }
    summary.imgPerSec = seconds(trainTime) > 0 ? double(at.imagesSeen) / seconds(trainTime) : 0.0;
    return summary;
}

void Trainer::setCheckpointPath(std::string path) { impl_->checkpointPath = std::move(path); }

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

void Trainer::releaseData() {
    Impl& d = *impl_;
    d.pipe.reset();
    d.stream.reset();
    d.trainX = d.testX = d.trainY = d.testY = d.midTestX = d.trainEvalX = torch::Tensor();
    d.full.reset();
}

TrainedModel Trainer::trainedModel() const {
    if (!impl_->model) return TrainedModel{impl_->cfg, impl_->info, {}};
    return trainedModelOf(*impl_->model, impl_->cfg, impl_->info);
}

void Trainer::saveModel(const std::string& path) const { saveModelArchive(trainedModel(), path); }

std::vector<NamedTensorBytes> Trainer::stateDict() const {
    return impl_->model ? moduleStateBytes(*impl_->model) : std::vector<NamedTensorBytes>{};
}

} // namespace imblab
