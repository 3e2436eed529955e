// Where a prepared run's data lives: the splits as tensors on the model's device, or its images
// in (pinned) host memory when they would crowd the GPU (training/data_residency.h); the labels,
// the normalisation and the rows a mid-epoch evaluation reads.
#include "training/trainer_impl.h"

#include "data/dataset.h"
#include "models/model_factory.h"
#include "training/data_residency.h"
#include "training/evaluation_plan.h"
#include "training/split_tensor.h"

#include <spdlog/spdlog.h>

namespace imblab {

void Trainer::Impl::placeData(const Dataset& ds, const ModelInput& input) {
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
    info.evaluationsPerEpoch = evaluationsPerEpoch(cfg.train.epochs, info.stepsPerEpoch);
    midEvaluationSteps = midEpochEvaluationSteps(info.evaluationsPerEpoch, info.stepsPerEpoch);
    if (!midEvaluationSteps.empty()) {
        const int64_t stride = midEpochTestStride(info.testSize);
        midTestX = stride == 1 ? testX : testX.slice(0, 0, info.testSize, stride).contiguous();
        for (int64_t i = 0; i < info.testSize; i += stride) midTestLabels.push_back(testLabels[size_t(i)]);
        info.midEpochTestRows = int64_t(midTestLabels.size());
    }
}

} // namespace imblab
