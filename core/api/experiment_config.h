// The plain description of an experiment, shared by the CLI, the GUI and session files.
// Field names mirror the JSON schema (core/io/config_json.h), version 1.
#pragma once

#include "api/loss_kinds.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace imblab {

struct DatasetConfig {
    std::string id = "fashion-mnist";  // a manifest id
    std::string path;                  // folder; empty = the manifest's default location
    std::string profile = "exp";       // exp | step | none
    double rho = 100.0;                // imbalance ratio n_max/n_min, ≥ 1
    double mu = 0.5;                   // step profile: fraction of minority classes
    uint64_t seed = 0;                 // which examples are kept
    bool shuffleClasses = false;       // shuffle which classes are minority (by seed)
    // blobs only
    int blobsClasses = 2;
    int64_t blobsPerClass = 500;
    double blobsSpread = 1.0;
    double blobsSeparation = 2.0;
    // image folders (id "folder": path = DIR/<class>/*.png|jpg|jpeg|bmp)
    int imageSize = 32;        // shorter side to N, centre N×N crop
    // How image folders, lists, iNaturalist and Tiny ImageNet reach the model
    // (data/streamed_images.h): decoded once and held in memory, or streamed (decoded from their
    // files every epoch, with the ImageNet transforms); auto = stream when the decoded images
    // would take more than a quarter of the machine's memory.
    std::string pipeline = "auto";     // auto | decoded | stream
    // Streamed sets: the training crop (data/image_crops.h) — random-resized (torchvision's
    // RandomResizedCrop, scale 0.08–1, ratio 3/4–4/3) or random (shorter side to `resize`, a random
    // N×N: the LDAM paper's iNaturalist crop) — and the shorter side before the evaluation's
    // centre N×N (0 = N·256/224: 256 for 224).
    std::string crop = "random-resized";
    int resize = 0;
    int channels = 0;          // 1 | 3; 0 = 3 if any file is colour
    double testSplit = 0.2;    // held-out fraction per class when DIR has no train/ + test/ (val/)
    bool strict = false;       // an unreadable file is an error instead of a skip
    // list files (id "list": path = the training list of "relative/path label" lines)
    std::string root;           // the listed paths' folder; empty = the list file's folder
    std::string classNamesFile; // line i names label i; empty = the label numbers
    // list files and CSV tables: the test split's list or table; empty = the stratified hold-out
    std::string testPath;
    // CSV tables (id "csv": path = the table)
    std::string labelColumn;    // empty = a column named label/class/target/y, else the last
    // Own data: the classes in this order (the step profile's minority classes are the last
    // ones); empty = the source's own order
    std::vector<std::string> classOrder;
    // Text (ids "text", "spamassassin", "debian-packages"; data/text_dataset.h): a table's text
    // column (empty = text, review, …), the words kept per text (the first ones), the vocabulary
    // of the training split (entries counting <pad> and <unk>, occurrences to be kept), and
    // SpamAssassin's classes.
    std::string textColumn;
    int maxTokens = 256;
    int vocabSize = 20000;
    int minCount = 2;
    std::string spamClasses = "ham-spam";  // ham-spam | groups (its five folders)
};

struct LossConfig {
    std::string type = "ce";  // ce | focal | ldam | ldam-hg | margin | la | bsm | vs
    double s = 30.0;          // LDAM scale (official 30; the paper's text says 10)
    double maxM = 0.5;        // LDAM: largest margin Δ
    std::optional<double> gamma;  // focal γ (default 1) or VS γ (default 0.2)
    std::optional<double> tau;    // LA τ (default 1) or VS τ (default 1.2)

    double resolvedGamma() const { return gamma.value_or(type == "vs" ? 0.2 : 1.0); }
    double resolvedTau() const { return tau.value_or(type == "vs" ? 1.2 : 1.0); }
    // The LDAM family trains a normalized (cosine) head, as the official code does.
    bool usesNormalizedHead() const {
        const LossKind* k = findLossKind(type);
        return k && k->normalizedHead;
    }
};

struct RebalanceConfig {
    std::string type = "none";  // none | rw | cb-rw | rs | cb-rs
    bool deferred = false;      // plain ERM until deferEpoch, then `type` (DRW / DRS)
    int deferEpoch = -1;        // 0-based epoch of the switch; -1 = the first LR decay
    double beta = 0.9999;       // class-balanced weights (Cui et al. 2019)
};

struct TrainConfig {
    std::string model = "cnn";        // mlp | cnn | resnet32 | resnet10 | resnet18 | resnet50 | textbag | bilstm
    int epochs = 6;
    int batchSize = 128;
    double lr = 0.1;
    double momentum = 0.9;
    double weightDecay = 2e-4;
    std::string optimizer = "sgd";    // sgd | adam
    // official (warm-up + ×0.01, ×0.0001 decays, scaled from 200 epochs) | constant | step (×0.1 at
    // each of lrDecayEpochs, He et al.'s ImageNet schedule) | cosine (to 0 over the run, per epoch)
    std::string schedule = "official";
    std::vector<int> lrDecayEpochs;   // step: 0-based epochs from which the LR is ×0.1 once more
    bool augment = true;              // random crop with cropPad-pixel zero padding (streamed images: data.crop)
    int cropPad = 4;                  // decoded images: the crop's zero padding (official 4; Tiny ImageNet's 8)
    bool flip = true;                 // random horizontal flip (with augment)
    uint64_t seed = 0;                // model init, sampling and augmentation
    std::string device = "auto";      // auto | cpu | cuda
    int reportEvery = 20;             // steps between progress reports (plus every epoch end)
    int marginEvery = 1;              // epochs between margin/test evaluations
    int threads = 0;                  // CPU threads; 0 = all cores
    int dataThreads = 0;              // streamed images' decoding threads; 0 = the cores (shared by a node's ranks)
    int mlpHidden = 64;               // hidden width of the MLP
    // Text models (models/text_models.h): word embedding width (textbag, bilstm) and the LSTM's
    // hidden width per direction (bilstm).
    int embeddingDim = 128;
    int lstmHidden = 128;
    // How a step is executed (training/device_pipeline.h): host (batches assembled from host
    // draws, one sync per step), device (data, sampling plan, augmentation and metric sums on the
    // device, no per-step sync), graph (device + the step replayed as a CUDA graph; CUDA only,
    // else device). auto = graph on CUDA, host on the CPU.
    std::string pipeline = "auto";    // auto | host | device | graph
    // Where the training and test images live on a GPU (training/data_residency.h): device
    // (uploaded once), stream (pinned host memory, each batch copied as it is needed), auto =
    // stream when the images would take more than half the GPU's free memory. No effect on results.
    std::string dataResidency = "auto";  // auto | device | stream
    std::string precision = "fp32";   // fp32 | bf16 (autocast; master weights stay fp32) | auto (measured:
                                      // training/speed_probe.h; bf16 then also channels-last)
    bool channelsLast = false;        // NHWC activations and conv weights
    bool deterministic = true;        // CUDA: deterministic cuDNN kernels (off: cuDNN autotuning)
    int checkpointEvery = 1;          // epochs between checkpoints (0 = none) when the run has a folder
    // Data-parallel runs (torchrun/srun): BatchNorm statistics over the global batch instead of
    // each rank's rows (models/batch_norm.h). No effect on a run alone.
    bool syncBn = false;
    // Methods since 2019 (docs/methods.md); 0 = off. Mixup or CutMix α (one of the two), SAM's
    // radius ρ, ImbSAM (SAM along the tail classes' loss only; needs sam > 0), and the MaxNorm
    // radius of the classifier rows (weight balancing; linear head only).
    double mixup = 0;
    double cutmix = 0;
    double sam = 0;
    bool imbsam = false;
    double maxNorm = 0;
    // A decoupled second stage after the last epoch (training/second_stage.h): none | crt | lws |
    // tau-norm | mislas | wb, with its own epochs and LR (0: the stage's paper value, 0.1 and wb's
    // 0.01). Linear heads only.
    std::string stage2 = "none";
    int stage2Epochs = 10;
    double stage2Lr = 0;
};

struct ExperimentConfig {
    int version = 1;
    std::string name;  // free text shown in run lists
    DatasetConfig dataset;
    LossConfig loss;
    RebalanceConfig rebalance;
    TrainConfig train;
};

} // namespace imblab
