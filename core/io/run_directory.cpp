// The files of a run folder; every one written atomically.
#include "io/run_directory.h"

#include "errors.h"
#include "io/atomic_file.h"
#include "io/config_json.h"
#include "io/metrics_json.h"
#include "io/model_export.h"
#include "io/run_folder.h"
#include "io/vocabulary_file.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace imblab {

namespace fs = std::filesystem;

RunDirectoryWriter::RunDirectoryWriter(std::string dir) : dir_(std::move(dir)) {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec || !fs::is_directory(dir_)) throw DataError(dir_, "cannot create the output folder: " + ec.message());
}

void RunDirectoryWriter::writeConfig(const ExperimentConfig& cfg, const RunInfo& info) {
    if (!info.vocabulary.empty())  // before the config that names it: a reader never finds one without the other
        writeTextAtomically((fs::path(dir_) / kRunVocabularyFile).string(), vocabularyJson(info.vocabulary, cfg.dataset.maxTokens));
    writeTextAtomically((fs::path(dir_) / "config.json").string(), resolvedConfigToJson(cfg, info));
    writeTextAtomically((fs::path(dir_) / kConfusionFile).string(), "");  // a new run: another run's confusions go
}

void RunDirectoryWriter::resumeAt(int64_t step) {
    lines_.clear();
    {  // the confusions up to the checkpoint, as the metrics below
        std::ifstream in((fs::path(dir_) / kConfusionFile).string());
        std::string text, line;
        while (std::getline(in, line)) {
            const auto j = nlohmann::json::parse(line, nullptr, false);  // a cut last line is discarded
            if (!j.is_discarded() && j.is_object() && j.value("step", int64_t(-1)) <= step) text += line + "\n";
        }
        writeTextAtomically((fs::path(dir_) / kConfusionFile).string(), text);
    }
    const std::string path = (fs::path(dir_) / "metrics.jsonl").string();
    std::ifstream in(path);
    std::string line;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (line.empty()) continue;
        const MetricsReport r = reportFromJsonLine(line, path + " line " + std::to_string(lineNo));
        if (r.step <= step) lines_.push_back(line);
    }
}

std::string RunDirectoryWriter::checkpointPath() const { return (fs::path(dir_) / "checkpoint.pt").string(); }

void RunDirectoryWriter::onReport(const MetricsReport& report) {
    lines_.push_back(reportToJsonLine(report, false));
    if (report.epochEnd) {
        // Appended, not rewritten: at 8 142 classes each line is a few hundred kB. A line cut by
        // a kill is unfinished, and readers leave it; resumeAt() drops it.
        std::ofstream out((fs::path(dir_) / kConfusionFile).string(), std::ios::app);
        out << confusionToJsonLine(report) << '\n';
        flushMetrics();
    }
}

void RunDirectoryWriter::flushMetrics() {
    std::string text;
    for (const auto& l : lines_) text += l + "\n";
    writeTextAtomically((fs::path(dir_) / "metrics.jsonl").string(), text);
}

void RunDirectoryWriter::finish(const RunSummary& summary, const TrainedModel& model) {
    flushMetrics();
    writeTextAtomically((fs::path(dir_) / "summary.json").string(), summaryToJson(summary, model.info));
    saveModelArchive(model, (fs::path(dir_) / "model.pt").string());
    exportSafetensors(model, (fs::path(dir_) / "model.safetensors").string());
}

} // namespace imblab
