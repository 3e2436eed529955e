// The main window's training of one run: Train, the run's start (a queued run takes its listed
// row), its progress in the status bar, pause and stop, and how it ended (finished, collapsed or
// failed). Operations on stored runs are in main_window_runs.cpp.
#include "main_window.h"

#include "api/engine.h"
#include "charts/run_charts_view.h"
#include "data/dataset_cache.h"
#include "duration_text.h"
#include "models/model_names.h"
#include "progress_text.h"
#include "panels/dataset_panel.h"
#include "panels/training_panel.h"
#include "runs/run_queue.h"
#include "runs/run_store.h"
#include "runs/runs_table_view.h"
#include "runs/runs_view.h"
#include "training_controller.h"

#include <spdlog/spdlog.h>

#include <QAction>
#include <QLabel>
#include <QProgressBar>
#include <QTimer>

namespace imblab::ui {

void MainWindow::setRunning(bool running) {
    updateTrainAvailability();
    pauseAction_->setEnabled(running);
    stopAction_->setEnabled(running);
    if (!running) {
        pauseAction_->setChecked(false);
        pauseAction_->setText(tr("&Pause"));
    }
    datasetPanel_->setLocked(running);
    trainingPanel_->setLocked(running);
}

void MainWindow::startTraining() {
    if (controller_->isRunning()) return;
    if (!dataProblem_.isEmpty()) return showBanner(tr("Cannot train: %1").arg(dataProblem_));
    startRun(currentConfig());
}

void MainWindow::selectRunQuietly(int id) {
    runsView_->blockSignals(true);
    runsView_->selectRun(id);
    runsView_->blockSignals(false);
}

void MainWindow::startRun(const ExperimentConfig& cfg, int queuedId) {
    RunRecord* queued = queuedId > 0 ? store_->find(queuedId) : nullptr;
    try {
        validateConfig(cfg);
        resolveDevice(cfg.train.device);
    } catch (const std::exception& e) {
        if (queued) return onRunFailed(queuedId, QString::fromUtf8(e.what()));  // the queue goes on
        showBanner(tr("Cannot train: %1").arg(QString::fromUtf8(e.what())));
        return;
    }
    showBanner({});
    RunRecord& run = queued ? *queued : store_->create(cfg);
    if (queued) {
        run.queued = false;
        store_->notifyChanged(run.id);  // its row now says running
    }
    const int id = run.id;
    activeRunId_ = id;
    shownRunId_ = id;
    charts_->clearRun();
    selectRunQuietly(id);
    spdlog::info("run #{} started: {}", id, run.title().toStdString());
    controller_->start(id, cfg, data_->dataFor(cfg.dataset), store_->checkpointPath(id).toStdString());
    setRunning(true);
    progress_->setValue(0);
    status_->setText(tr("Run #%1 starting…").arg(id));
}

void MainWindow::onRunFinished(int id, const RunSummary& s, const std::shared_ptr<const TrainedModel>& model) {
    RunRecord* run = store_->find(id);
    if (!run) return;
    run->finished = true;
    run->summary = s;
    run->model = model;
    setRunning(false);
    runsTable_->refresh(store_->all());
    store_->notifyChanged(id);
    if (s.status == RunStatus::Failed) showBanner(tr("Run #%1 stopped: %2").arg(id).arg(QString::fromStdString(s.message)));
    // A collapsed run is not a success: it says what it does and why, above everything else.
    if (!s.warning.empty()) showBanner(tr("Run #%1 %2").arg(id).arg(QString::fromStdString(s.warning)));
    const QString what = !s.warning.empty() ? tr("collapsed")
                         : s.status == RunStatus::Finished ? tr("finished")
                         : s.status == RunStatus::Cancelled ? tr("stopped") : tr("failed");
    // A second stage on frozen features trains no images: no throughput to speak of.
    status_->setText(tr("Run #%1 %2 after %3%4%5")
                         .arg(id)
                         .arg(what, durationText(s.wallSeconds))
                         .arg(s.imgPerSec > 0 ? QStringLiteral(" · %1 %2").arg(s.imgPerSec, 0, 'f', 0).arg(QString::fromLatin1(throughputUnit(run->config.train.model)))
                                              : QString())
                         .arg(s.hasFinalReport ? tr(" · balanced error %1%").arg(100 * s.finalReport.balancedError, 0, 'f', 2) +
                                                     (MetricsReport::showsTop5(int(run->info.classNames.size()))
                                                          ? tr(", top-5 %1%").arg(100 * s.finalReport.top5Error, 0, 'f', 2)
                                                          : QString())
                                               : QString()));
    spdlog::info("run #{} {}{}{}", id, runStatusName(s.status), s.message.empty() ? "" : ": ", s.message);
    if (queue_->isActive()) {
        queue_->runEnded(s.status == RunStatus::Failed, s.wallSeconds);
        QTimer::singleShot(0, this, &MainWindow::startNextQueued);
    }
    Q_EMIT runFinished(id);
}

void MainWindow::onRunFailed(int id, const QString& message) {
    RunRecord* run = store_->find(id);
    if (!run) return;
    run->error = message;
    run->queued = false;
    run->finished = true;
    run->summary.status = RunStatus::Failed;
    run->summary.message = message.toStdString();
    setRunning(false);
    store_->notifyChanged(id);
    showBanner(tr("Run #%1 could not run: %2").arg(id).arg(message));
    status_->setText(tr("Run #%1 failed").arg(id));
    if (queue_->isActive()) {  // a run that cannot start does not hold up the grid
        queue_->runEnded(true, 0);
        QTimer::singleShot(0, this, &MainWindow::startNextQueued);
    }
    Q_EMIT runFinished(id);
}

void MainWindow::togglePause() {
    if (!controller_->isRunning()) return;
    const bool pause = !controller_->isPaused();
    controller_->setPaused(pause);
    pauseAction_->setChecked(pause);
    pauseAction_->setText(pause ? tr("&Resume") : tr("&Pause"));
    status_->setText(pause ? tr("Paused — press Space to resume") : tr("Resumed"));
}

void MainWindow::stopTraining() {
    cancelQueue();  // Stop means stop: the queued runs are not started either
    if (!controller_->isRunning()) return;
    controller_->stop();
    status_->setText(tr("Stopping…"));
}

void MainWindow::updateStatus(const MetricsReport& r, const RunRecord& run) {
    QString text = progressText(run.id, run.plannedEpochs(), r, QString::fromLatin1(throughputUnit(run.config.train.model)));
    if (const MetricsReport* last = run.lastEpoch())
        text += tr(" · balanced error %1%").arg(100 * last->balancedError, 0, 'f', 2);
    if (controller_->isPaused()) text += tr(" · paused");
    status_->setText(text);
    progress_->setValue(r.totalSteps ? int(1000 * r.step / r.totalSteps) : 0);
    if (queue_->isActive() && run.id == activeRunId_) {  // the first run's pace gives the queue its ETA
        queue_->runProgress(r.elapsedSeconds, r.etaSeconds);
        updateQueueBar();
    }
}

} // namespace imblab::ui
