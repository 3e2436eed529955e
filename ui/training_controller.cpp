// Worker lifecycle (OBS's remux pattern: moveToThread, start by signal, stop + quit + wait).
#include "training_controller.h"

#include "errors.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <thread>

namespace imblab::ui {

class TrainingWorker : public QObject, public RunJobObserver {
    Q_OBJECT
public:
    TrainingWorker(TrainingController* owner, int runId, RunJob job, std::shared_ptr<RunControl> control)
        : owner_(owner), runId_(runId), job_(std::move(job)), control_(std::move(control)) {}

    void onStarted(const RunInfo& info) override { owner_->pushInfo(info); }

    void onGrid(int epoch, const DecisionGrid& grid) override { owner_->pushGrid(epoch, grid); }

    void onReport(const MetricsReport& r) override {
        owner_->push(r);
        if (!r.epochEnd) return;
        if (owner_->stepMode_) control_->pause = true;  // the trainer waits before its next step
        if (r.epoch + 1 >= job_.config.train.epochs) return;  // the last epoch: nothing to wait for
        // Pacing: the epoch's remaining time passes here, between steps, so stop stays prompt.
        const auto due = epochStart_ + std::chrono::milliseconds(owner_->epochPaceMs_.load());
        while (std::chrono::steady_clock::now() < due && !control_->cancel)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        epochStart_ = std::chrono::steady_clock::now();
    }

public Q_SLOTS:
    void run() {
        epochStart_ = std::chrono::steady_clock::now();
        try {
            const RunJobResult result = runJob(job_, *this, *control_);
            Q_EMIT finished(runId_, result.summary, result.model);
        } catch (const std::exception& e) {
            spdlog::error("run #{}: {}", runId_, e.what());
            Q_EMIT failed(runId_, QString::fromStdString(e.what()));
        }
        Q_EMIT done(runId_);
    }

Q_SIGNALS:
    void finished(int runId, imblab::RunSummary summary, std::shared_ptr<const imblab::TrainedModel> model);
    void failed(int runId, QString message);
    void done(int runId);

private:
    TrainingController* owner_;
    int runId_;
    RunJob job_;
    std::shared_ptr<RunControl> control_;
    std::chrono::steady_clock::time_point epochStart_;
};

TrainingController::TrainingController(QObject* parent) : QObject(parent) {
    qRegisterMetaType<imblab::RunInfo>("imblab::RunInfo");
    qRegisterMetaType<imblab::RunSummary>("imblab::RunSummary");
    qRegisterMetaType<QVector<imblab::MetricsReport>>("QVector<imblab::MetricsReport>");
    qRegisterMetaType<std::shared_ptr<const imblab::TrainedModel>>("std::shared_ptr<const imblab::TrainedModel>");
    qRegisterMetaType<imblab::DecisionGrid>("imblab::DecisionGrid");
    drainTimer_.setInterval(kDrainMs);
    connect(&drainTimer_, &QTimer::timeout, this, &TrainingController::drain);
}

TrainingController::~TrainingController() { stopAndWait(5000); }

bool TrainingController::isPaused() const { return control_ && control_->pause; }

bool TrainingController::start(int runId, const ExperimentConfig& config, std::shared_ptr<const Dataset> data,
                               const std::string& checkpoint, bool resume) {
    RunJob job;
    job.config = config;
    job.data = std::move(data);
    job.checkpoint = checkpoint;
    job.resume = resume;
    if (wantGrid_) job.gridSpec = gridSpec_;
    return launch(runId, std::move(job));
}

bool TrainingController::startSecondStage(int runId, const ExperimentConfig& config, std::shared_ptr<const TrainedModel> first,
                                          std::shared_ptr<const Dataset> data) {
    RunJob job;
    job.config = config;
    job.data = std::move(data);
    job.continues = std::move(first);
    return launch(runId, std::move(job));
}

bool TrainingController::launch(int runId, RunJob job) {
    if (thread_ && delivered_) onWorkerDone(runId_);  // the last run is over; its thread is ending
    if (thread_) return false;
    delivered_ = false;
    runId_ = runId;
    control_ = std::make_shared<RunControl>();
    thread_ = new QThread(this);
    worker_ = new TrainingWorker(this, runId, std::move(job), control_);
    worker_->moveToThread(thread_);
    connect(thread_, &QThread::started, worker_, &TrainingWorker::run);
    // Queued: these are emitted on the worker thread and handled on the GUI thread.
    connect(worker_, &TrainingWorker::failed, this,
            [this](int id, const QString& msg) {
                drain();
                delivered_ = true;
                Q_EMIT failed(id, msg);
            },
            Qt::QueuedConnection);
    connect(worker_, &TrainingWorker::finished, this,
            [this](int id, const RunSummary& s, const std::shared_ptr<const TrainedModel>& model) {
                drain();  // the last reports arrive before finished()
                delivered_ = true;
                Q_EMIT finished(id, s, model);
            },
            Qt::QueuedConnection);
    connect(worker_, &TrainingWorker::done, this, &TrainingController::onWorkerDone, Qt::QueuedConnection);
    drainTimer_.start();
    thread_->start();
    return true;
}

void TrainingController::requestDecisionGrid(double x0, double x1, double y0, double y1, int nx, int ny) {
    wantGrid_ = true;
    gridSpec_ = DecisionGrid{nx, ny, x0, x1, y0, y1, {}, {}, {}};
}

void TrainingController::setStepMode(bool on) { stepMode_ = on; }
void TrainingController::setEpochPace(int ms) { epochPaceMs_ = std::max(0, ms); }

void TrainingController::pushGrid(int epoch, DecisionGrid g) {
    std::lock_guard<std::mutex> lock(mutex_);
    grids_.emplace_back(epoch, std::move(g));
}

void TrainingController::setPaused(bool paused) {
    if (control_) control_->pause = paused;
}

void TrainingController::stop() {
    if (control_) {
        control_->cancel = true;
        control_->pause = false;
    }
}

bool TrainingController::stopAndWait(int ms) {
    if (!thread_) return true;
    stop();
    thread_->quit();
    const bool ok = thread_->wait(ms);
    if (ok) onWorkerDone(runId_);
    return ok;
}

void TrainingController::onWorkerDone(int runId) {
    if (!thread_ || runId != runId_) return;  // a late signal of a run already cleaned up
    thread_->quit();
    thread_->wait();
    delete worker_;
    worker_ = nullptr;
    delete thread_;
    thread_ = nullptr;
    drain();
    drainTimer_.stop();
}

void TrainingController::pushInfo(const RunInfo& info) {
    std::lock_guard<std::mutex> lock(mutex_);
    info_ = info;
}

void TrainingController::push(const MetricsReport& r) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (buffer_.size() >= kBufferCapacity) {
        // Drop the oldest progress report; epoch evaluations are never dropped.
        for (auto it = buffer_.begin(); it != buffer_.end(); ++it)
            if (!it->epochEnd) {
                buffer_.erase(it);
                break;
            }
    }
    buffer_.push_back(r);
}

void TrainingController::drain() {
    QVector<MetricsReport> batch;
    std::deque<std::pair<int, DecisionGrid>> grids;
    std::optional<RunInfo> info;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        grids.swap(grids_);
        info.swap(info_);
        batch.reserve(qsizetype(buffer_.size()));
        for (auto& r : buffer_) batch.push_back(std::move(r));
        buffer_.clear();
    }
    // The run's info always comes out before its first reports: the worker sends it first, and
    // one drain takes both.
    if (info) Q_EMIT started(runId_, *info);
    if (!batch.isEmpty()) Q_EMIT reports(runId_, batch);
    for (auto& [epoch, g] : grids) Q_EMIT grid(runId_, epoch, g);
}

} // namespace imblab::ui

#include "training_controller.moc"
