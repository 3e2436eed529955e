// Writes a run's folder: config.json (resolved), metrics.jsonl, summary.json, model.pt and
// model.safetensors; a text run's vocabulary.json (io/vocabulary_file.h) beside them.
#pragma once

#include "api/experiment_config.h"
#include "api/run_info.h"
#include "api/trained_model.h"
#include "api/observer.h"

#include <string>
#include <vector>

namespace imblab {

constexpr const char* kRunVocabularyFile = "vocabulary.json";

// Observer that keeps every report and rewrites metrics.jsonl atomically at each epoch end, so
// a killed run leaves whole lines only.
class RunDirectoryWriter : public TrainingObserver {
public:
    // Creates `dir` if needed (DataError naming it if that fails).
    explicit RunDirectoryWriter(std::string dir);
    void writeConfig(const ExperimentConfig& cfg, const RunInfo& info);
    // Continues a run folder from a checkpoint at `step`: keeps the metrics.jsonl lines up to it
    // (a killed run may have written later ones), DataError naming a broken line.
    void resumeAt(int64_t step);
    void onReport(const MetricsReport& report) override;
    // metrics.jsonl, summary.json and the model (model.pt, model.safetensors).
    // checkpoint.pt, the file trainers write their checkpoints to.
    std::string checkpointPath() const;
    void finish(const RunSummary& summary, const TrainedModel& model);

    const std::string& dir() const { return dir_; }

private:
    void flushMetrics();
    std::string dir_;
    std::vector<std::string> lines_;
};

} // namespace imblab
