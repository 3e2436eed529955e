// Reading a run folder; see run_folder.h.
#include "io/run_folder.h"

#include "errors.h"
#include "io/config_json.h"
#include "io/metrics_json.h"
#include "io/vocabulary_file.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace imblab {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string readAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

template <typename T>
T get(const json& j, const char* key, T fallback) {
    return j.contains(key) && !j[key].is_null() ? j[key].get<T>() : fallback;
}

} // namespace

RunFolderHead readRunFolderHead(const std::string& dir) {
    const fs::path path = fs::path(dir) / "config.json";
    if (!fs::exists(path)) throw DataError(path.string(), "missing: not a run folder (imblab-cli train --out writes one)");
    RunFolderHead head;
    const std::string text = readAll(path);
    head.config = parseConfig(text, path.string());
    try {
        const json all = json::parse(text);
        if (!all.contains("resolved")) throw DataError(path.string(), "has no \"resolved\" section: not written by a run");
        const json& r = all["resolved"];
        RunInfo& i = head.info;
        i.classNames = r.at("class_names").get<std::vector<std::string>>();
        i.classCounts = r.at("class_counts").get<std::vector<int64_t>>();
        if (i.classNames.empty() || i.classNames.size() != i.classCounts.size())
            throw DataError(path.string(), "resolved.class_names and class_counts do not match");
        i.minority.assign(i.classNames.size(), false);
        for (int c : get<std::vector<int>>(r, "minority_classes", {}))
            if (c >= 0 && size_t(c) < i.minority.size()) i.minority[size_t(c)] = true;
        i.nMax = get<int64_t>(r, "n_max", 0);
        i.deltas = get<std::vector<double>>(r, "margins", {});
        i.classWeights = get<std::vector<double>>(r, "class_weights", {});
        i.rebalanceEpoch = get<int>(r, "rebalance_from_epoch", 0);
        if (r.contains("schedule")) {
            const json& s = r["schedule"];
            i.warmupEpochs = get<int>(s, "warmup_epochs", 0);
            const auto decays = get<std::vector<int>>(s, "lr_decay_epochs", {});
            if (decays.size() == 2) i.decay1Epoch = decays[0], i.decay2Epoch = decays[1];
            const auto factors = get<std::vector<double>>(s, "lr_decay_factors", {});
            if (factors.size() == 2) i.decay1Factor = factors[0], i.decay2Factor = factors[1];
            i.scheduleByStep = get<bool>(s, "placed_by_step", false);
            const auto at = get<std::vector<double>>(s, "lr_decay_at_epoch", {});
            if (at.size() == 2) i.decay1At = at[0], i.decay2At = at[1];
            i.rebalanceAt = get<double>(s, "rebalance_at_epoch", double(i.rebalanceEpoch));
        }
        i.evaluationsPerEpoch = get<int>(r, "evaluations_per_epoch", 1);
        i.midEpochTestRows = get<int64_t>(r, "mid_epoch_test_rows", 0);
        i.device = get<std::string>(r, "device", "");
        i.cpuThreads = get<int>(r, "cpu_threads", 0);
        i.libtorchVersion = get<std::string>(r, "libtorch", "");
        i.blasLibrary = get<std::string>(r, "blas", "");
        i.pipeline = get<std::string>(r, "pipeline", "");
        i.dataPipeline = get<std::string>(r, "data_pipeline", "decoded");
        i.dataPipelineNote = get<std::string>(r, "data_pipeline_note", "");
        i.trainEvaluationRows = get<int64_t>(r, "train_evaluation_rows", 0);
        i.precision = get<std::string>(r, "precision", "fp32");
        i.channelsLast = get<bool>(r, "channels_last", false);
        i.speedNote = get<std::string>(r, "speed_note", "");
        i.parameterCount = get<int64_t>(r, "parameter_count", 0);
        i.inputShape = get<std::vector<int>>(r, "input_shape", {});
        i.dataShape = get<std::vector<int>>(r, "data_shape", {});
        i.mean = get<std::vector<double>>(r, "mean", {});
        i.std = get<std::vector<double>>(r, "std", {});
        i.featureNames = get<std::vector<std::string>>(r, "feature_names", {});
        if (r.contains("vocabulary_file"))
            i.vocabulary = readVocabularyFile((fs::path(dir) / r["vocabulary_file"].get<std::string>()).string());
        i.skippedFiles = get<int64_t>(r, "skipped_files", 0);
        i.trainSize = get<int64_t>(r, "train_size", 0);
        i.testSize = get<int64_t>(r, "test_size", 0);
        i.stepsPerEpoch = get<int64_t>(r, "steps_per_epoch", 0);
        i.predictionScale = get<double>(r, "prediction_scale", 1.0);
    } catch (const json::exception& e) {
        throw DataError(path.string(), std::string("resolved section is not readable: ") + e.what());
    }
    return head;
}

namespace {

// Calls `each(line, lineNo)` for every finished line (an unfinished last one is the writer's, still).
template <typename F>
void forEachLine(const fs::path& path, F&& each) {
    if (!fs::exists(path)) return;
    const std::string text = readAll(path);
    size_t start = 0;
    int lineNo = 0;
    while (start < text.size()) {
        const size_t end = text.find('\n', start);
        if (end == std::string::npos) break;
        ++lineNo;
        const std::string line = text.substr(start, end - start);
        start = end + 1;
        if (!line.empty()) each(line, lineNo);
    }
}

} // namespace

std::vector<MetricsReport> readRunFolderMetrics(const std::string& dir) {
    std::vector<MetricsReport> out;
    const fs::path path = fs::path(dir) / "metrics.jsonl";
    forEachLine(path, [&](const std::string& line, int n) {
        out.push_back(reportFromJsonLine(line, path.string() + " line " + std::to_string(n)));
    });
    // Each evaluation's confusion, in a file of its own (io/metrics_json.h).
    const fs::path confusion = fs::path(dir) / kConfusionFile;
    forEachLine(confusion, [&](const std::string& line, int n) {
        attachConfusionLine(line, out, confusion.string() + " line " + std::to_string(n));
    });
    return out;
}

std::optional<RunSummary> readRunFolderOutcome(const std::string& dir) {
    const fs::path path = fs::path(dir) / "summary.json";
    if (!fs::exists(path)) return std::nullopt;
    RunSummary s;
    try {
        const json j = json::parse(readAll(path));
        const std::string status = get<std::string>(j, "status", "");
        if (status == "finished") s.status = RunStatus::Finished;
        else if (status == "cancelled") s.status = RunStatus::Cancelled;
        else if (status == "failed") s.status = RunStatus::Failed;
        else throw DataError(path.string(), "status '" + status + "' is not finished, cancelled or failed");
        s.message = get<std::string>(j, "message", "");
        s.warning = get<std::string>(j, "warning", "");
        s.epochsCompleted = get<int>(j, "epochs_completed", 0);
        s.wallSeconds = get<double>(j, "wall_seconds", 0.0);
        s.imgPerSec = get<double>(j, "img_per_s", 0.0);
        s.device = get<std::string>(j, "device", "");
        s.pipeline = get<std::string>(j, "pipeline", "");
        s.worldSize = get<int>(j, "world_size", 1);
        s.backend = get<std::string>(j, "backend", "");
    } catch (const json::exception& e) {
        throw DataError(path.string(), std::string("is not a readable summary: ") + e.what());
    }
    return s;
}

} // namespace imblab
