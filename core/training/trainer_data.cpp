// Where a prepared run's data lives: the splits as tensors on the model's device, or its images
// in (pinned) host memory when they would crowd the GPU (training/data_residency.h); the labels,
// the normalisation and the rows a mid-epoch evaluation reads.
#include "training/trainer_impl.h"

#include "data/dataset.h"
#include "data/streamed_images.h"
#include "distributed/communicator.h"
#include "errors.h"
#include "models/model_factory.h"
#include "training/data_residency.h"
#include "training/evaluation_plan.h"
#include "training/image_stream.h"
#include "training/split_tensor.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

namespace imblab {

void Trainer::Impl::placeData(const Dataset& ds, const ModelInput& input) {
    if (ds.isStreamed()) {
        placeStream(ds, input);
        return;
    }
    ResidencyChoice residency{false, text ? "word ids on the model's device (only images stream)"
                                          : "feature rows on the model's device (only images stream)"};
    if (image) {
        const int64_t bytes = int64_t(ds.train.size() + ds.test.size()) * input.channels * input.height * input.width;
        residency = chooseDataResidency(cfg.train.dataResidency, device.is_cuda(), bytes,
                                        device.is_cuda() ? cudaFreeBytes(device.index()) : -1);
    }
    streamData = residency.stream;
    info.dataResidency = streamData ? "stream" : "device";
    info.residencyNote = residency.note;
    if (streamData || device.is_cuda()) spdlog::info("data: {}", residency.note);
    const torch::Device dataDevice = streamData ? torch::Device(torch::kCPU) : device;
    trainX = splitTensor(ds, ds.train, input, dataDevice, text ? &vocab : nullptr);
    testX = splitTensor(ds, ds.test, input, dataDevice, text ? &vocab : nullptr);
    if (streamData && device.is_cuda()) {  // page-locked: copies to the GPU run asynchronously
        trainX = trainX.pin_memory();
        testX = testX.pin_memory();
    }
    trainLabels = ds.train.labels;
    testLabels = ds.test.labels;
    trainY = torch::tensor(trainLabels, torch::kInt64).to(device);
    testY = torch::tensor(testLabels, torch::kInt64).to(device);
    if (image) norm = Normalization::fromMeanStd(ds.mean, ds.std, device);
    trainEvalX = trainX;
    trainEvalLabels = trainLabels;
    if (int64_t(trainLabels.size()) * ds.numClasses() > kFullTrainEvaluationLogits) {
        const std::vector<int64_t> rows = stratifiedEvaluationRows(trainLabels, ds.numClasses(), kStreamTrainEvaluationRows);
        trainEvalX = trainX.index_select(0, torch::tensor(rows, torch::kInt64).to(trainX.device()));
        trainEvalLabels.clear();
        for (int64_t i : rows) trainEvalLabels.push_back(trainLabels[size_t(i)]);
        info.trainEvaluationRows = int64_t(rows.size());
        spdlog::info("train-set evaluations read {} of {} examples (class-stratified): all of them would give {} logits",
                     rows.size(), trainLabels.size(), int64_t(trainLabels.size()) * ds.numClasses());
    }
    if (image) info.dataPipelineNote = ds.pipelineNote;
    placeMidEpochTestRows();
}

void Trainer::Impl::placeStream(const Dataset& ds, const ModelInput& input) {
    // The device pipeline holds every image on the device; streamed ones come a batch at a time.
    if (info.pipeline != "host" && cfg.train.pipeline != "auto")
        spdlog::info("streamed images run on the host pipeline (the {} pipeline keeps the whole set on the device)", info.pipeline);
    info.pipeline = "host";
    if (cfg.train.stage2 != "none")
        throw ConfigError("train.stage2", "second stages re-read the whole training set as features, which a streamed set "
                                          "(dataset.pipeline stream) does not hold; use --data-pipeline decoded or no second stage");
    if (input.channels != ds.channels || input.height != ds.height || input.width != ds.width)
        throw ConfigError("dataset.image_size", "streamed images reach the model as they are cut (" + std::to_string(ds.height) +
                                                    " px), and " + cfg.train.model + " takes " + std::to_string(input.height) +
                                                    " px: choose an image size of at least that");
    ImageStreamOptions o;
    o.size = ds.height;
    o.channels = ds.channels;
    o.crop = cfg.dataset.crop;
    o.evalResize = evaluationResize(cfg.dataset.imageSize, cfg.dataset.resize);
    o.flip = cfg.train.flip;
    // train.data_threads, else the node's cores shared by its ranks (a rank decodes its rows only).
    const int ranksHere = group ? group->env().localWorldSize : 1;
    o.threads = cfg.train.dataThreads > 0
                    ? cfg.train.dataThreads
                    : std::max(1, int(std::max(1u, std::thread::hardware_concurrency())) / std::max(1, ranksHere));
    o.pinned = device.is_cuda();
    if (!device.is_cuda())  // the decoding threads normalise too: the step takes the batch as it is
        for (size_t c = 0; c < ds.mean.size(); ++c) {
            o.scale.push_back(float(1.0 / (255.0 * ds.std[c])));  // as Normalization::fromMeanStd
            o.shift.push_back(float(-ds.mean[c] / ds.std[c]));
        }
    std::vector<std::string> files = ds.train.files;
    files.insert(files.end(), ds.test.files.begin(), ds.test.files.end());
    stream = std::make_unique<ImageStream>(std::move(files), o);
    const int64_t nTrain = ds.train.size(), nTest = ds.test.size();
    trainX = torch::arange(nTrain, torch::kInt64);
    testX = torch::arange(nTrain, nTrain + nTest, torch::kInt64);
    trainLabels = ds.train.labels;
    testLabels = ds.test.labels;
    trainY = torch::tensor(trainLabels, torch::kInt64).to(device);
    testY = torch::tensor(testLabels, torch::kInt64).to(device);
    norm = Normalization::fromMeanStd(ds.mean, ds.std, device);
    const std::vector<int64_t> evalRows = stratifiedEvaluationRows(trainLabels, ds.numClasses(), kStreamTrainEvaluationRows);
    trainEvalX = torch::tensor(evalRows, torch::kInt64);
    for (int64_t i : evalRows) trainEvalLabels.push_back(trainLabels[size_t(i)]);
    info.dataPipeline = "stream";
    info.dataPipelineNote = ds.pipelineNote;
    info.trainEvaluationRows = int64_t(evalRows.size());
    info.dataResidency = "stream";
    info.residencyNote = "decoded from their files for every batch (" + std::to_string(stream->threads()) + " threads)";
    spdlog::info("data: {}; {} decoding threads, {} px {} crops, evaluation at {} then {} px; train-set evaluations read {} of {} "
                 "examples (class-stratified)",
                 ds.pipelineNote, stream->threads(), o.size, o.crop, o.evalResize, o.size, evalRows.size(), nTrain);
    placeMidEpochTestRows();
}

void Trainer::Impl::placeMidEpochTestRows() {
    info.evaluationsPerEpoch = evaluationsPerEpoch(cfg.train.epochs, info.stepsPerEpoch);
    midEvaluationSteps = midEpochEvaluationSteps(info.evaluationsPerEpoch, info.stepsPerEpoch);
    if (!midEvaluationSteps.empty()) {
        const int64_t stride = midEpochTestStride(info.testSize);
        midTestX = stride == 1 ? testX : testX.slice(0, 0, info.testSize, stride).contiguous();  // rows, for a stream
        for (int64_t i = 0; i < info.testSize; i += stride) midTestLabels.push_back(testLabels[size_t(i)]);
        info.midEpochTestRows = int64_t(midTestLabels.size());
    }
}

} // namespace imblab
