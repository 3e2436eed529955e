// Strict JSON ↔ ExperimentConfig mapping.
#include "io/config_json.h"

#include "data/dataset_manifest.h"
#include "errors.h"
#include "models/model_names.h"
#include "util/embedded_resources.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

namespace imblab {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

// Reads the members of one JSON object into fields, rejecting unknown keys and wrong types.
class ObjectReader {
public:
    ObjectReader(const json& obj, std::string path) : obj_(obj), path_(std::move(path)) {
        if (!obj_.is_object()) throw ConfigError(path_.empty() ? "config" : path_, "must be a JSON object");
    }

    template <typename T>
    ObjectReader& field(const char* key, T& out) {
        known_.push_back(key);
        auto it = obj_.find(key);
        if (it == obj_.end()) return *this;
        const std::string name = qualified(key);
        try {
            if constexpr (std::is_same_v<T, bool>) {
                if (!it->is_boolean()) throw ConfigError(name, "must be true or false");
            } else if constexpr (std::is_same_v<T, std::string>) {
                if (!it->is_string()) throw ConfigError(name, "must be a string");
            } else if constexpr (std::is_integral_v<T>) {
                if (!it->is_number_integer()) throw ConfigError(name, "must be an integer");
                if constexpr (std::is_unsigned_v<T>)
                    if (it->is_number_integer() && !it->is_number_unsigned()) throw ConfigError(name, "must be ≥ 0");
            } else {
                if (!it->is_number()) throw ConfigError(name, "must be a number");
            }
            out = it->get<T>();
        } catch (const json::exception& e) {
            throw ConfigError(name, std::string("has the wrong type: ") + e.what());
        }
        return *this;
    }

    ObjectReader& stringList(const char* key, std::vector<std::string>& out) {
        known_.push_back(key);
        auto it = obj_.find(key);
        if (it == obj_.end()) return *this;
        if (!it->is_array()) throw ConfigError(qualified(key), "must be a list of strings");
        std::vector<std::string> values;
        for (const auto& v : *it) {
            if (!v.is_string()) throw ConfigError(qualified(key), "must be a list of strings");
            values.push_back(v.get<std::string>());
        }
        out = std::move(values);
        return *this;
    }

    ObjectReader& intList(const char* key, std::vector<int>& out) {
        known_.push_back(key);
        auto it = obj_.find(key);
        if (it == obj_.end()) return *this;
        if (!it->is_array()) throw ConfigError(qualified(key), "must be a list of integers");
        std::vector<int> values;
        for (const auto& v : *it) {
            if (!v.is_number_integer()) throw ConfigError(qualified(key), "must be a list of integers");
            values.push_back(v.get<int>());
        }
        out = std::move(values);
        return *this;
    }

    ObjectReader& optionalNumber(const char* key, std::optional<double>& out) {
        known_.push_back(key);
        auto it = obj_.find(key);
        if (it == obj_.end()) return *this;
        if (it->is_null()) {
            out.reset();
            return *this;
        }
        if (!it->is_number()) throw ConfigError(qualified(key), "must be a number");
        out = it->get<double>();
        return *this;
    }

    ObjectReader& object(const char* key, const std::function<void(ObjectReader&)>& read) {
        known_.push_back(key);
        auto it = obj_.find(key);
        if (it == obj_.end()) return *this;
        ObjectReader sub(*it, qualified(key));
        read(sub);
        sub.rejectUnknown();
        return *this;
    }

    ObjectReader& ignore(const char* key) {
        known_.push_back(key);
        return *this;
    }

    void rejectUnknown() const {
        for (auto it = obj_.begin(); it != obj_.end(); ++it) {
            bool ok = false;
            for (const auto& k : known_) ok = ok || k == it.key();
            if (!ok) {
                std::string list;
                for (const auto& k : known_) list += (list.empty() ? "" : ", ") + k;
                throw ConfigError(qualified(it.key().c_str()), "unknown field (known here: " + list + ")");
            }
        }
    }

private:
    std::string qualified(const char* key) const { return path_.empty() ? key : path_ + "." + key; }

    const json& obj_;
    std::string path_;
    std::vector<std::string> known_;
};

ordered_json toJsonObject(const ExperimentConfig& c) {
    ordered_json j;
    j["version"] = c.version;
    j["name"] = c.name;
    ordered_json d;
    d["id"] = c.dataset.id;
    d["path"] = c.dataset.path;
    d["profile"] = c.dataset.profile;
    d["rho"] = c.dataset.rho;
    d["mu"] = c.dataset.mu;
    d["seed"] = c.dataset.seed;
    d["shuffle_classes"] = c.dataset.shuffleClasses;
    d["blobs_classes"] = c.dataset.blobsClasses;
    d["blobs_per_class"] = c.dataset.blobsPerClass;
    d["blobs_spread"] = c.dataset.blobsSpread;
    d["blobs_separation"] = c.dataset.blobsSeparation;
    d["image_size"] = c.dataset.imageSize;
    d["channels"] = c.dataset.channels;
    d["test_split"] = c.dataset.testSplit;
    d["strict"] = c.dataset.strict;
    // Written only when set: a benchmark's config reads as it always has.
    if (!c.dataset.root.empty()) d["root"] = c.dataset.root;
    if (!c.dataset.classNamesFile.empty()) d["class_names_file"] = c.dataset.classNamesFile;
    if (!c.dataset.testPath.empty()) d["test_path"] = c.dataset.testPath;
    if (!c.dataset.labelColumn.empty()) d["label_column"] = c.dataset.labelColumn;
    if (!c.dataset.classOrder.empty()) d["class_order"] = c.dataset.classOrder;
    if (c.dataset.pipeline != "auto") d["pipeline"] = c.dataset.pipeline;
    if (c.dataset.crop != "random-resized") d["crop"] = c.dataset.crop;
    if (c.dataset.resize != 0) d["resize"] = c.dataset.resize;
    if (isTextDatasetId(c.dataset.id)) {
        d["text_column"] = c.dataset.textColumn;
        d["max_tokens"] = c.dataset.maxTokens;
        d["vocab_size"] = c.dataset.vocabSize;
        d["min_count"] = c.dataset.minCount;
        if (c.dataset.id == "spamassassin") d["spam_classes"] = c.dataset.spamClasses;
    }
    j["dataset"] = d;
    ordered_json l;
    l["type"] = c.loss.type;
    l["s"] = c.loss.s;
    l["max_m"] = c.loss.maxM;
    l["gamma"] = c.loss.gamma ? json(*c.loss.gamma) : json(nullptr);
    l["tau"] = c.loss.tau ? json(*c.loss.tau) : json(nullptr);
    j["loss"] = l;
    ordered_json r;
    r["type"] = c.rebalance.type;
    r["deferred"] = c.rebalance.deferred;
    r["defer_epoch"] = c.rebalance.deferEpoch;
    r["beta"] = c.rebalance.beta;
    j["rebalance"] = r;
    ordered_json t;
    t["model"] = c.train.model;
    t["epochs"] = c.train.epochs;
    t["batch_size"] = c.train.batchSize;
    t["lr"] = c.train.lr;
    t["momentum"] = c.train.momentum;
    t["weight_decay"] = c.train.weightDecay;
    t["optimizer"] = c.train.optimizer;
    t["schedule"] = c.train.schedule;
    if (!c.train.lrDecayEpochs.empty()) t["lr_decay_epochs"] = c.train.lrDecayEpochs;
    t["augment"] = c.train.augment;
    if (c.train.cropPad != 4) t["crop_pad"] = c.train.cropPad;
    t["flip"] = c.train.flip;
    t["seed"] = c.train.seed;
    t["device"] = c.train.device;
    t["report_every"] = c.train.reportEvery;
    t["margin_every"] = c.train.marginEvery;
    t["threads"] = c.train.threads;
    if (c.train.dataThreads != 0) t["data_threads"] = c.train.dataThreads;
    t["mlp_hidden"] = c.train.mlpHidden;
    if (isTextModel(c.train.model)) {
        t["embedding_dim"] = c.train.embeddingDim;
        if (c.train.model == "bilstm") t["lstm_hidden"] = c.train.lstmHidden;
    }
    t["pipeline"] = c.train.pipeline;
    t["data_residency"] = c.train.dataResidency;
    t["precision"] = c.train.precision;
    t["channels_last"] = c.train.channelsLast;
    t["deterministic"] = c.train.deterministic;
    t["checkpoint_every"] = c.train.checkpointEvery;
    t["sync_bn"] = c.train.syncBn;
    t["mixup"] = c.train.mixup;
    t["cutmix"] = c.train.cutmix;
    t["sam"] = c.train.sam;
    t["imbsam"] = c.train.imbsam;
    t["max_norm"] = c.train.maxNorm;
    t["stage2"] = c.train.stage2;
    t["stage2_epochs"] = c.train.stage2Epochs;
    t["stage2_lr"] = c.train.stage2Lr;
    j["train"] = t;
    return j;
}

} // namespace

ExperimentConfig parseConfig(const std::string& text, const std::string& source, const ExperimentConfig& base) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::exception& e) {  // parse errors, and numbers too large for a double (406)
        throw DataError(source, std::string("is not valid JSON: ") + e.what());
    }
    if (!doc.is_object()) throw DataError(source, "must hold a JSON object");
    ExperimentConfig c = base;
    if (doc.contains("version")) {
        if (!doc["version"].is_number_integer()) throw ConfigError("version", "must be an integer");
        const int v = doc["version"].get<int>();
        if (v > 1)
            throw ConfigError("version", "file is version " + std::to_string(v) +
                                             ", written by a newer Imbalance Lab; this build reads version 1");
        if (v < 1) throw ConfigError("version", "must be 1, got " + std::to_string(v));
    }
    ObjectReader root(doc, "");
    root.field("version", c.version)
        .field("name", c.name)
        .object("dataset", [&](ObjectReader& r) {
            r.field("id", c.dataset.id)
                .field("path", c.dataset.path)
                .field("profile", c.dataset.profile)
                .field("rho", c.dataset.rho)
                .field("mu", c.dataset.mu)
                .field("seed", c.dataset.seed)
                .field("shuffle_classes", c.dataset.shuffleClasses)
                .field("blobs_classes", c.dataset.blobsClasses)
                .field("blobs_per_class", c.dataset.blobsPerClass)
                .field("blobs_spread", c.dataset.blobsSpread)
                .field("blobs_separation", c.dataset.blobsSeparation)
                .field("image_size", c.dataset.imageSize)
                .field("channels", c.dataset.channels)
                .field("test_split", c.dataset.testSplit)
                .field("strict", c.dataset.strict)
                .field("root", c.dataset.root)
                .field("class_names_file", c.dataset.classNamesFile)
                .field("test_path", c.dataset.testPath)
                .field("label_column", c.dataset.labelColumn)
                .stringList("class_order", c.dataset.classOrder)
                .field("pipeline", c.dataset.pipeline)
                .field("crop", c.dataset.crop)
                .field("resize", c.dataset.resize)
                .field("text_column", c.dataset.textColumn)
                .field("max_tokens", c.dataset.maxTokens)
                .field("vocab_size", c.dataset.vocabSize)
                .field("min_count", c.dataset.minCount)
                .field("spam_classes", c.dataset.spamClasses);
        })
        .object("loss", [&](ObjectReader& r) {
            r.field("type", c.loss.type)
                .field("s", c.loss.s)
                .field("max_m", c.loss.maxM)
                .optionalNumber("gamma", c.loss.gamma)
                .optionalNumber("tau", c.loss.tau);
        })
        .object("rebalance", [&](ObjectReader& r) {
            r.field("type", c.rebalance.type)
                .field("deferred", c.rebalance.deferred)
                .field("defer_epoch", c.rebalance.deferEpoch)
                .field("beta", c.rebalance.beta);
        })
        .object("train", [&](ObjectReader& r) {
            r.field("model", c.train.model)
                .field("epochs", c.train.epochs)
                .field("batch_size", c.train.batchSize)
                .field("lr", c.train.lr)
                .field("momentum", c.train.momentum)
                .field("weight_decay", c.train.weightDecay)
                .field("optimizer", c.train.optimizer)
                .field("schedule", c.train.schedule)
                .intList("lr_decay_epochs", c.train.lrDecayEpochs)
                .field("augment", c.train.augment)
                .field("crop_pad", c.train.cropPad)
                .field("flip", c.train.flip)
                .field("seed", c.train.seed)
                .field("device", c.train.device)
                .field("report_every", c.train.reportEvery)
                .field("margin_every", c.train.marginEvery)
                .field("threads", c.train.threads)
                .field("data_threads", c.train.dataThreads)
                .field("mlp_hidden", c.train.mlpHidden)
                .field("embedding_dim", c.train.embeddingDim)
                .field("lstm_hidden", c.train.lstmHidden)
                .field("pipeline", c.train.pipeline)
                .field("data_residency", c.train.dataResidency)
                .field("precision", c.train.precision)
                .field("channels_last", c.train.channelsLast)
                .field("deterministic", c.train.deterministic)
                .field("checkpoint_every", c.train.checkpointEvery)
                .field("sync_bn", c.train.syncBn)
                .field("mixup", c.train.mixup)
                .field("cutmix", c.train.cutmix)
                .field("sam", c.train.sam)
                .field("imbsam", c.train.imbsam)
                .field("max_norm", c.train.maxNorm)
                .field("stage2", c.train.stage2)
                .field("stage2_epochs", c.train.stage2Epochs)
                .field("stage2_lr", c.train.stage2Lr);
        })
        .ignore("resolved")
        .ignore("sweep_methods")
        .ignore("runs")
        .ignore("shown_run");
    root.rejectUnknown();
    return c;
}

ExperimentConfig loadConfigFile(const std::string& path, const ExperimentConfig& base) {
    if (!std::filesystem::exists(path)) throw DataError(path, "config file not found");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DataError(path, "cannot be opened for reading");
    std::stringstream ss;
    ss << in.rdbuf();
    try {
        return parseConfig(ss.str(), path, base);
    } catch (const ConfigError& e) {
        throw ConfigError(e.field(), std::string(e.what()).substr(e.field().size() + 2) + " (in " + path + ")");
    }
}

std::string configToJson(const ExperimentConfig& cfg) { return toJsonObject(cfg).dump(2) + "\n"; }

std::vector<std::pair<std::string, std::string>> comparableSettings(const ExperimentConfig& cfg) {
    static const std::set<std::string> notSettings = {
        "version",           "name",          "dataset.seed",       "train.seed",         "train.device",
        "train.pipeline",    "train.data_residency", "train.threads", "train.data_threads", "train.channels_last", "train.deterministic", "train.report_every",
        "train.margin_every", "train.checkpoint_every"};
    std::vector<std::pair<std::string, std::string>> out;
    const ordered_json all = toJsonObject(cfg);  // named: items() does not keep a temporary alive
    for (const auto& [section, members] : all.items()) {
        if (!members.is_object()) {
            if (!notSettings.count(section)) out.emplace_back(section, members.dump());
            continue;
        }
        for (const auto& [key, value] : members.items()) {
            const std::string name = section + "." + key;
            if (notSettings.count(name)) continue;
            out.emplace_back(name, value.is_string() ? value.get<std::string>() : value.dump());
        }
    }
    return out;
}

std::string resolvedConfigToJson(const ExperimentConfig& cfg, const RunInfo& info) {
    ordered_json j = toJsonObject(cfg);
    ordered_json r;
    r["class_names"] = info.classNames;
    r["class_counts"] = info.classCounts;
    r["n_max"] = info.nMax;
    std::vector<int> minority;
    for (size_t c = 0; c < info.minority.size(); ++c)
        if (info.minority[c]) minority.push_back(int(c));
    r["minority_classes"] = minority;
    r["margins"] = info.deltas;
    r["class_weights"] = info.classWeights;
    r["rebalance_from_epoch"] = info.rebalanceEpoch;
    r["schedule"] = {{"warmup_epochs", info.warmupEpochs}, {"lr_decay_epochs", {info.decay1Epoch, info.decay2Epoch}},
                     {"lr_decay_factors", {info.decay1Factor, info.decay2Factor}},
                     {"placed_by_step", info.scheduleByStep},
                     {"lr_decay_at_epoch", {info.decay1At, info.decay2At}},
                     {"rebalance_at_epoch", info.rebalanceAt}};
    r["evaluations_per_epoch"] = info.evaluationsPerEpoch;
    if (info.evaluationsPerEpoch > 1) r["mid_epoch_test_rows"] = info.midEpochTestRows;
    r["device"] = info.device;
    if (info.cpuThreads > 0) r["cpu_threads"] = info.cpuThreads;
    if (!info.libtorchVersion.empty()) r["libtorch"] = info.libtorchVersion;
    if (!info.blasLibrary.empty()) r["blas"] = info.blasLibrary;
    r["pipeline"] = info.pipeline;
    r["data_residency"] = info.dataResidency;
    r["data_residency_note"] = info.residencyNote;
    r["data_pipeline"] = info.dataPipeline;
    if (!info.dataPipelineNote.empty()) r["data_pipeline_note"] = info.dataPipelineNote;
    if (info.trainEvaluationRows > 0) r["train_evaluation_rows"] = info.trainEvaluationRows;
    r["precision"] = info.precision;
    r["channels_last"] = info.channelsLast;
    if (!info.speedNote.empty()) r["speed_note"] = info.speedNote;
    r["parameter_count"] = info.parameterCount;
    r["input_shape"] = info.inputShape;
    r["data_shape"] = info.dataShape;
    r["mean"] = info.mean;
    r["std"] = info.std;
    if (!info.featureNames.empty()) r["feature_names"] = info.featureNames;
    if (!info.vocabulary.empty()) {
        r["vocabulary_size"] = info.vocabulary.size();
        r["vocabulary_file"] = "vocabulary.json";  // io/run_directory.h writes it
    }
    r["skipped_files"] = info.skippedFiles;
    r["train_size"] = info.trainSize;
    r["test_size"] = info.testSize;
    r["steps_per_epoch"] = info.stepsPerEpoch;
    r["prediction_scale"] = info.predictionScale;
    r["split_fingerprint"] = info.splitFingerprint;
    r["shot_split"] = "many > 100, medium 20..100, few < 20 training examples";
    r["minority_rule"] = "n_j < sqrt(n_max * n_min)";
    j["resolved"] = r;
    return j.dump(2) + "\n";
}

std::vector<std::string> presetNames() {
    std::vector<std::string> names;
    for (const auto& p : embeddedResourcePaths("resources/presets/")) {
        std::string n = p.substr(std::string("resources/presets/").size());
        if (n.size() > 5 && n.substr(n.size() - 5) == ".json") names.push_back(n.substr(0, n.size() - 5));
    }
    return names;
}

std::vector<std::string> presetSweepMethods(const std::string& name) {
    loadPreset(name);  // ConfigError for an unknown one
    const json doc = json::parse(embeddedResource("resources/presets/" + name + ".json"));
    return doc.contains("sweep_methods") ? doc["sweep_methods"].get<std::vector<std::string>>() : std::vector<std::string>{};
}

ExperimentConfig loadPreset(const std::string& name) {
    for (const auto& n : presetNames())
        if (n == name) return parseConfig(embeddedResource("resources/presets/" + name + ".json"), "preset " + name);
    std::string list;
    for (const auto& n : presetNames()) list += (list.empty() ? "" : ", ") + n;
    throw ConfigError("preset", "unknown preset '" + name + "' (known: " + list + ")");
}

} // namespace imblab
