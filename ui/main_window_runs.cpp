// The main window's operations on runs beyond Train/Stop: the grid queue (through RunQueue),
// resuming a stopped run from its checkpoint, a second stage on a finished run, the A/B comparison
// and duplicating settings.
#include "main_window.h"

#include "api/engine.h"
#include "charts/run_charts_view.h"
#include "runs/run_comparison_dialog.h"
#include "runs/run_queue.h"
#include "runs/run_store.h"
#include "runs/runs_view.h"
#include "data/dataset_cache.h"
#include "duration_text.h"
#include "training_controller.h"

#include <spdlog/spdlog.h>

#include <QAction>
#include <QLabel>
#include <QProgressBar>

#include <algorithm>

namespace imblab::ui {

int MainWindow::queueGrid(const QueueGrid& grid, int epochs) {
    ExperimentConfig base = currentConfig();
    if (epochs > 0) base.train.epochs = epochs;
    const std::vector<ExperimentConfig> configs = expandGrid(base, grid);
    std::vector<int> ids;  // each waiting run listed as "queued" until it starts
    for (const ExperimentConfig& c : configs) {
        RunRecord& run = store_->create(c);
        run.queued = true;
        ids.push_back(run.id);
        store_->notifyChanged(run.id);
    }
    queue_->enqueue(configs, ids);
    if (!controller_->isRunning()) startNextQueued();
    return int(configs.size());
}

void MainWindow::cancelQueue() {
    const std::vector<int> waiting = queue_->pendingRunIds();
    if (const int dropped = queue_->cancel(); dropped > 0) status_->setText(tr("Queue cancelled: %1 runs not started").arg(dropped));
    for (int id : waiting) store_->remove(id);  // never started: nothing to keep
}

void MainWindow::startNextQueued() {
    if (!queue_->hasNext() || controller_->isRunning()) return;
    int runId = 0;
    const ExperimentConfig next = queue_->takeNext(&runId);
    startRun(next, runId);
}

void MainWindow::updateQueueBar() {
    queueBar_->setVisible(queue_->isActive());
    if (!queue_->isActive()) return;
    queueBar_->setRange(0, std::max(1, queue_->total()));
    queueBar_->setValue(queue_->done());
    const double eta = queue_->etaSeconds();
    queueBar_->setFormat(tr("Queue: run %1 of %2 · ETA %3")
                             .arg(std::clamp(queue_->current(), 1, std::max(1, queue_->total())))
                             .arg(queue_->total())
                             .arg(eta < 0 ? QStringLiteral("…") : durationText(eta)));
}

// Train is off while the data cannot be loaded, saying why beside the button.
void MainWindow::updateTrainAvailability() {
    trainAction_->setEnabled(!controller_->isRunning() && dataProblem_.isEmpty());
    trainAction_->setToolTip(dataProblem_.isEmpty() ? tr("Train with the current settings (Ctrl+R)")
                                                    : tr("Cannot train: %1").arg(dataProblem_));
    if (!trainBlocked_) return;
    trainBlocked_->setText(dataProblem_.isEmpty() ? QString()
                                                  : fontMetrics().elidedText(tr("Cannot train: %1").arg(dataProblem_),
                                                                             Qt::ElideRight, 520));
    trainBlocked_->setToolTip(dataProblem_);
}

QString MainWindow::resumeRun(int runId) {
    RunRecord* run = store_->find(runId);
    if (!run) return tr("No run #%1").arg(runId);
    if (controller_->isRunning()) return tr("A run is training: stop it first");
    if (!run->finished || run->summary.status != RunStatus::Cancelled || !run->error.isEmpty())
        return tr("Only a stopped run can be resumed (run #%1 is %2)").arg(runId).arg(run->statusText());
    const QString path = store_->checkpointPath(runId);
    CheckpointProgress progress;
    try {
        progress = readCheckpointProgress(path.toStdString());
    } catch (const std::exception&) {
        return tr("Run #%1 has no checkpoint (it stopped before the end of its first epoch, or its session was saved "
                  "without one): train it again")
            .arg(runId);
    }
    // The reports after the checkpoint are trained again; drop them.
    auto& epochs = run->epochReports;
    epochs.erase(std::remove_if(epochs.begin(), epochs.end(), [&](const MetricsReport& r) { return r.epoch >= progress.epochs; }),
                 epochs.end());
    auto& steps = run->stepReports;
    steps.erase(std::remove_if(steps.begin(), steps.end(), [&](const MetricsReport& r) { return r.step > progress.step; }),
                steps.end());
    run->finished = false;
    run->summary = RunSummary{};
    run->model.reset();
    activeRunId_ = runId;
    shownRunId_ = runId;
    controller_->start(runId, run->config, data_->dataFor(run->config.dataset), path.toStdString(), true);
    setRunning(true);
    store_->notifyChanged(runId);
    status_->setText(tr("Run #%1 resumed after epoch %2").arg(runId).arg(progress.epochs));
    spdlog::info("run #{} resumed from epoch {} (step {})", runId, progress.epochs, progress.step);
    return {};
}

QString MainWindow::startSecondStage(int runId, const QString& kind) {
    const RunRecord* first = store_->find(runId);
    if (!first) return tr("Select a finished run for the second stage");
    if (controller_->isRunning()) return tr("A run is training: stop it first");
    if (!first->finished || first->summary.status != RunStatus::Finished || !first->error.isEmpty())
        return tr("A second stage starts from a finished run (run #%1 is %2)").arg(runId).arg(first->statusText());
    if (first->config.train.stage2 != "none")
        return tr("Run #%1 already ended with a second stage (%2); start one from its first-stage run")
            .arg(runId).arg(QString::fromStdString(first->config.train.stage2));
    if (first->config.loss.usesNormalizedHead())
        return tr("Run #%1 trained a cosine head (%2): the second stages re-train or rescale a linear head")
            .arg(runId).arg(QString::fromStdString(first->config.loss.type));
    if (const QString why = loadFolderModel(runId); !why.isEmpty()) return why;
    if (!first->model || first->model->empty()) return tr("Run #%1 has no model in this session").arg(runId);
    ExperimentConfig cfg = first->config;
    cfg.train.stage2 = kind.toStdString();
    cfg.train.stage2Epochs = currentConfig().train.stage2Epochs;
    try {
        validateConfig(cfg);
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
    const std::shared_ptr<const TrainedModel> model = first->model;
    const RunInfo info = first->info;
    std::vector<MetricsReport> epochs = first->epochReports, steps = first->stepReports;
    for (auto& r : epochs) r.testPredictions.clear();  // the stage's last evaluation brings its own
    RunRecord& run = store_->create(cfg);  // may move `first`
    run.info = info;
    run.hasInfo = true;
    run.epochReports = std::move(epochs);
    run.stepReports = std::move(steps);
    const int id = run.id;
    activeRunId_ = id;
    shownRunId_ = id;
    charts_->clearRun();
    selectRunQuietly(id);
    spdlog::info("run #{} started: {} on run #{}'s model", id, run.title().toStdString(), runId);
    controller_->startSecondStage(id, cfg, model, data_->dataFor(cfg.dataset));
    setRunning(true);
    progress_->setValue(0);
    status_->setText(tr("Run #%1: second stage on run #%2 starting…").arg(id).arg(runId));
    store_->notifyChanged(id);
    return {};
}

RunComparisonDialog* MainWindow::compareRuns(int runA, int runB, QString* error) {
    const RunRecord* a = run(runA);
    const RunRecord* b = run(runB);
    QString why;
    RunComparison c;
    if (!a || !b) why = tr("Both runs must exist");
    else c = ui::compareRuns(*a, *b, &why);
    if (c.classes.empty()) {
        if (error) *error = why;
        return nullptr;
    }
    auto* dialog = new RunComparisonDialog(c, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

bool MainWindow::duplicateRunSettings(int runId) {
    const RunRecord* r = run(runId);
    if (!r || controller_->isRunning()) return false;
    applyConfig(r->config);
    status_->setText(tr("Settings of run #%1 loaded: same data and seed — change one thing and press Train").arg(runId));
    return true;
}

} // namespace imblab::ui
