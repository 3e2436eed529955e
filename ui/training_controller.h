// Owns the worker thread of each run. The run's observer pushes copies of its info and reports
// into one bounded buffer; one GUI timer (100 ms, so charts redraw at most 10 times a second)
// drains it and emits them in order in one batch, so the worker never waits for painting and
// redraws are coalesced (PlotJuggler's pattern).
#pragma once

#include "api/decision_grid.h"
#include "api/experiment_config.h"
#include "api/metrics_report.h"
#include "api/run_job.h"
#include "api/run_info.h"
#include "api/trained_model.h"
#include "data/dataset.h"

#include <QObject>
#include <QThread>
#include <QTimer>
#include <QVector>

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>

namespace imblab {
struct RunControl;
}

namespace imblab::ui {

class TrainingWorker;

class TrainingController : public QObject {
    Q_OBJECT
public:
    explicit TrainingController(QObject* parent = nullptr);
    ~TrainingController() override;  // stops a running run and waits for its thread

    // False as soon as finished() or failed() has been delivered, even while the thread winds down.
    bool isRunning() const { return thread_ != nullptr && !delivered_; }
    bool isPaused() const;

    // Starts a run on a new worker thread; `data` is the already loaded balanced dataset (or
    // null to read it from disk). Returns false if a run is already going.
    // `checkpoint`: where the trainer writes its checkpoints (empty: none); `resume`: continue
    // from that checkpoint instead of starting afresh.
    bool start(int runId, const ExperimentConfig& config, std::shared_ptr<const Dataset> data,
               const std::string& checkpoint = {}, bool resume = false);
    // Starts the decoupled second stage config.train.stage2 on `first` (a finished run's model)
    // as run `runId`: its reports continue the first run's epochs.
    bool startSecondStage(int runId, const ExperimentConfig& config, std::shared_ptr<const TrainedModel> first,
                          std::shared_ptr<const Dataset> data);
    void setPaused(bool paused);
    // 2-D runs: evaluate the model over this grid at every evaluation (on the worker thread,
    // between steps) and deliver it with grid(). Set before start().
    void requestDecisionGrid(double x0, double x1, double y0, double y1, int nx, int ny);
    // Pause by itself after every evaluated epoch (step-one-epoch); resume with setPaused(false).
    void setStepMode(bool on);
    // Teaching pace: each epoch takes at least `ms` (the worker waits after the epoch, still
    // answering stop within 10 ms); 0 = as fast as possible. May change during a run.
    void setEpochPace(int ms);
    void stop();  // asks the run to stop; finished() follows within a step
    // Stops and waits at most `ms` for the thread (window close).
    bool stopAndWait(int ms);

    static constexpr size_t kBufferCapacity = 512;  // step reports beyond this are dropped (oldest)
    static constexpr int kDrainMs = 100;

Q_SIGNALS:
    void started(int runId, imblab::RunInfo info);
    void reports(int runId, QVector<imblab::MetricsReport> batch);
    void finished(int runId, imblab::RunSummary summary, std::shared_ptr<const imblab::TrainedModel> model);
    void failed(int runId, QString message);
    // A decision grid and the per-example training margins, taken at the evaluation of `epoch`.
    void grid(int runId, int epoch, imblab::DecisionGrid grid);

private:
    bool launch(int runId, RunJob job);
    void drain();
    void onWorkerDone(int runId);

    friend class TrainingWorker;
    void pushInfo(const RunInfo& info);  // worker thread
    void push(const MetricsReport& r);  // worker thread
    void pushGrid(int epoch, DecisionGrid g);  // worker thread

    QThread* thread_ = nullptr;
    TrainingWorker* worker_ = nullptr;
    std::shared_ptr<RunControl> control_;
    int runId_ = 0;
    bool delivered_ = false;  // finished()/failed() emitted for the current run
    QTimer drainTimer_;
    std::mutex mutex_;
    std::optional<RunInfo> info_;
    std::deque<MetricsReport> buffer_;
    std::deque<std::pair<int, DecisionGrid>> grids_;
    bool wantGrid_ = false;
    DecisionGrid gridSpec_;
    std::atomic<bool> stepMode_{false};
    std::atomic<int> epochPaceMs_{0};
};

} // namespace imblab::ui
