// What a prepared run resolved (counts, margins, weights, schedule), and how it ended.
#pragma once

#include "api/metrics_report.h"

#include <cstdint>
#include <string>
#include <vector>

namespace imblab {

struct RunInfo {
    std::vector<std::string> classNames;
    std::vector<int64_t> classCounts;  // n_j of the imbalanced training set
    std::vector<bool> minority;        // n_j < √(n_max·n_min)
    int64_t nMax = 0;
    int64_t trainSize = 0, testSize = 0;
    int64_t stepsPerEpoch = 0;
    std::vector<double> deltas;        // Δ_j of the loss (empty when none)
    std::vector<double> classWeights;  // w_j once re-balancing is in force (empty under ERM)
    int rebalanceEpoch = 0;            // 0-based epoch from which re-balancing is in force
    int warmupEpochs = 0, decay1Epoch = 0, decay2Epoch = 0;  // resolved LR schedule (0-based)
    // Where the decays and the re-balancing switch fall, in epochs from the start (fractional when
    // a short run places them by step: scheduleByStep).
    double decay1At = 0, decay2At = 0, rebalanceAt = 0;
    // The LR factor in force after each of the two decays drawn (the official ×0.01 and ×0.0001;
    // a step schedule's ×0.1 and ×0.01); a cosine schedule has no decay point (both At = epochs).
    double decay1Factor = 0.01, decay2Factor = 1e-4;
    bool scheduleByStep = false;
    // Test evaluations per epoch (training/evaluation_plan.h): >1 for short runs, whose
    // mid-epoch evaluations read midEpochTestRows test examples (all, or every stride-th).
    int evaluationsPerEpoch = 1;
    int64_t midEpochTestRows = 0;
    std::string device;                // "cpu" or "cuda"
    // What else makes a CPU run's numbers what they are: kernels split their sums by thread and
    // each BLAS sums in its own order, so the same seed gives the same results only with the same
    // thread count, LibTorch and BLAS library.
    int cpuThreads = 0;                // the threads a CPU run trained with (0 on CUDA)
    std::string libtorchVersion;
    std::string blasLibrary;           // a CPU run's BLAS (util/blas_library.h); empty on CUDA
    std::string pipeline;              // "host", "device" or "graph" (graph may fall back to device)
    // "device" (the images uploaded once) or "stream" (kept in host memory, pinned on CUDA, each
    // batch copied as it is needed), and why (training/data_residency.h).
    std::string dataResidency = "device";
    std::string residencyNote;
    // Images: "decoded" (held in memory) or "stream" (decoded from their files every epoch on a
    // pool of threads, training/image_stream.h), and why (data/streamed_images.h); for a stream,
    // the training examples a train-set evaluation reads (a class-stratified sample).
    std::string dataPipeline = "decoded";
    std::string dataPipelineNote;
    int64_t trainEvaluationRows = 0;
    // The arithmetic the run trains in: train.precision and channels-last, or what "auto"
    // chose (training/speed_probe.h), with the measurement behind it in speedNote.
    std::string precision = "fp32";
    bool channelsLast = false;
    std::string speedNote;
    int64_t parameterCount = 0;
    std::vector<int> inputShape;       // C,H,W (or D; texts: the most words per text) the model takes
    std::vector<int> dataShape;        // C,H,W (or D; texts: max_tokens) of the data, before any padding for the model
    std::vector<double> mean, std;     // per-channel normalisation of the images (x/255 − mean)/std, or
                                       // a CSV table's per-feature standardisation (x − mean)/std
    std::vector<std::string> featureNames;  // CSV tables: the columns, in the model's input order
    // Texts: the training split's vocabulary (id → word; data/vocabulary.h), what every export
    // carries beside the weights. Empty for images and features.
    std::vector<std::string> vocabulary;
    int64_t skippedFiles = 0;          // image folders: files that could not be read
    double predictionScale = 1.0;      // s for LDAM losses, else 1
    std::string splitFingerprint;      // SHA-256 of the kept subset and test set (data/split_fingerprint.h)
};

enum class RunStatus { Finished, Cancelled, Failed };
std::string runStatusName(RunStatus s);

struct RunSummary {
    RunStatus status = RunStatus::Finished;
    std::string message;        // why it failed or stopped
    std::string warning;        // a finished run that learned nothing useful says so (training/collapse_check.h)
    int epochsCompleted = 0;
    double wallSeconds = 0;
    double imgPerSec = 0;       // training throughput (evaluation excluded)
    std::string device;
    std::string pipeline;       // the step pipeline that ran ("graph" only if capture succeeded)
    int worldSize = 1;          // processes of a data-parallel run (1: alone)
    std::string backend;        // their collectives' backend ("gloo"); empty when alone
    double allreduceMs = 0;     // data-parallel: mean time of a step's gradient allreduce
    int sweepRank = -1;         // a distributed sweep's rank that trained this run (world: worldSize)
    // The epoch (0-based, as "epoch") with the lowest balanced test error, and that error:
    // selected on the test set, so optimistic; the last epoch stays the headline. -1: none.
    int bestEpoch = -1;
    double bestBalancedError = 0;
    // τ-normalisation of a linear head after the last epoch (training/tau_norm.h): balanced test
    // error for each τ; empty for the cosine head (LDAM family) or a run without a final report.
    std::vector<double> tauNormTaus, tauNormBalancedError;
    bool hasFinalReport = false;
    MetricsReport finalReport;  // the last epoch-end report

    // Keeps an epoch-end evaluation as the last one, and as the best when it is.
    void recordEvaluation(const MetricsReport& r) {
        if (bestEpoch < 0 || r.balancedError < bestBalancedError) {
            bestEpoch = r.epoch;
            bestBalancedError = r.balancedError;
        }
        finalReport = r;
        hasFinalReport = true;
        epochsCompleted = r.epoch + 1;
    }
};

} // namespace imblab
