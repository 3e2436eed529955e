// Main window; see main_window.h. Menus live in main_window_menus.cpp, the file operations
// (sessions, exports, recent files, drops) in main_window_files.cpp, the queue and the
// operations on stored runs (resume, compare, duplicate) in main_window_runs.cpp, a run's
// training (start, progress, pause, stop, its end) in main_window_training.cpp.
#include "main_window.h"

#include "models/model_names.h"

#include "api/engine.h"
#include "charts/confusion_map_chart.h"
#include "charts/error_curves_chart.h"
#include "charts/run_charts_view.h"
#include "data/dataset_cache.h"
#include "data/dataset_loader.h"
#include "duration_text.h"
#include "io/config_json.h"
#include "panels/log_panel.h"
#include "panels/log_sink.h"
#include "panels/confusion_examples_dialog.h"
#include "panels/dataset_panel.h"
#include "panels/training_panel.h"
#include "runs/run_queue.h"
#include "runs/run_folder_follower.h"
#include "runs/run_store.h"
#include "runs/runs_table_view.h"
#include "runs/runs_view.h"
#include "teaching/teaching_window.h"
#include "training_controller.h"

#include <spdlog/spdlog.h>

#include <QAction>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

namespace imblab::ui {

namespace {

QWidget* scrollable(QWidget* w) {
    auto* area = new QScrollArea;
    area->setWidget(w);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    // A panel squeezed below its minimum width (a 1024-pixel screen) scrolls rather than cuts
    // its right edge off.
    area->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    return area;
}

QDockWidget* dock(QMainWindow* window, const QString& title, const QString& name, QWidget* content) {
    auto* d = new QDockWidget(title, window);
    d->setObjectName(name);
    d->setWidget(content);
    return d;
}

// A preset in the app trains at the speed measured for its model on this machine (fp32 or
// bf16 + channels-last; training/speed_probe.h); a loaded config or session keeps its own.
ExperimentConfig withMeasuredSpeed(ExperimentConfig cfg) {
    if (cfg.train.precision == "fp32" && !cfg.train.channelsLast && cfg.train.deterministic) cfg.train.precision = "auto";
    return cfg;
}

} // namespace

MainWindow::MainWindow(bool useSettings, QWidget* parent) : QMainWindow(parent), useSettings_(useSettings) {
    setWindowTitle(tr("Imbalance Lab"));
    setObjectName(QStringLiteral("MainWindow"));
    LogBridge::install();
    store_ = new RunStore(this);
    queue_ = new RunQueue(this);
    follower_ = new RunFolderFollower(*store_, this);
    data_ = new DatasetCache(this);
    controller_ = new TrainingController(this);

    auto* central = new QWidget;
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(2, 2, 2, 2);
    banner_ = new QLabel;
    banner_->setWordWrap(true);
    banner_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    banner_->setStyleSheet(QStringLiteral("background:#fde7e9; color:#7a0010; padding:6px; border:1px solid #e8a0a8;"));
    banner_->hide();
    centralLayout->addWidget(banner_);
    charts_ = new RunChartsView([this](const QString& message, bool error) { report(error ? message : QString(), message); });
    centralLayout->addWidget(charts_, 1);
    setCentralWidget(central);

    datasetPanel_ = new DatasetPanel;
    auto* dataDock = dock(this, tr("Dataset"), QStringLiteral("DatasetDock"), scrollable(datasetPanel_));
    addDockWidget(Qt::LeftDockWidgetArea, dataDock);
    trainingPanel_ = new TrainingPanel;
    auto* trainDock = dock(this, tr("Training"), QStringLiteral("TrainingDock"), scrollable(trainingPanel_));
    addDockWidget(Qt::RightDockWidgetArea, trainDock);
    runsView_ = new RunsView;
    runsTable_ = new RunsTableView;
    auto* runsTabs = new QTabWidget;
    runsTabs->addTab(runsView_, tr("List"));
    runsTabs->addTab(runsTable_, tr("Table"));
    auto* runsDock = dock(this, tr("Runs"), QStringLiteral("RunsDock"), runsTabs);
    addDockWidget(Qt::RightDockWidgetArea, runsDock);
    logPanel_ = new LogPanel;
    auto* logDock = dock(this, tr("Log"), QStringLiteral("LogDock"), logPanel_);
    addDockWidget(Qt::RightDockWidgetArea, logDock);
    tabifyDockWidget(runsDock, logDock);
    runsDock->raise();
    resizeDocks({dataDock, trainDock}, {335, 300}, Qt::Horizontal);
    resizeDocks({trainDock, runsDock}, {480, 260}, Qt::Vertical);
    connect(&LogBridge::instance(), &LogBridge::line, logPanel_, &LogPanel::append);

    status_ = new QLabel(tr("Ready"));
    progress_ = new QProgressBar;
    progress_->setMaximumWidth(220);
    progress_->setRange(0, 1000);
    progress_->setValue(0);
    progress_->setFormat(QStringLiteral("%p%"));
    statusBar()->addWidget(status_, 1);
    statusBar()->addPermanentWidget(progress_);
    queueBar_ = new QProgressBar;
    queueBar_->setMaximumWidth(260);
    queueBar_->setTextVisible(true);
    queueBar_->setVisible(false);
    statusBar()->addPermanentWidget(queueBar_);
    buildLoadProgress();
    buildMenus();

    // One report pipe: the controller's drain (≤ 10 Hz) brings the run's info, then its reports;
    // the store keeps them and the charts redraw once per batch.
    connect(controller_, &TrainingController::started, this, [this](int id, const RunInfo& info) {
        RunRecord* run = store_->find(id);
        if (!run) return;
        run->info = info;
        run->hasInfo = true;
        spdlog::info("run #{}: {} training / {} test examples on {} ({} pipeline, {}{}), {} parameters", id, info.trainSize,
                     info.testSize, info.device, info.pipeline, info.precision, info.channelsLast ? ", channels-last" : "",
                     info.parameterCount);
        if (!info.speedNote.empty() && run->config.train.model == currentConfig().train.model)
            trainingPanel_->setSpeedNote(QString::fromStdString(info.speedNote));  // what auto chose, and why
        store_->notifyChanged(id);
    });
    connect(controller_, &TrainingController::reports, this, [this](int id, const QVector<MetricsReport>& batch) {
        store_->addReports(id, std::vector<MetricsReport>(batch.begin(), batch.end()));
        if (const RunRecord* run = store_->find(id); run && !batch.isEmpty()) updateStatus(batch.back(), *run);
    });
    connect(controller_, &TrainingController::finished, this, &MainWindow::onRunFinished);
    connect(controller_, &TrainingController::failed, this, &MainWindow::onRunFailed);
    connect(store_, &RunStore::changed, this, [this](int id) {
        if (const RunRecord* run = store_->find(id)) runsView_->upsert(*run);
        if (id == shownRunId_) refreshCharts();
        if (id == shownRunId_ && follower_->following(id) && !controller_->isRunning()) showFollowedStatus(id);
    });
    connect(store_, &RunStore::removed, runsView_, &RunsView::removeRun);
    connect(queue_, &RunQueue::changed, this, &MainWindow::updateQueueBar);
    connect(follower_, &RunFolderFollower::ended, this, [this](int id) {
        if (const RunRecord* r = store_->find(id))
            status_->setText(tr("Run #%1 from %2 %3").arg(id).arg(r->folder, r->statusText()));
        runsTable_->refresh(store_->all());
    });
    connect(follower_, &RunFolderFollower::unreadable, this, [this](int id, const QString& why) {
        showBanner(tr("Stopped following run #%1: %2").arg(id).arg(why));
    });
    connect(queue_, &RunQueue::finished, this, [this](int done, int failed) {
        status_->setText(failed > 0 ? tr("Queue finished: %1 runs, %2 failed (see the Runs list)").arg(done).arg(failed)
                                    : tr("Queue finished: %1 runs").arg(done));
    });

    connect(data_, &DatasetCache::loading, this, [this](const QString& id) {
        datasetPanel_->setLoadedData(nullptr);
        status_->setText(tr("Loading %1…").arg(id));
        dataProblem_.clear();
        updateTrainAvailability();
    });
    connect(data_, &DatasetCache::loaded, this, &MainWindow::onDataLoaded);
    connect(data_, &DatasetCache::failed, this, [this](QString error) {
        // The loader speaks to the CLI; here the folder is chosen in the Dataset panel.
        error.replace(QStringLiteral("--data DIR"), tr("Dataset panel ▸ Folder ▸ Choose…"));
        datasetPanel_->showLoadError(error);
        showBanner(tr("Cannot load the dataset: %1").arg(error));
        status_->setText(tr("Dataset not loaded"));
        dataProblem_ = error;
        updateTrainAvailability();
        if (sessionDataCheck_) {  // a reopened session whose data went away
            showBanner(tr("The data of session %1 cannot be read (%2): its folder may have moved or been deleted; "
                          "choose it in the Dataset panel ▸ Folder").arg(sessionDataCheck_->session, error));
            sessionDataCheck_.reset();
        }
    });
    connect(datasetPanel_, &DatasetPanel::dataSourceChanged, this, &MainWindow::loadDataIfNeeded);
    connect(datasetPanel_, &DatasetPanel::chooseFolderRequested, this, &MainWindow::chooseDataLocation);
    connect(datasetPanel_, &DatasetPanel::chooseTestFileRequested, this, &MainWindow::chooseTestFile);
    connect(datasetPanel_, &DatasetPanel::chooseListRootRequested, this, &MainWindow::chooseListRoot);
    connect(datasetPanel_, &DatasetPanel::chooseClassNamesRequested, this, &MainWindow::chooseClassNamesFile);
    connect(trainingPanel_, &TrainingPanel::presetChosen, this, &MainWindow::applyPreset);
    connect(trainingPanel_, &TrainingPanel::clamped, this, [this](const QString& message) {
        spdlog::info("{}", message.toStdString());
        statusBar()->showMessage(message, 10000);
    });
    connect(runsView_, &RunsView::selectionChangedTo, this, [this](const QList<int>& ids) {
        if (ids.isEmpty()) return;
        showRunCharts(ids.first());
        std::vector<const RunRecord*> overlays;
        if (ids.size() > 1)
            for (int id : ids)
                if (const RunRecord* r = store_->find(id)) overlays.push_back(r);
        charts_->setOverlays(overlays);
    });
    connect(charts_->confusion(), &ConfusionMapChart::cellClicked, this, &MainWindow::onConfusionCell);
    connect(charts_, &RunChartsView::pickedClassesChanged, this, &MainWindow::refreshCharts);

    setAcceptDrops(true);
    resize(1280, 800);
    ExperimentConfig initial = withMeasuredSpeed(loadPreset("fmnist-lt-quick"));
    if (useSettings_) {
        QSettings settings;
        restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
        restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
        for (const QString& f : settings.value(QStringLiteral("session/recent")).toStringList())
            if (QFile::exists(f)) recent_.append(f);
        if (!recent_.isEmpty()) rememberRecent(recent_.first());
        const QString last = settings.value(QStringLiteral("session/lastConfig")).toString();
        if (!last.isEmpty()) {
            try {
                initial = parseConfig(last.toStdString(), "settings");
            } catch (const std::exception& e) {
                spdlog::warn("ignoring the saved settings: {}", e.what());
            }
        }
    }
    applyConfig(initial);
    setRunning(false);
}

MainWindow::~MainWindow() { controller_->stopAndWait(5000); }

ErrorCurvesChart* MainWindow::errorCurves() const { return charts_->errorCurves(); }
MarginHistogramChart* MainWindow::marginChart() const { return charts_->margins(); }
ClassErrorBarsChart* MainWindow::errorBars() const { return charts_->errorBars(); }
ConfusionMapChart* MainWindow::confusionChart() const { return charts_->confusion(); }
int MainWindow::queueDone() const { return queue_->done(); }
int MainWindow::queueTotal() const { return queue_->total(); }
bool MainWindow::isDataLoaded() const { return data_->dataFor(datasetPanel_->config()) != nullptr; }
bool MainWindow::isTraining() const { return controller_->isRunning(); }
const RunRecord* MainWindow::run(int id) const { return store_->find(id); }
QString MainWindow::bannerText() const { return banner_->isVisible() ? banner_->text() : QString(); }

ExperimentConfig MainWindow::currentConfig() const {
    ExperimentConfig cfg;
    cfg.dataset = datasetPanel_->config();
    trainingPanel_->applyTo(cfg);
    return cfg;
}

void MainWindow::applyConfig(const ExperimentConfig& cfg) {
    trainingPanel_->showPreset(QString());  // a session or run folder is no preset; applyPreset names its own
    trainingPanel_->setFrom(cfg);
    datasetPanel_->setConfig(cfg.dataset);
    loadDataIfNeeded();
}

bool MainWindow::applyPreset(const QString& name) {
    try {
        applyConfig(withMeasuredSpeed(loadPreset(name.toStdString())));
        trainingPanel_->showPreset(name);
        status_->setText(tr("Preset '%1' loaded").arg(name));
        return true;
    } catch (const std::exception& e) {
        showBanner(QString::fromUtf8(e.what()));
        return false;
    }
}

void MainWindow::showBanner(const QString& text) {
    banner_->setText(text);
    banner_->setVisible(!text.isEmpty());
    if (!text.isEmpty()) spdlog::warn("{}", text.toStdString());
}

void MainWindow::report(const QString& error, const QString& success) {
    if (!error.isEmpty()) showBanner(error);
    else if (!success.isEmpty()) status_->setText(success);
}

void MainWindow::loadDataIfNeeded() { data_->request(datasetPanel_->config()); }

void MainWindow::onDataLoaded(const std::shared_ptr<const Dataset>& data) {
    datasetPanel_->setLoadedData(data);
    if (sessionDataCheck_) checkSessionData(*data);
    dataProblem_.clear();
    updateTrainAvailability();
    if (!store_->find(shownRunId_)) charts_->showClasses(data->classNames);  // the empty charts' axes
    QComboBox* model = trainingPanel_->modelCombo();
    const bool textModel = isTextModel(model->currentData().toString().toStdString());
    if (data->isText() && !textModel) {
        // Texts only fit the text models: the bag of words with Adam, rather than fail at Train.
        trainingPanel_->adoptTextDefaults(QStringLiteral("textbag"));
        spdlog::info("{}", tr("model set to the bag of words (Adam, lr 0.01): %1 holds texts").arg(QString::fromStdString(data->id)).toStdString());
    } else if (data->isImage() && textModel) {
        trainingPanel_->adoptImageDefaults();
        spdlog::info("{}", tr("model set to the small CNN (SGD): %1 holds images").arg(QString::fromStdString(data->id)).toStdString());
    } else if (!data->isImage() && !data->isText() && model->currentData().toString() != QStringLiteral("mlp")) {
        // Feature vectors (a table, the blobs) only fit the MLP: choose it rather than fail at Train.
        if (textModel) trainingPanel_->adoptImageDefaults();
        model->setCurrentIndex(model->findData(QStringLiteral("mlp")));
        spdlog::info("{}", tr("model set to the MLP: %1 holds feature vectors, not images").arg(QString::fromStdString(data->id)).toStdString());
    }
    if (banner_->text().startsWith(tr("Cannot load the dataset"))) showBanner({});
    status_->setText(tr("%1 loaded: %2 training / %3 test examples%4")
                         .arg(QString::fromStdString(data->id))
                         .arg(data->train.size())
                         .arg(data->test.size())
                         .arg(data->fromDecodedCache ? (data->isText() ? tr(" (tokenized texts from the cache)")
                                                                       : tr(" (decoded images from the cache)"))
                                                     : QString()));
    Q_EMIT dataLoaded();
}

QString MainWindow::suggestedFileName(const QString& name) const {
    const RunRecord* run = store_->find(shownRunId_);
    return run ? run->fileStem() + "_" + name : name;
}

QString MainWindow::statusText() const { return status_->text(); }

void MainWindow::refreshCharts() {
    const RunRecord* run = store_->find(shownRunId_);
    if (run && run->hasInfo) charts_->showRun(*run);
}

void MainWindow::showRunCharts(int id) {
    const RunRecord* run = store_->find(id);
    if (!run) return;
    if (id != shownRunId_) charts_->clearRun();
    shownRunId_ = id;
    refreshCharts();
    // The status bar follows the shown run (while one trains, it keeps that run's progress).
    if (!controller_->isRunning() && run->finished) {
        const MetricsReport* last = run->lastEpoch();
        status_->setText(tr("Showing run %1: %2%3")
                             .arg(run->title(), run->statusText())
                             .arg(last ? tr(" · balanced error %1%").arg(100 * last->balancedError, 0, 'f', 2) : QString()));
    }
}

void MainWindow::onConfusionCell(int trueClass, int predicted) {
    const RunRecord* run = store_->find(shownRunId_);
    const MetricsReport* last = run ? run->lastEpoch() : nullptr;
    if (!last || last->testPredictions.empty()) return;
    const auto data = data_->dataFor(run->config.dataset);
    if (!data) {
        status_->setText(tr("The images of this run's dataset are not loaded"));
        return;
    }
    auto* dialog = new ConfusionExamplesDialog(data, last->testPredictions, trueClass, predicted, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

QString MainWindow::exportAllCharts(const QString& folder, const ChartExportOptions& options) {
    return charts_->exportAll(folder, options);
}

TeachingWindow* MainWindow::openTeaching() {
    if (!teaching_) teaching_ = new TeachingWindow(this);
    try {
        const CountPreview p = previewCounts(datasetPanel_->config());
        teaching_->setDatasetCounts(p.classNames, p.classCounts);
    } catch (const std::exception&) {
        // the dataset panel already shows what is wrong with its settings
    }
    teaching_->show();
    teaching_->raise();
    return teaching_;
}

void MainWindow::closeEvent(QCloseEvent* e) {
    if (controller_->isRunning()) {
        spdlog::info("window closed during training: stopping the run");
        controller_->stopAndWait(10000);
    }
    if (useSettings_) {
        QSettings settings;
        settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
        settings.setValue(QStringLiteral("window/state"), saveState());
        settings.setValue(QStringLiteral("session/lastConfig"), QString::fromStdString(configToJson(currentConfig())));
    }
    e->accept();
}

} // namespace imblab::ui
