// Progress on stderr while training: a live line on a terminal, plain log lines otherwise.
#pragma once

#include "api/run_info.h"
#include "api/observer.h"
#include "data/dataset_loader.h"
#include "models/model_names.h"

#include <string>

namespace imblab {

class CliProgress : public TrainingObserver {
public:
    CliProgress(std::string label, int epochs, bool quiet = false);
    void setUnit(std::string unit) { unit_ = std::move(unit); }  // "img/s", or "texts/s" for text models
    void onReport(const MetricsReport& r) override;
    void finish(const RunSummary& s);

private:
    std::string label_;
    int epochs_;
    bool tty_, quiet_;
    double lastBalanced_ = -1;
    bool firstSeen_ = false;
    std::string unit_ = "img/s";
};

// Decoding an image folder or list: a live "decoding N / M files" line on a terminal (nothing
// when stderr is not one: the log's final "decoded ..." line says it then).
LoadProgress decodeProgressOnTerminal();

class RunDirectoryWriter;

// What train and sweep observe: the progress line, plus the run folder's files when writing one.
class CliRunObserver : public TrainingObserver {
public:
    CliRunObserver(std::string label, int epochs, RunDirectoryWriter* writer, const std::string& model = {})
        : progress(std::move(label), epochs), writer_(writer) {
        progress.setUnit(throughputUnit(model));
    }
    void onReport(const MetricsReport& r) override;

    CliProgress progress;

private:
    RunDirectoryWriter* writer_;
};

} // namespace imblab
