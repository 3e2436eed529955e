// validateConfig (api/engine.h): every field's range and name, and settings that could never take
// effect in the run they are given to. One place, read by the CLI, config files and the app.
#include "api/engine.h"

#include "data/dataset_loader.h"
#include "data/dataset_manifest.h"
#include "data/imbalance_profile.h"
#include "errors.h"
#include "losses/loss_factory.h"
#include "models/model_names.h"
#include "training/rebalancing.h"

#include <cstdio>

namespace imblab {

namespace {

void requireOneOf(const std::string& value, std::initializer_list<const char*> allowed, const char* field) {
    std::string list;
    for (const char* a : allowed) {
        if (value == a) return;
        list += (list.empty() ? "" : ", ") + std::string(a);
    }
    throw ConfigError(field, "unknown value '" + value + "' (expected " + list + ")");
}

std::string show(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

template <typename T>
void requireRange(T value, T lo, T hi, const char* field) {
    if (!(value >= lo && value <= hi))
        throw ConfigError(field, "must be between " + show(double(lo)) + " and " + show(double(hi)) + ", got " +
                                     show(double(value)));
}

// Text datasets take the text models and the reverse; their words cannot be mixed or cut.
void validateTextSettings(const ExperimentConfig& cfg) {
    const DatasetConfig& d = cfg.dataset;
    const bool text = isTextDatasetId(d.id), textModel = isTextModel(cfg.train.model);
    if (!d.classOrder.empty() && !isOwnDataId(d.id))
        throw ConfigError("dataset.class_order", "only your own data's classes can be reordered (folders, lists, tables, texts)");
    if (text && !textModel)
        throw ConfigError("train.model", "'" + cfg.train.model + "' reads images or feature rows; " + d.id +
                                             " holds texts: use textbag (seconds on a CPU) or bilstm (the paper's Table 1)");
    if (!text && textModel)
        throw ConfigError("train.model", "'" + cfg.train.model + "' reads texts; " + d.id +
                                             " is not a text dataset (use --dataset text, spamassassin or debian-packages)");
    requireRange(d.maxTokens, 1, 100000, "dataset.max_tokens");
    requireRange(d.vocabSize, 3, 10000000, "dataset.vocab_size");
    requireRange(d.minCount, 1, 1000000000, "dataset.min_count");
    requireOneOf(d.spamClasses, {"ham-spam", "groups"}, "dataset.spam_classes");
    requireRange(cfg.train.embeddingDim, 1, 4096, "train.embedding_dim");
    requireRange(cfg.train.lstmHidden, 1, 4096, "train.lstm_hidden");
    if (text && cfg.train.mixup > 0)
        throw ConfigError("train.mixup", "mixup blends two inputs; a text's word ids cannot be blended (every other method, "
                                         "schedule and second stage works on texts)");
    if (text && cfg.train.cutmix > 0) throw ConfigError("train.cutmix", "CutMix pastes image boxes; this dataset holds texts");
    if (text && cfg.train.precision == "bf16")
        throw ConfigError("train.precision", "the text models train in fp32 (their LSTM is our own fp32 kernel)");
}

} // namespace

void validateConfig(const ExperimentConfig& cfg) {
    if (cfg.version != 1) throw ConfigError("version", "unsupported config version " + std::to_string(cfg.version) + " (this build reads version 1)");
    DatasetManifest::builtin().find(cfg.dataset.id);
    parseProfile(cfg.dataset.profile);
    ImbalanceProfile(imbalanceSpec(cfg.dataset));  // ρ and μ ranges
    requireRange(cfg.dataset.blobsClasses, 2, 10, "dataset.blobs_classes");
    requireRange<int64_t>(cfg.dataset.blobsPerClass, 1, 100000, "dataset.blobs_per_class");
    requireRange(cfg.dataset.imageSize, 8, 512, "dataset.image_size");
    if (cfg.dataset.channels != 0 && cfg.dataset.channels != 1 && cfg.dataset.channels != 3)
        throw ConfigError("dataset.channels", "must be 1, 3 or 0 (3 if any file is colour), got " + std::to_string(cfg.dataset.channels));
    requireOneOf(cfg.dataset.pipeline, {"auto", "decoded", "stream"}, "dataset.pipeline");
    if (cfg.dataset.pipeline == "stream" && !DatasetManifest::builtin().find(cfg.dataset.id).isImageListing())
        throw ConfigError("dataset.pipeline", "streams image files (folders, lists, iNaturalist, Tiny ImageNet); " + cfg.dataset.id +
                                                  " is read whole");
    requireOneOf(cfg.dataset.crop, {"random-resized", "random"}, "dataset.crop");
    if (cfg.dataset.resize != 0 && (cfg.dataset.resize < cfg.dataset.imageSize || cfg.dataset.resize > 4 * cfg.dataset.imageSize))
        throw ConfigError("dataset.resize", "the shorter side before the " + std::to_string(cfg.dataset.imageSize) +
                                                " px crop must lie in " + std::to_string(cfg.dataset.imageSize) + ".." +
                                                std::to_string(4 * cfg.dataset.imageSize) + " (0: size·256/224)");
    if (!(cfg.dataset.testSplit > 0 && cfg.dataset.testSplit < 1))
        throw ConfigError("dataset.test_split", "must lie between 0 and 1 (exclusive), got " + show(cfg.dataset.testSplit));
    requireOneOf(cfg.train.model, {"mlp", "cnn", "resnet32", "resnet10", "resnet18", "resnet50", "textbag", "bilstm"},
                 "train.model");
    validateTextSettings(cfg);
    if (!findLossKind(cfg.loss.type))
        throw ConfigError("loss.type", "unknown value '" + cfg.loss.type + "' (expected " + lossKindList() + ")");
    makeLoss(cfg.loss, {10, 1});  // parameter ranges
    RebalanceSchedule(cfg.rebalance, {10, 1}, 0);
    requireRange(cfg.train.epochs, 1, 100000, "train.epochs");
    // An explicit switch at or after the last epoch would leave the whole run plain ERM while
    // its name and report say otherwise.
    if (cfg.rebalance.type != "none" && cfg.rebalance.deferred && cfg.rebalance.deferEpoch >= cfg.train.epochs)
        throw ConfigError("rebalance.defer_epoch",
                          "the re-balancing switch at epoch " + std::to_string(cfg.rebalance.deferEpoch + 1) +
                              " falls after the last epoch (" + std::to_string(cfg.train.epochs) +
                              "): choose an earlier epoch, more epochs, or the first LR decay (auto)");
    // Re-sampling switches at an epoch start; a one-epoch run has none after its first.
    const bool resamples = cfg.rebalance.type == "rs" || cfg.rebalance.type == "cb-rs";
    if (resamples && cfg.rebalance.deferred && cfg.rebalance.deferEpoch < 0 && cfg.train.epochs < 2)
        throw ConfigError("train.epochs", "deferred re-sampling (DRS) switches at the start of an epoch: give the run at "
                                          "least 2 epochs, or use deferred re-weighting (DRW), which can switch within one");
    requireRange(cfg.train.batchSize, 1, 1 << 20, "train.batch_size");
    requireRange(cfg.train.cropPad, 0, 64, "train.crop_pad");
    requireRange(cfg.train.lr, 0.0, 1e6, "train.lr");
    if (!(cfg.train.lr > 0)) throw ConfigError("train.lr", "must be positive");
    requireRange(cfg.train.momentum, 0.0, 1.0, "train.momentum");
    requireRange(cfg.train.weightDecay, 0.0, 1.0, "train.weight_decay");
    requireOneOf(cfg.train.optimizer, {"sgd", "adam"}, "train.optimizer");
    requireOneOf(cfg.train.schedule, {"official", "constant", "step", "cosine"}, "train.schedule");
    if (!cfg.train.lrDecayEpochs.empty()) {
        if (cfg.train.schedule != "step")
            throw ConfigError("train.lr_decay_epochs", "sets the decays of the step schedule; this run's is '" + cfg.train.schedule + "'");
        for (size_t i = 0; i < cfg.train.lrDecayEpochs.size(); ++i) {
            const int e = cfg.train.lrDecayEpochs[i];
            if (e < 1 || e >= cfg.train.epochs)
                throw ConfigError("train.lr_decay_epochs", "a decay at epoch " + std::to_string(e) + " falls outside the run's 1.." +
                                                               std::to_string(cfg.train.epochs - 1));
            if (i > 0 && e <= cfg.train.lrDecayEpochs[i - 1])
                throw ConfigError("train.lr_decay_epochs", "must rise: " + std::to_string(e) + " follows " +
                                                               std::to_string(cfg.train.lrDecayEpochs[i - 1]));
        }
    }
    requireOneOf(cfg.train.device, {"auto", "cpu", "cuda"}, "train.device");
    requireRange(cfg.train.reportEvery, 1, 1000000, "train.report_every");
    requireRange(cfg.train.marginEvery, 1, 100000, "train.margin_every");
    requireRange(cfg.train.threads, 0, 1024, "train.threads");
    requireRange(cfg.train.dataThreads, 0, 1024, "train.data_threads");
    requireRange(cfg.train.mlpHidden, 1, 4096, "train.mlp_hidden");
    requireRange(cfg.train.checkpointEvery, 0, 100000, "train.checkpoint_every");
    requireOneOf(cfg.train.pipeline, {"auto", "host", "device", "graph"}, "train.pipeline");
    requireOneOf(cfg.train.dataResidency, {"auto", "device", "stream"}, "train.data_residency");
    requireOneOf(cfg.train.precision, {"fp32", "bf16", "auto"}, "train.precision");
    requireRange(cfg.train.mixup, 0.0, 100.0, "train.mixup");
    requireRange(cfg.train.cutmix, 0.0, 100.0, "train.cutmix");
    if (cfg.train.mixup > 0 && cfg.train.cutmix > 0)
        throw ConfigError("train.cutmix", "mixup and CutMix are alternatives: set one of them (the other 0)");
    if (cfg.train.cutmix > 0 && cfg.dataset.id == "blobs")
        throw ConfigError("train.cutmix", "CutMix pastes image boxes; the blobs are 2-D points (use mixup)");
    requireRange(cfg.train.sam, 0.0, 10.0, "train.sam");
    if (cfg.train.imbsam && !(cfg.train.sam > 0))
        throw ConfigError("train.imbsam", "ImbSAM is SAM on the tail classes' loss: give SAM a radius (train.sam > 0)");
    requireRange(cfg.train.maxNorm, 0.0, 1e6, "train.max_norm");
    requireOneOf(cfg.train.stage2, {"none", "crt", "lws", "tau-norm", "mislas", "wb"}, "train.stage2");
    requireRange(cfg.train.stage2Epochs, 1, 100000, "train.stage2_epochs");
    if (!(cfg.train.stage2Lr >= 0 && cfg.train.stage2Lr <= 100))
        throw ConfigError("train.stage2_lr", "must lie in [0, 100] (0: the stage's paper value), got " + show(cfg.train.stage2Lr));
    if (cfg.train.stage2 != "none" && cfg.loss.usesNormalizedHead())
        throw ConfigError("train.stage2", "the " + cfg.loss.type + " loss trains a cosine head with unit class vectors; the second "
                                          "stages re-train or rescale a linear head (use ce, la, bsm, vs or focal)");
    if (cfg.train.maxNorm > 0 && cfg.loss.usesNormalizedHead())
        throw ConfigError("train.max_norm", "the " + cfg.loss.type + " loss trains a cosine head whose class vectors are "
                                            "normalised already; MaxNorm bounds a linear head's rows (use ce, la, bsm, vs or focal)");
}

} // namespace imblab
