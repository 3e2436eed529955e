// The trainer's torch state (Trainer::Impl), shared by trainer.cpp and trainer_benchmark.cpp.
#pragma once

#include "training/trainer.h"

#include "data/vocabulary.h"

#include "losses/loss.h"
#include "models/classifier.h"
#include "training/augment.h"
#include "training/lr_schedule.h"
#include "training/rebalancing.h"
#include "training/step_pipeline.h"

#include <torch/torch.h>

#include <memory>
#include <vector>

namespace imblab {

struct Dataset;
struct ModelInput;
class ImageStream;

struct Trainer::Impl {
    ExperimentConfig cfg;
    std::shared_ptr<const Dataset> full;
    RunInfo info;
    bool prepared = false;

    torch::Device device{torch::kCPU};
    std::shared_ptr<Classifier> model;
    std::unique_ptr<Loss> loss;
    std::unique_ptr<RebalanceSchedule> rebalance;
    RunSchedule schedule;
    Normalization norm;
    bool image = true;
    bool text = false;
    Vocabulary vocab;                  // texts: the kept training subset's (data/vocabulary.h)
    std::vector<int64_t> trainLengths; // texts: words per training example, for batches of similar length
    std::vector<double> logPrior;

    std::shared_ptr<Communicator> group;  // data-parallel group; null when alone
    std::unique_ptr<StepPipeline> pipe;  // made when a run (or benchmark) starts
    std::string checkpointPath, resumePath;

    // uint8 images (padded to the model input) or float features; on the model's device, or in
    // host memory when streamData (training/data_residency.h; the labels stay on the device)
    torch::Tensor trainX, testX;
    bool streamData = false;
    torch::Tensor trainY, testY;
    std::vector<int64_t> trainLabels, testLabels;
    // Streamed images (training/image_stream.h): the train then the test files, decoded as the
    // steps and evaluations need them; trainX and testX then hold rows of it.
    std::unique_ptr<ImageStream> stream;
    // The training examples an epoch-end evaluation reads (train error, margins): all of them,
    // or for a stream a class-stratified sample of at most kStreamTrainEvaluationRows.
    torch::Tensor trainEvalX;
    std::vector<int64_t> trainEvalLabels;
    torch::Tensor midTestX;                // the test rows a mid-epoch evaluation reads (evaluation_plan.h)
    std::vector<int64_t> midTestLabels;
    std::vector<int64_t> midEvaluationSteps;  // steps within an epoch followed by one

    int64_t batch() const { return std::min<int64_t>(cfg.train.batchSize, info.trainSize); }
    // The pipeline info.pipeline names (host, or device/graph for SGD), over the prepared data.
    void makePipeline();
    // The splits as tensors (trainX/testX in host memory when streamData), labels, normalisation
    // and the mid-epoch test rows, with what info says of them (trainer_data.cpp).
    void placeData(const Dataset& ds, const ModelInput& input);
    void placeStream(const Dataset& ds, const ModelInput& input);
    void placeMidEpochTestRows();
};

} // namespace imblab
