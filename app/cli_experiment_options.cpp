// Flag definitions and their precedence.
#include "cli_experiment_options.h"

#include "api/loss_kinds.h"
#include "api/experiment_defaults.h"
#include "api/experiment_grid.h"
#include "api/methods.h"
#include "models/model_names.h"
#include "data/decoded_cache.h"
#include "data/dataset_manifest.h"
#include "errors.h"
#include "io/config_json.h"

namespace imblab {

void ExperimentOptions::addDatasetFlags(CLI::App& cmd) {
    cmd.add_option("--dataset", dataset, "Dataset id from the manifest: fashion-mnist, mnist, cifar10, cifar100, blobs, "
                                         "folder, list, csv, inat, tiny-imagenet, text, spamassassin, debian-packages");
    cmd.add_option("--data", data, "Folder holding the dataset files (default: the manifest's location); "
                                   "for --dataset folder: DIR/<class>/*.png|jpg|jpeg|bmp; list: the training list file "
                                   "('relative/path label' lines); csv: the table; inat: the training annotation JSON "
                                   "(train2018.json; --test-data val2018.json, --root the images' folder); "
                                   "tiny-imagenet: the tiny-imagenet-200 folder; text: DIR/<class>/*.txt (or "
                                   "DIR/train + DIR/test, aclImdb's layout) or a CSV, TSV or JSON Lines table");
    cmd.add_option("--root", root, "List files: the folder the listed paths are relative to (default: the list's folder)");
    cmd.add_option("--test-list,--test-data", testList, "List files and CSV tables: the test split's list or table "
                                                        "(default: a stratified hold-out, --test-split)");
    cmd.add_option("--class-names", classNames, "List files: a file whose line i names label i (default: the numbers)");
    cmd.add_option("--label-column", labelColumn, "CSV tables: the label column (default: label, class, target or y, "
                                                  "else the last column)");
    cmd.add_option("--text-column", textColumn, "Text tables: the text column (default: text, review, sentence, content, "
                                                "body, message, document or description)");
    cmd.add_option("--class-order", classOrder, "Own data: the classes in this order, comma-separated (the step profile's "
                                                "minority classes are the last ones), e.g. pos,neg");
    cmd.add_option("--max-tokens", maxTokens, "Texts: words kept per text, the first ones (default 256)");
    cmd.add_option("--vocab-size", vocabSize, "Texts: vocabulary entries from the training split, <pad> and <unk> included "
                                              "(default 20000)");
    cmd.add_option("--min-count", minCount, "Texts: occurrences in the training split a word needs to enter the vocabulary "
                                            "(default 2)");
    cmd.add_option("--spam-classes", spamClasses, "SpamAssassin: ham-spam (default) or groups (its five folders)");
    cmd.add_option("--image-size", imageSize, "Image folders and lists: shorter side to N, centre N x N crop (default 32)");
    cmd.add_option("--channels", channels, "Image folders and lists: 1 or 3 (default: 3 if any file is colour)");
    cmd.add_option("--data-pipeline", dataPipeline,
                   "Image folders, lists, inat, tiny-imagenet: decoded (once, held in memory), stream (decoded from the files "
                   "every epoch on a pool of threads, ImageNet transforms) or auto (stream when the decoded images would take "
                   "over a quarter of the memory)");
    cmd.add_option("--crop", crop, "Streamed images: the training crop, random-resized (torchvision's RandomResizedCrop, "
                                   "default) or random (shorter side to --resize, a random N x N: the LDAM paper's iNaturalist crop)");
    cmd.add_option("--resize", resize, "Streamed images: the shorter side before the evaluation's centre N x N crop "
                                       "(default N*256/224: 256 for 224)");
    cmd.add_option("--test-split", testSplit, "Own data without its own test split: held-out fraction per class (default 0.2)");
    cmd.add_flag("--strict", strict, "Image folders and lists: an unreadable file is an error instead of a skip");
    cmd.add_flag("--no-cache", noCache, "Image folders and lists: decode every file again, neither reading nor writing "
                                        "the decoded cache (~/.cache/imblab/decoded, or $IMBLAB_CACHE_DIR)");
    cmd.add_option("--profile", profile, "Imbalance profile: exp, step or none");
    cmd.add_option("--rho", rho, "Imbalance ratio rho = n_max/n_min (>= 1)");
    cmd.add_option("--mu", mu, "Step profile: fraction of minority classes, 0..1");
    cmd.add_option("--data-seed", dataSeed, "Seed of the kept subset (default: --seed)");
}

void ExperimentOptions::addTrainingFlags(CLI::App& cmd) {
    cmd.add_option("--preset", preset, "Start from a built-in preset (fmnist-lt-quick, fmnist-lt-resnet32, paper-cifar10-lt, blobs-teaching)");
    cmd.add_option("--config", configFile, "Start from a config/session JSON file (version 1)");
    cmd.add_option("--method", method, "A named method (the sweep ids: erm, ldam-drw, mixup-drw, ldam-drw-sam, imbsam, ...); "
                                       "--loss, --rebalance and the other flags refine it");
    cmd.add_option("--seed", seed, "Seed of the model init, sampling, augmentation and the kept subset");
    cmd.add_option("--model", model, "mlp, cnn, resnet32 (CIFAR), torchvision's resnet10, resnet18, resnet50 "
                                     "(images of 64-224 px: --image-size), or for texts textbag and bilstm");
    cmd.add_option("--embedding-dim", embeddingDim, "Text models: word embedding width (default 128)");
    cmd.add_option("--lstm-hidden", lstmHidden, "bilstm: hidden width per direction (default 128)");
    cmd.add_option("--loss", loss, lossKindList());
    cmd.add_option("--rebalance", rebalance, "none, rw, cb-rw, rs or cb-rs");
    cmd.add_option("--defer-epoch", deferEpoch,
                   "Deferred re-balancing (DRW/DRS) from this 0-based epoch; 'auto' = the first LR decay");
    cmd.add_option("--epochs", epochs, "Number of epochs");
    cmd.add_option("--batch-size", batchSize, "Batch size");
    cmd.add_option("--lr", lr, "Base learning rate");
    cmd.add_option("--momentum", momentum, "SGD momentum");
    cmd.add_option("--weight-decay", weightDecay, "Weight decay");
    cmd.add_option("--optimizer", optimizer, "sgd or adam");
    cmd.add_option("--schedule", schedule, "LR schedule: official (warm-up, x0.01 and x0.0001 decays at 80 and 90 % of the run), "
                                           "step (x0.1 at each --lr-decay-epochs), cosine (to 0) or constant");
    cmd.add_option("--lr-decay-epochs", lrDecayEpochs, "Step schedule: the epochs from which the LR is x0.1 once more, "
                                                       "comma-separated (default: a third and two thirds of the run)");
    cmd.add_option("--device", device, "auto, cpu or cuda");
    cmd.add_option("--s", s, "LDAM logit scale s (official 30)");
    cmd.add_option("--max-m", maxM, "LDAM largest margin (official 0.5)");
    cmd.add_option("--gamma", gamma, "Focal gamma (default 1) or VS gamma (default 0.2)");
    cmd.add_option("--tau", tau, "Logit-adjustment tau (default 1) or VS tau (default 1.2)");
    cmd.add_option("--beta", beta, "Class-balanced beta (default 0.9999)");
    cmd.add_option("--report-every", reportEvery, "Steps between progress reports");
    cmd.add_option("--threads", threads, "CPU threads (0 = all cores)");
    cmd.add_option("--data-threads", dataThreads, "Streamed images: decoding threads (0 = all cores, shared by a node's ranks)");
    cmd.add_option("--eval-every", evalEvery, "Epochs between full evaluations (test errors, margins); the last epoch always");
    cmd.add_option("--pipeline", pipeline, "Step execution: auto, host, device or graph (CUDA graphs; CUDA only)");
    cmd.add_option("--data-residency", dataResidency,
                   "Where the images live on a GPU: device (uploaded once), stream (pinned host memory, batch by batch) "
                   "or auto (stream when they would take over half the GPU's free memory)");
    cmd.add_option("--precision", precision, "fp32, bf16 (autocast, fp32 master weights) or auto (measured per model and machine, then cached)");
    cmd.add_flag("--channels-last", channelsLast, "NHWC activations and conv weights");
    cmd.add_flag("--nondeterministic", nondeterministic, "CUDA: let cuDNN autotune (fastest kernels, not bit-reproducible)");
    cmd.add_option("--checkpoint-every", checkpointEvery, "Epochs between checkpoints in the run folder (0 = none)");
    cmd.add_flag("--no-augment", noAugment, "No random crop / flip");
    cmd.add_flag("--no-flip", noFlip, "Random crop only, no horizontal flip");
    cmd.add_option("--crop-pad", cropPad, "Decoded images: zero padding of the random crop in pixels (official 4)");
    cmd.add_option("--mixup", mixup, "Mixup with lambda ~ Beta(alpha, alpha) (> 0; bag of tricks: 1; MiSLAS: 0.2)");
    cmd.add_option("--cutmix", cutmix, "CutMix with lambda ~ Beta(alpha, alpha) (> 0; official: 1); not with --mixup");
    cmd.add_option("--sam", sam, "Sharpness-aware minimisation with radius rho (> 0; Rangwani et al.: 0.05-0.8)");
    cmd.add_flag("--imbsam", imbsam, "ImbSAM: SAM along the minority (tail) classes' loss only (with --sam)");
    cmd.add_option("--max-norm", maxNorm, "MaxNorm: bound every class's classifier row to L2 norm <= R (> 0; linear head)");
    cmd.add_flag("--sync-bn", syncBn, "Under torchrun/srun: BatchNorm statistics over the global batch (default: each rank's own)");
}

ExperimentConfig ExperimentOptions::resolve(const std::string& defaultPreset) const {
    ExperimentConfig c;
    const std::string presetName = preset.empty() ? defaultPreset : preset;
    if (!presetName.empty()) c = loadPreset(presetName);
    if (!configFile.empty()) c = loadConfigFile(configFile, c);
    if (method) c = applyMethod(c, findMethod(*method));
    if (dataset) c.dataset.id = *dataset;
    if (data) c.dataset.path = *data;
    // Your own data starts from its natural imbalance: no further subsampling unless asked; a
    // table's rows are feature vectors, which only the MLP takes.
    const bool ownData = dataset && isOwnDataId(*dataset);
    if (ownData && !profile) c.dataset.profile = "none";
    if (dataset && *dataset == "csv" && !model) c.train.model = "mlp";
    // Texts train a text model with Adam unless told otherwise (api/experiment_defaults.h).
    if (dataset && isTextDatasetId(*dataset) && !isTextModel(c.train.model)) applyTextDefaults(c.train, model.value_or("textbag"));
    if (root) c.dataset.root = *root;
    if (testList) c.dataset.testPath = *testList;
    if (classNames) c.dataset.classNamesFile = *classNames;
    if (labelColumn) c.dataset.labelColumn = *labelColumn;
    if (textColumn) c.dataset.textColumn = *textColumn;
    if (classOrder) c.dataset.classOrder = splitList(*classOrder);
    if (maxTokens) c.dataset.maxTokens = *maxTokens;
    if (vocabSize) c.dataset.vocabSize = *vocabSize;
    if (minCount) c.dataset.minCount = *minCount;
    if (spamClasses) c.dataset.spamClasses = *spamClasses;
    if (embeddingDim) c.train.embeddingDim = *embeddingDim;
    if (lstmHidden) c.train.lstmHidden = *lstmHidden;
    if (imageSize) c.dataset.imageSize = *imageSize;
    if (dataPipeline) c.dataset.pipeline = *dataPipeline;
    if (crop) c.dataset.crop = *crop;
    if (resize) c.dataset.resize = *resize;
    if (channels) c.dataset.channels = *channels;
    if (testSplit) c.dataset.testSplit = *testSplit;
    if (strict) c.dataset.strict = true;
    if (noCache) setDecodedCacheFolder("");  // a setting of this process, not of the experiment
    if (profile) c.dataset.profile = *profile;
    if (rho) c.dataset.rho = *rho;
    if (mu) c.dataset.mu = *mu;
    if (seed) {
        c.train.seed = *seed;
        c.dataset.seed = *seed;
    }
    if (dataSeed) c.dataset.seed = *dataSeed;
    if (model) c.train.model = *model;
    if (loss) c.loss.type = *loss;
    if (rebalance) c.rebalance.type = *rebalance;
    if (deferEpoch) {
        c.rebalance.deferred = true;
        if (*deferEpoch == "auto") c.rebalance.deferEpoch = -1;
        else {
            try {
                size_t used = 0;
                c.rebalance.deferEpoch = std::stoi(*deferEpoch, &used);
                if (used != deferEpoch->size() || c.rebalance.deferEpoch < 0) throw std::invalid_argument("");
            } catch (const std::exception&) {
                throw ConfigError("--defer-epoch", "expected a 0-based epoch number or 'auto', got '" + *deferEpoch + "'");
            }
        }
    }
    if (epochs) c.train.epochs = *epochs;
    if (batchSize) c.train.batchSize = *batchSize;
    if (lr) c.train.lr = *lr;
    if (momentum) c.train.momentum = *momentum;
    if (weightDecay) c.train.weightDecay = *weightDecay;
    if (optimizer) c.train.optimizer = *optimizer;
    if (schedule) c.train.schedule = *schedule;
    if (lrDecayEpochs) {
        c.train.lrDecayEpochs.clear();
        for (const std::string& e : splitList(*lrDecayEpochs)) {
            try {
                size_t used = 0;
                c.train.lrDecayEpochs.push_back(std::stoi(e, &used));
                if (used != e.size()) throw std::invalid_argument("");
            } catch (const std::exception&) {
                throw ConfigError("--lr-decay-epochs", "expected comma-separated epoch numbers, got '" + *lrDecayEpochs + "'");
            }
        }
    }
    if (device) c.train.device = *device;
    if (s) c.loss.s = *s;
    if (maxM) c.loss.maxM = *maxM;
    if (gamma) c.loss.gamma = *gamma;
    if (tau) c.loss.tau = *tau;
    if (beta) c.rebalance.beta = *beta;
    if (reportEvery) c.train.reportEvery = *reportEvery;
    if (threads) c.train.threads = *threads;
    if (dataThreads) c.train.dataThreads = *dataThreads;
    if (evalEvery) c.train.marginEvery = *evalEvery;
    if (checkpointEvery) c.train.checkpointEvery = *checkpointEvery;
    if (pipeline) c.train.pipeline = *pipeline;
    if (dataResidency) c.train.dataResidency = *dataResidency;
    if (precision) c.train.precision = *precision;
    if (channelsLast) c.train.channelsLast = true;
    if (nondeterministic) c.train.deterministic = false;
    if (noAugment) c.train.augment = false;
    if (noFlip) c.train.flip = false;
    if (cropPad) c.train.cropPad = *cropPad;
    if (syncBn) c.train.syncBn = true;
    // 0 switches these off in a config file; a flag that is given asks for the method.
    auto positive = [](const std::optional<double>& v, const char* flag, bool zeroAllowed) {
        if (v && !(zeroAllowed ? *v >= 0 : *v > 0))
            throw ConfigError(flag, std::string("must be ") + (zeroAllowed ? "≥ 0" : "> 0") + ", got " + std::to_string(*v));
    };
    positive(mixup, "--mixup", true);
    positive(cutmix, "--cutmix", true);
    positive(sam, "--sam", false);
    positive(maxNorm, "--max-norm", false);
    if (mixup) c.train.mixup = *mixup;
    if (cutmix) c.train.cutmix = *cutmix;
    if (sam) c.train.sam = *sam;
    if (imbsam) c.train.imbsam = true;
    if (maxNorm) c.train.maxNorm = *maxNorm;
    return c;
}

} // namespace imblab
