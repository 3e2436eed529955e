// Everything the UI keeps of one run: config, resolved info, its reports and how it ended.
#pragma once

#include "api/experiment_config.h"
#include "api/metrics_report.h"
#include "api/run_info.h"
#include "api/trained_model.h"

#include <QString>

#include <memory>
#include <vector>

namespace imblab::ui {

struct RunRecord {
    int id = 0;
    ExperimentConfig config;
    RunInfo info;
    bool hasInfo = false;
    std::vector<MetricsReport> epochReports;  // full evaluations (test predictions only on the last)
    std::vector<MetricsReport> stepReports;   // progress between evaluations, decimated (bounded)
    int stepThinnings = 0;  // how often stepReports was thinned (charts redraw in full after one)
    bool finished = false;
    bool queued = false;  // waiting in the grid queue (RunQueue), not started yet
    RunSummary summary;
    QString error;  // set when the run could not start or failed
    std::shared_ptr<const TrainedModel> model;  // the trained weights, for exports
    QString folder;  // a run opened from its folder (File ▸ Open Run Folder), followed while it trains

    QString title() const;        // "#3 LDAM-DRW · exp ρ=100"
    // The start of every file exported from this run, so files name the run they came from:
    // "run3_ldam-drw_fashion-mnist_exp-rho100".
    QString fileStem() const;
    QString statusText() const;   // queued, running, following, finished, collapsed, stopped, failed
    // Where and how it trained, what its numbers depend on besides the settings (a CPU run's
    // sums split by thread): "cpu (2 threads, LibTorch 2.1.2), device pipeline, fp32 (auto)".
    QString computeText() const;
    // Epochs the curves span: the run's, plus its second stage's (one for τ-norm).
    int plannedEpochs() const;
    const MetricsReport* lastEpoch() const { return epochReports.empty() ? nullptr : &epochReports.back(); }

    // Appends a report, keeping memory bounded: step reports are thinned by half whenever
    // they exceed kMaxStepReports (a short run's mid-epoch test points are kept); only the
    // newest epoch report keeps its test predictions.
    void add(const MetricsReport& r);
    static constexpr size_t kMaxStepReports = 2000;
};

} // namespace imblab::ui
