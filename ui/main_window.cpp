// Main window; see main_window.h.
#include "main_window.h"

#include "charts/chart_export.h"
#include "charts/chart_export_dialog.h"
#include "charts/chart_style.h"
#include "charts/class_error_bars_chart.h"
#include "charts/confusion_map_chart.h"
#include "charts/error_curves_chart.h"
#include "charts/margin_histogram_chart.h"
#include "confusion_examples_dialog.h"
#include "data/dataset_loader.h"
#include "dataset_panel.h"
#include "errors.h"
#include "io/atomic_file.h"
#include "io/config_json.h"
#include "io/session_json.h"
#include "io/metrics_csv.h"
#include "io/model_export.h"
#include "log_panel.h"
#include "log_sink.h"
#include "runs_table_view.h"
#include "queue_dialog.h"
#include "run_comparison_dialog.h"
#include "training/methods.h"
#include "runs_view.h"
#include "teaching/teaching_window.h"
#include "training/trainer.h"
#include "training_controller.h"
#include "training_panel.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QMimeData>
#include <QPainter>
#include <QPdfWriter>
#include <QTextDocument>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrent>

#include <cmath>
#include <fstream>
#include <sstream>

namespace imblab::ui {

namespace {

QString dataKeyOf(const DatasetConfig& c) {
    QString key = QString::fromStdString(c.id + "|" + c.path);
    if (c.id == "blobs")
        key += QStringLiteral("|%1|%2|%3|%4|%5").arg(c.blobsClasses).arg(c.blobsPerClass).arg(c.blobsSpread).arg(c.blobsSeparation).arg(c.seed);
    return key;
}

QString formatSeconds(double s) {
    if (!std::isfinite(s) || s < 0) return QStringLiteral("–");
    const int t = int(std::lround(s));
    return t >= 60 ? QStringLiteral("%1 min %2 s").arg(t / 60).arg(t % 60) : QStringLiteral("%1 s").arg(t);
}

QWidget* scrollable(QWidget* w) {
    auto* area = new QScrollArea;
    area->setWidget(w);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    area->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    return area;
}

} // namespace

MainWindow::MainWindow(bool useSettings, QWidget* parent) : QMainWindow(parent), useSettings_(useSettings) {
    setWindowTitle(tr("Imbalance Lab"));
    setObjectName(QStringLiteral("MainWindow"));
    LogBridge::install();

    // Central chart area: Figure 3 on top, margins / Figure 2 / confusion below.
    auto* central = new QWidget;
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(2, 2, 2, 2);
    banner_ = new QLabel;
    banner_->setWordWrap(true);
    banner_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    banner_->setStyleSheet(QStringLiteral("background:#fde7e9; color:#7a0010; padding:6px; border:1px solid #e8a0a8;"));
    banner_->hide();
    centralLayout->addWidget(banner_);
    errorCurves_ = new ErrorCurvesChart;
    margins_ = new MarginHistogramChart;
    errorBars_ = new ClassErrorBarsChart;
    confusion_ = new ConfusionMapChart;
    auto* top = new QSplitter(Qt::Horizontal);
    top->addWidget(errorCurves_);
    top->addWidget(margins_);
    top->setStretchFactor(0, 3);
    top->setStretchFactor(1, 2);
    auto* bottom = new QSplitter(Qt::Horizontal);
    bottom->addWidget(errorBars_);
    bottom->addWidget(confusion_);
    auto* vertical = new QSplitter(Qt::Vertical);
    vertical->addWidget(top);
    vertical->addWidget(bottom);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 2);
    for (QWidget* w : std::initializer_list<QWidget*>{errorCurves_, margins_, errorBars_, confusion_}) w->setMinimumSize(220, 180);
    centralLayout->addWidget(vertical, 1);
    setCentralWidget(central);

    datasetPanel_ = new DatasetPanel;
    auto* dataDock = new QDockWidget(tr("Dataset"), this);
    dataDock->setObjectName(QStringLiteral("DatasetDock"));
    dataDock->setWidget(scrollable(datasetPanel_));
    addDockWidget(Qt::LeftDockWidgetArea, dataDock);

    trainingPanel_ = new TrainingPanel;
    auto* trainDock = new QDockWidget(tr("Training"), this);
    trainDock->setObjectName(QStringLiteral("TrainingDock"));
    trainDock->setWidget(scrollable(trainingPanel_));
    addDockWidget(Qt::RightDockWidgetArea, trainDock);

    runsView_ = new RunsView;
    runsTable_ = new RunsTableView;
    auto* runsTabs = new QTabWidget;
    runsTabs->addTab(runsView_, tr("List"));
    runsTabs->addTab(runsTable_, tr("Table"));
    auto* runsDock = new QDockWidget(tr("Runs"), this);
    runsDock->setObjectName(QStringLiteral("RunsDock"));
    runsDock->setWidget(runsTabs);
    addDockWidget(Qt::RightDockWidgetArea, runsDock);

    logPanel_ = new LogPanel;
    auto* logDock = new QDockWidget(tr("Log"), this);
    logDock->setObjectName(QStringLiteral("LogDock"));
    logDock->setWidget(logPanel_);
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

    controller_ = new TrainingController(this);
    buildMenus();
    addChartActions(errorCurves_, QStringLiteral("error_curves"));
    addChartActions(margins_, QStringLiteral("margins"));
    addChartActions(errorBars_, QStringLiteral("class_errors"));
    addChartActions(confusion_, QStringLiteral("confusion"));

    connect(controller_, &TrainingController::started, this, [this](int id, const RunInfo& info) {
        auto& run = runs_[id];
        run.info = info;
        run.hasInfo = true;
        spdlog::info("run #{}: {} training / {} test examples on {} ({} pipeline), {} parameters", id, info.trainSize,
                     info.testSize, info.device, info.pipeline, info.parameterCount);
        if (shownRunId_ == id) showRunCharts(id);
    });
    connect(controller_, &TrainingController::reports, this, [this](int id, const QVector<MetricsReport>& batch) {
        auto it = runs_.find(id);
        if (it == runs_.end()) return;
        for (const auto& r : batch) it->second.add(r);
        if (!batch.isEmpty()) updateStatus(batch.back(), it->second);
        chartsDirty_ = true;
    });
    connect(controller_, &TrainingController::finished, this,
            [this](int id, const RunSummary& s, const std::shared_ptr<Trainer>& trainer) {
        auto& run = runs_[id];
        run.finished = true;
        run.summary = s;
        run.trainer = trainer;
        setRunning(false);
        runsView_->upsert(run);
        runsTable_->refresh(runs_);
        chartsDirty_ = true;
        refreshCharts();
        if (s.status == RunStatus::Failed) showBanner(tr("Run #%1 stopped: %2").arg(id).arg(QString::fromStdString(s.message)));
        const QString what = s.status == RunStatus::Finished ? tr("finished") : s.status == RunStatus::Cancelled ? tr("stopped") : tr("failed");
        status_->setText(tr("Run #%1 %2 after %3 · %4 img/s%5")
                             .arg(id)
                             .arg(what, formatSeconds(s.wallSeconds))
                             .arg(s.imgPerSec, 0, 'f', 0)
                             .arg(s.hasFinalReport ? tr(" · balanced error %1%").arg(100 * s.finalReport.balancedError, 0, 'f', 2)
                                                   : QString()));
        spdlog::info("run #{} {}: {}", id, runStatusName(s.status), s.message);
        if (queueActive_) queuedRunEnded(s.status == RunStatus::Failed);
        Q_EMIT runFinished(id);
    });
    connect(controller_, &TrainingController::failed, this, [this](int id, const QString& message) {
        auto& run = runs_[id];
        run.error = message;
        run.finished = true;
        run.summary.status = RunStatus::Failed;
        run.summary.message = message.toStdString();
        setRunning(false);
        runsView_->upsert(run);
        showBanner(tr("Run #%1 could not run: %2").arg(id).arg(message));
        status_->setText(tr("Run #%1 failed").arg(id));
        if (queueActive_) queuedRunEnded(true);  // a run that cannot start does not hold up the grid
        Q_EMIT runFinished(id);
    });

    connect(datasetPanel_, &DatasetPanel::dataSourceChanged, this, &MainWindow::loadDataIfNeeded);
    connect(datasetPanel_, &DatasetPanel::chooseFolderRequested, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder holding the dataset files"));
        if (!dir.isEmpty()) datasetPanel_->setFolder(dir);
    });
    connect(trainingPanel_, &TrainingPanel::presetChosen, this, &MainWindow::applyPreset);
    connect(runsView_, &RunsView::selectionChangedTo, this, [this](const QList<int>& ids) {
        if (ids.isEmpty()) return;
        showRunCharts(ids.first());
        std::vector<const RunRecord*> overlays;
        for (int i = 1; i < ids.size(); ++i)
            if (auto it = runs_.find(ids[i]); it != runs_.end()) overlays.push_back(&it->second);
        if (ids.size() > 1) overlays.insert(overlays.begin(), &runs_[ids.first()]);
        errorCurves_->setOverlays(overlays);
    });
    connect(confusion_, &ConfusionMapChart::cellClicked, this, &MainWindow::onConfusionCell);
    connect(&loader_, &QFutureWatcher<LoadResult>::finished, this, &MainWindow::onDataLoaded);

    redrawTimer_.setInterval(100);
    connect(&redrawTimer_, &QTimer::timeout, this, &MainWindow::refreshCharts);
    redrawTimer_.start();

    setAcceptDrops(true);
    resize(1280, 800);
    ExperimentConfig initial = loadPreset("fmnist-lt-quick");
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

MainWindow::~MainWindow() {
    controller_->stopAndWait(5000);
    loader_.waitForFinished();
}

void MainWindow::buildMenus() {
    auto* file = menuBar()->addMenu(tr("&File"));
    auto* openSessionAction = file->addAction(tr("&Open Session…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open session"), {}, tr("Imbalance Lab sessions (*.imblab *.json)"));
        if (!path.isEmpty())
            if (const QString err = openSession(path); !err.isEmpty()) showBanner(err);
    });
    openSessionAction->setShortcut(QKeySequence::Open);
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    auto* saveSessionAction = file->addAction(tr("&Save Session…"), this, [this] {
        QString path = QFileDialog::getSaveFileName(this, tr("Save session"), QStringLiteral("session.imblab"),
                                                    tr("Imbalance Lab sessions (*.imblab)"));
        if (!path.isEmpty())
            if (const QString err = saveSession(path); !err.isEmpty()) showBanner(err);
    });
    saveSessionAction->setShortcut(QKeySequence::Save);
    saveSessionAction->setToolTip(tr("The settings and every finished run with its metrics"));
    file->addAction(tr("Save Settings &Only…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save settings"), QString(),
                                                          tr("Imbalance Lab session (*.imblab)"));
        if (!path.isEmpty())
            if (const QString err = saveSession(path, false); !err.isEmpty()) showBanner(err);
    });
    file->addSeparator();
    file->addAction(tr("Export &Model…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export model"), QStringLiteral("model.safetensors"),
                                                          tr("safetensors (*.safetensors);;LibTorch archive (*.pt)"));
        if (path.isEmpty()) return;
        const QString err = exportModel(shownRunId_, path);
        if (err.isEmpty()) status_->setText(tr("Model written to %1").arg(path));
        else showBanner(err);
    });
    file->addAction(tr("Export Metrics &CSV…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export metrics"), QStringLiteral("metrics.csv"),
                                                          tr("CSV (*.csv)"));
        if (path.isEmpty()) return;
        const QString err = exportMetricsCsv(shownRunId_, path);
        if (err.isEmpty()) status_->setText(tr("Metrics written to %1").arg(path));
        else showBanner(err);
    });
    file->addAction(tr("Run &Report (PDF)…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Run report"), QStringLiteral("run-report.pdf"), tr("PDF (*.pdf)"));
        if (path.isEmpty()) return;
        const QString err = writeRunReport(shownRunId_, path);
        if (err.isEmpty()) status_->setText(tr("Report written to %1").arg(path));
        else showBanner(err);
    });
    auto* exportAction = file->addAction(tr("&Export All Charts…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the charts"));
        if (!dir.isEmpty()) {
            ChartExportDialog options(true, this);
            if (options.exec() != QDialog::Accepted) return;
            const QString err = exportAllCharts(dir, options.options());
            if (err.isEmpty()) status_->setText(tr("Charts written to %1").arg(dir));
            else showBanner(err);
        }
    });
    exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    file->addSeparator();
    auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    auto* runMenu = menuBar()->addMenu(tr("&Run"));
    trainAction_ = runMenu->addAction(tr("&Train"), this, &MainWindow::startTraining);
    trainAction_->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_R), QKeySequence(Qt::CTRL | Qt::Key_Return)});
    trainAction_->setToolTip(tr("Train with the current settings (Ctrl+R)"));
    pauseAction_ = runMenu->addAction(tr("&Pause"), this, &MainWindow::togglePause);
    pauseAction_->setShortcut(QKeySequence(Qt::Key_Space));
    pauseAction_->setCheckable(true);
    pauseAction_->setToolTip(tr("Pause or resume the run (Space)"));
    stopAction_ = runMenu->addAction(tr("&Stop"), this, &MainWindow::stopTraining);
    stopAction_->setShortcut(QKeySequence(Qt::Key_Escape));
    stopAction_->setToolTip(tr("Stop the run; what it measured so far is kept (Esc)"));
    runMenu->addSeparator();
    auto* duplicate = runMenu->addAction(tr("&Duplicate Selected Run's Settings"), this, [this] {
        const auto ids = runsView_->selectedRunIds();
        if (!ids.isEmpty()) duplicateRunSettings(ids.first());
    });
    duplicate->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    duplicate->setToolTip(tr("Load the selected run's settings (same data, same seed) to change one thing and train again"));
    auto* queueAction = runMenu->addAction(tr("&Queue a Grid…"), this, [this] {
        QueueDialog dialog(currentConfig().dataset.rho, this);
        if (dialog.exec() != QDialog::Accepted) return;
        QueueGrid grid;
        QString error;
        if (!dialog.grid(grid, error)) return showBanner(error);
        try {
            queueGrid(grid);
        } catch (const std::exception& e) {
            showBanner(tr("Cannot queue: %1").arg(QString::fromUtf8(e.what())));
        }
    });
    queueAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
    queueAction->setToolTip(tr("Run methods × seeds × ρ one after another, with an overall progress bar and ETA"));
    runMenu->addAction(tr("Cancel &Queue"), this, &MainWindow::cancelQueue);
    auto* resume = runMenu->addAction(tr("Res&ume Stopped Run"), this, [this] {
        const auto ids = runsView_->selectedRunIds();
        const QString error = ids.isEmpty() ? tr("Select a stopped run to resume") : resumeRun(ids.first());
        if (!error.isEmpty()) showBanner(error);
    });
    resume->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    resume->setToolTip(tr("Continue the selected stopped run from the end of its last whole epoch"));
    auto* compare = runMenu->addAction(tr("&Compare Two Selected Runs (A/B)"), this, [this] {
        const auto ids = runsView_->selectedRunIds();
        QString error;
        if (ids.size() != 2) error = tr("Select two runs in the Runs list (Ctrl+click) to compare them");
        else compareRuns(ids[0], ids[1], &error);
        if (!error.isEmpty()) showBanner(error);
    });
    compare->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    compare->setToolTip(tr("Per-class test errors of two runs and their difference, with the settings that differ"));

    auto* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Reset Chart Views"), this, [this] {
        for (QCustomPlot* p : std::initializer_list<QCustomPlot*>{errorCurves_, margins_, errorBars_, confusion_}) resetView(p);
    });
    auto* teachingAction = view->addAction(tr("&Teaching Mode"), this, &MainWindow::openTeaching);
    teachingAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    teachingAction->setToolTip(tr("2-D lessons: decision boundaries and margins side by side, and the margin theory"));
    auto* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Imbalance Lab"), this, [this] {
        QMessageBox::about(this, tr("About Imbalance Lab"),
                           tr("<b>Imbalance Lab %1</b><p>Explore class-imbalanced training: LDAM, DRW and the baselines of "
                              "Cao et al., NeurIPS 2019, with live per-class curves and margins.</p>")
                               .arg(QStringLiteral(IMBLAB_VERSION)));
    });

    auto* toolbar = addToolBar(tr("Run"));
    toolbar->setObjectName(QStringLiteral("RunToolbar"));
    toolbar->addAction(trainAction_);
    toolbar->addAction(pauseAction_);
    toolbar->addAction(stopAction_);
}

void MainWindow::addChartActions(QCustomPlot* chart, const QString& stableName) {
    addChartContextMenu(chart, stableName, [this](const QString& message, bool error) {
        if (error) showBanner(message);
        else status_->setText(message);
    });
}

ExperimentConfig MainWindow::currentConfig() const {
    ExperimentConfig cfg;
    cfg.dataset = datasetPanel_->config();
    trainingPanel_->applyTo(cfg);
    return cfg;
}

void MainWindow::applyConfig(const ExperimentConfig& cfg) {
    trainingPanel_->setFrom(cfg);
    datasetPanel_->setConfig(cfg.dataset);
    loadDataIfNeeded();
}

bool MainWindow::applyPreset(const QString& name) {
    try {
        applyConfig(loadPreset(name.toStdString()));
        status_->setText(tr("Preset '%1' loaded").arg(name));
        return true;
    } catch (const std::exception& e) {
        showBanner(QString::fromUtf8(e.what()));
        return false;
    }
}

bool MainWindow::isTraining() const { return controller_->isRunning(); }

const RunRecord* MainWindow::run(int id) const {
    auto it = runs_.find(id);
    return it == runs_.end() ? nullptr : &it->second;
}

QString MainWindow::bannerText() const { return banner_->isVisible() ? banner_->text() : QString(); }

void MainWindow::showBanner(const QString& text) {
    banner_->setText(text);
    banner_->setVisible(!text.isEmpty());
    if (!text.isEmpty()) spdlog::warn("{}", text.toStdString());
}

void MainWindow::loadDataIfNeeded() {
    const DatasetConfig cfg = datasetPanel_->config();
    const QString key = dataKeyOf(cfg);
    if (key == dataKey_ && data_) return;
    if (key == loadingKey_ && loader_.isRunning()) return;
    data_.reset();
    dataKey_.clear();
    datasetPanel_->setLoadedData(nullptr);
    loadingKey_ = key;
    status_->setText(tr("Loading %1…").arg(QString::fromStdString(cfg.id)));
    loader_.setFuture(QtConcurrent::run([cfg, key]() {
        LoadResult r;
        r.key = key;
        try {
            r.data = std::make_shared<const Dataset>(loadDataset(cfg));
        } catch (const std::exception& e) {
            r.error = QString::fromUtf8(e.what());
        }
        return r;
    }));
}

void MainWindow::onDataLoaded() {
    const LoadResult r = loader_.result();
    if (r.key != dataKeyOf(datasetPanel_->config())) {  // the user moved on meanwhile
        loadDataIfNeeded();
        return;
    }
    loadingKey_.clear();
    if (!r.error.isEmpty()) {
        datasetPanel_->showLoadError(r.error);
        showBanner(tr("Cannot load the dataset: %1").arg(r.error));
        status_->setText(tr("Dataset not loaded"));
        return;
    }
    data_ = r.data;
    dataKey_ = r.key;
    datasetPanel_->setLoadedData(data_);
    if (banner_->text().startsWith(tr("Cannot load the dataset"))) showBanner({});
    status_->setText(tr("%1 loaded: %2 training / %3 test examples")
                         .arg(QString::fromStdString(data_->id))
                         .arg(data_->train.size())
                         .arg(data_->test.size()));
    Q_EMIT dataLoaded();
}

void MainWindow::setRunning(bool running) {
    trainAction_->setEnabled(!running);
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
    startRun(currentConfig());
}

void MainWindow::startRun(const ExperimentConfig& cfg) {
    try {
        validateConfig(cfg);
        resolveDevice(cfg.train.device);
    } catch (const std::exception& e) {
        showBanner(tr("Cannot train: %1").arg(QString::fromUtf8(e.what())));
        return;
    }
    showBanner({});
    const int id = nextRunId_++;
    RunRecord& run = runs_[id];
    run.id = id;
    run.config = cfg;
    activeRunId_ = id;
    runsView_->upsert(run);
    shownRunId_ = id;
    errorCurves_->clearRun();
    margins_->clearRun();
    errorBars_->clearRun();
    confusion_->clearRun();
    runsView_->blockSignals(true);
    runsView_->selectRun(id);
    runsView_->blockSignals(false);
    const auto data = (data_ && dataKey_ == dataKeyOf(cfg.dataset)) ? data_ : nullptr;
    controller_->start(id, cfg, data, checkpointPath(id).toStdString());
    setRunning(true);
    progress_->setValue(0);
    status_->setText(tr("Run #%1 starting…").arg(id));
    spdlog::info("run #{} started: {}", id, run.title().toStdString());
}

int MainWindow::queueGrid(const QueueGrid& grid) {
    std::vector<ExperimentConfig> configs;
    const ExperimentConfig base = currentConfig();
    for (double rho : grid.rhos)
        for (const auto& id : grid.methods)
            for (uint64_t seed : grid.seeds) {
                ExperimentConfig c = applyMethod(base, findMethod(id));
                c.dataset.rho = rho;
                c.dataset.seed = seed;  // as imblab-cli sweep: the seed also draws the kept subset
                c.train.seed = seed;
                validateConfig(c);
                configs.push_back(c);
            }
    if (!queueActive_) {
        queueDone_ = queueTotal_ = queueFailed_ = 0;
        queueClock_.start();
    }
    queue_.insert(queue_.end(), configs.begin(), configs.end());
    queueTotal_ += int(configs.size());
    queueActive_ = true;
    updateQueueBar();
    if (!controller_->isRunning()) startNextQueued();
    return int(configs.size());
}

void MainWindow::cancelQueue() {
    if (!queue_.empty()) status_->setText(tr("Queue cancelled: %1 runs not started").arg(queue_.size()));
    queue_.clear();
    queueActive_ = false;
    updateQueueBar();
}

void MainWindow::queuedRunEnded(bool failed) {
    ++queueDone_;
    if (failed) ++queueFailed_;
    if (queue_.empty()) {
        queueActive_ = false;
        status_->setText(queueFailed_ > 0 ? tr("Queue finished: %1 runs, %2 failed (see the Runs list)").arg(queueDone_).arg(queueFailed_)
                                          : tr("Queue finished: %1 runs").arg(queueDone_));
    } else {
        QTimer::singleShot(0, this, &MainWindow::startNextQueued);
    }
    updateQueueBar();
}

void MainWindow::startNextQueued() {
    if (queue_.empty() || controller_->isRunning()) return;
    const ExperimentConfig next = queue_.front();
    queue_.pop_front();
    startRun(next);
    updateQueueBar();
}

void MainWindow::updateQueueBar() {
    queueBar_->setVisible(queueActive_);
    if (!queueActive_) return;
    queueBar_->setRange(0, std::max(1, queueTotal_));
    queueBar_->setValue(queueDone_);
    QString eta = QStringLiteral("…");
    if (queueDone_ > 0) {
        const double perRun = queueClock_.elapsed() / 1000.0 / queueDone_;
        eta = formatSeconds(perRun * (queueTotal_ - queueDone_));
    }
    queueBar_->setFormat(tr("Queue %1/%2 · ETA %3").arg(queueDone_).arg(queueTotal_).arg(eta));
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
    QString text = tr("Run #%1 · epoch %2/%3 · step %4/%5 · %6 img/s · ETA %7")
                       .arg(run.id)
                       .arg(r.epoch + 1)
                       .arg(run.config.train.epochs)
                       .arg(r.step)
                       .arg(r.totalSteps)
                       .arg(r.imgPerSec, 0, 'f', 0)
                       .arg(formatSeconds(r.etaSeconds));
    if (const MetricsReport* last = run.lastEpoch())
        text += tr(" · balanced error %1%").arg(100 * last->balancedError, 0, 'f', 2);
    if (controller_->isPaused()) text += tr(" · paused");
    status_->setText(text);
    progress_->setValue(r.totalSteps ? int(1000 * r.step / r.totalSteps) : 0);
}

void MainWindow::refreshCharts() {
    if (!chartsDirty_) return;
    chartsDirty_ = false;
    if (auto it = runs_.find(activeRunId_); it != runs_.end()) runsView_->upsert(it->second);
    auto it = runs_.find(shownRunId_);
    if (it == runs_.end()) return;
    if (!it->second.hasInfo) {  // reports can arrive before started() delivered the class names
        chartsDirty_ = true;
        return;
    }
    errorCurves_->showRun(it->second);
    margins_->showRun(it->second);
    errorBars_->showRun(it->second);
    confusion_->showRun(it->second);
}

void MainWindow::showRunCharts(int id) {
    auto it = runs_.find(id);
    if (it == runs_.end()) return;
    if (id != shownRunId_) {
        errorCurves_->clearRun();
        margins_->clearRun();
        errorBars_->clearRun();
        confusion_->clearRun();
    }
    shownRunId_ = id;
    chartsDirty_ = true;
    refreshCharts();
}

void MainWindow::onConfusionCell(int trueClass, int predicted) {
    const RunRecord* run = this->run(shownRunId_);
    const MetricsReport* last = run ? run->lastEpoch() : nullptr;
    if (!last || last->testPredictions.empty()) return;
    if (!data_ || dataKey_ != dataKeyOf(run->config.dataset)) {
        status_->setText(tr("The images of this run's dataset are not loaded"));
        return;
    }
    auto* dialog = new ConfusionExamplesDialog(data_, last->testPredictions, trueClass, predicted, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

QString MainWindow::exportAllCharts(const QString& folder, const ChartExportOptions& options) {
    const std::pair<QCustomPlot*, QString> charts[] = {{errorCurves_, QStringLiteral("error_curves")},
                                                       {margins_, QStringLiteral("margins")},
                                                       {errorBars_, QStringLiteral("class_errors")},
                                                       {confusion_, QStringLiteral("confusion")}};
    for (const auto& [chart, name] : charts)
        for (const QString& format : {QStringLiteral("png"), QStringLiteral("pdf"), QStringLiteral("svg")})
            if (const QString err = exportChart(chart, QDir(folder).filePath(name + "." + format), options); !err.isEmpty())
                return err;
    return {};
}

QString MainWindow::checkpointPath(int runId) const {
    return checkpoints_.isValid() ? checkpoints_.filePath(QStringLiteral("run-%1.pt").arg(runId)) : QString();
}

QString MainWindow::resumeRun(int runId) {
    auto it = runs_.find(runId);
    if (it == runs_.end()) return tr("No run #%1").arg(runId);
    RunRecord& run = it->second;
    if (controller_->isRunning()) return tr("A run is training: stop it first");
    if (!run.finished || run.summary.status != RunStatus::Cancelled || !run.error.isEmpty())
        return tr("Only a stopped run can be resumed (run #%1 is %2)").arg(runId).arg(run.statusText());
    const QString path = checkpointPath(runId);
    CheckpointProgress progress;
    try {
        progress = readCheckpointProgress(path.toStdString());
    } catch (const std::exception&) {
        return tr("Run #%1 has no checkpoint (it stopped before the end of its first epoch, or its session was saved "
                  "without one): train it again")
            .arg(runId);
    }
    // The reports after the checkpoint are trained again; drop them.
    auto& epochs = run.epochReports;
    epochs.erase(std::remove_if(epochs.begin(), epochs.end(), [&](const MetricsReport& r) { return r.epoch >= progress.epochs; }),
                 epochs.end());
    auto& steps = run.stepReports;
    steps.erase(std::remove_if(steps.begin(), steps.end(), [&](const MetricsReport& r) { return r.step > progress.step; }),
                steps.end());
    run.finished = false;
    run.summary = RunSummary{};
    run.trainer.reset();
    activeRunId_ = runId;
    shownRunId_ = runId;
    const auto data = (data_ && dataKey_ == dataKeyOf(run.config.dataset)) ? data_ : nullptr;
    controller_->start(runId, run.config, data, path.toStdString(), true);
    setRunning(true);
    runsView_->upsert(run);
    chartsDirty_ = true;
    refreshCharts();
    status_->setText(tr("Run #%1 resumed after epoch %2").arg(runId).arg(progress.epochs));
    spdlog::info("run #{} resumed from epoch {} (step {})", runId, progress.epochs, progress.step);
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

QString MainWindow::exportModel(int runId, const QString& path) {
    const RunRecord* r = run(runId);
    if (!r || !r->trainer) return tr("No finished run with a model is selected");
    try {
        if (path.endsWith(QStringLiteral(".pt"))) r->trainer->saveModel(path.toStdString());
        else exportSafetensors(*r->trainer, path.toStdString());
        return {};
    } catch (const std::exception& e) {
        return tr("Cannot export the model: %1").arg(QString::fromUtf8(e.what()));
    }
}

QString MainWindow::exportMetricsCsv(int runId, const QString& path) {
    const RunRecord* r = run(runId);
    if (!r || !r->hasInfo) return tr("No run is selected");
    try {
        writeTextAtomically(path.toStdString(), metricsCsvHeader() + metricsCsvRows(r->title().toStdString(), r->epochReports,
                                                                                    r->info.classNames, r->info.classCounts));
        return {};
    } catch (const std::exception& e) {
        return tr("Cannot export the metrics: %1").arg(QString::fromUtf8(e.what()));
    }
}

namespace {

// Copies `from` to `to` through a temporary file beside it, like every file we write.
void copyAtomically(const QString& from, const QString& to) {
    writeFileAtomically(to.toStdString(), [&](const std::string& tmp) {
        QFile::remove(QString::fromStdString(tmp));
        if (!QFile::copy(from, QString::fromStdString(tmp)))
            throw DataError(from.toStdString(), "cannot be copied to " + to.toStdString());
    });
}

} // namespace

QString MainWindow::saveSession(const QString& path, bool withRuns) {
    try {
        Session session;
        session.config = currentConfig();
        int resumable = 0;
        if (withRuns) {
            // Stopped runs keep their last checkpoint beside the session ("<name>.checkpoints/"),
            // copied before the session names it, so Resume works after a restart.
            const QFileInfo file(path);
            const QString folder = file.fileName() + QStringLiteral(".checkpoints");
            for (const auto& [id, r] : runs_) {
                if (!r.finished || !r.hasInfo || !r.error.isEmpty()) continue;
                SessionRun s;
                s.id = id;
                s.config = r.config;
                s.info = r.info;
                s.summary = r.summary;
                s.epochReports = r.epochReports;
                s.stepReports = r.stepReports;
                const QString own = checkpointPath(id);
                if (r.summary.status == RunStatus::Cancelled && !own.isEmpty() && QFile::exists(own)) {
                    const QString relative = folder + QStringLiteral("/run-%1.pt").arg(id);
                    if (!file.absoluteDir().mkpath(folder))
                        throw DataError(file.absoluteDir().filePath(folder).toStdString(), "cannot be created");
                    copyAtomically(own, file.absoluteDir().filePath(relative));
                    s.checkpoint = relative.toStdString();
                    ++resumable;
                }
                session.runs.push_back(std::move(s));
            }
        }
        writeTextAtomically(path.toStdString(), sessionToJson(session));
        status_->setText(session.runs.empty() ? tr("Session saved to %1").arg(path)
                         : resumable == 0 ? tr("Session with %1 runs saved to %2").arg(session.runs.size()).arg(path)
                                          : tr("Session with %1 runs (%2 stopped, resumable) saved to %3")
                                                .arg(session.runs.size())
                                                .arg(resumable)
                                                .arg(path));
        rememberRecent(path);
        return {};
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
}

QStringList MainWindow::restoreCheckpoints(const Session& session, const QString& sessionPath) {
    QStringList problems;
    const QDir dir = QFileInfo(sessionPath).absoluteDir();
    for (const auto& s : session.runs) {
        const QString own = checkpointPath(s.id);
        if (own.isEmpty()) continue;
        QFile::remove(own);  // an earlier run's checkpoint under this id is not this run's
        if (s.checkpoint.empty()) continue;
        const QString saved = dir.filePath(QString::fromStdString(s.checkpoint));
        if (!QFile::exists(saved)) {
            problems << tr("run #%1, its checkpoint %2 is missing").arg(s.id).arg(saved);
            continue;
        }
        try {
            copyAtomically(saved, own);
        } catch (const std::exception& e) {
            problems << tr("run #%1, %2").arg(s.id).arg(QString::fromUtf8(e.what()));
        }
    }
    return problems;
}

QString MainWindow::openSession(const QString& path) {
    QStringList missingCheckpoints;
    try {
        if (!QFileInfo::exists(path)) throw DataError(path.toStdString(), "session file not found");
        const Session session = loadSessionFile(path.toStdString());
        validateConfig(session.config);
        if (!session.runs.empty() && controller_->isRunning())
            return tr("Cannot open %1 while a run is training: stop it first (the session's runs replace the list)").arg(path);
        applyConfig(session.config);
        if (!session.runs.empty()) {
            // The session's runs replace the list, ids and all, so the screen is the one saved.
            runs_.clear();
            runsView_->setRowCount(0);
            for (const auto& s : session.runs) {
                RunRecord& r = runs_[s.id];
                r.id = s.id;
                r.config = s.config;
                r.info = s.info;
                r.hasInfo = true;
                r.epochReports = s.epochReports;
                r.stepReports = s.stepReports;
                r.finished = true;
                r.summary = s.summary;
                runsView_->upsert(r);
                nextRunId_ = std::max(nextRunId_, s.id + 1);
            }
            runsTable_->refresh(runs_);
            missingCheckpoints = restoreCheckpoints(session, path);
            shownRunId_ = session.runs.back().id;
            runsView_->blockSignals(true);
            runsView_->selectRun(shownRunId_);
            runsView_->blockSignals(false);
            showRunCharts(shownRunId_);
        }
        status_->setText(session.runs.empty() ? tr("Session %1 opened").arg(path)
                                              : tr("Session %1 opened with %2 runs").arg(path).arg(session.runs.size()));
        if (!missingCheckpoints.isEmpty())
            showBanner(tr("Session opened, but these stopped runs cannot be resumed: %1").arg(missingCheckpoints.join(QStringLiteral("; "))));
        rememberRecent(path);
        return {};
    } catch (const std::exception& e) {
        return tr("Cannot open the session: %1").arg(QString::fromUtf8(e.what()));
    }
}

void MainWindow::rememberRecent(const QString& path) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    recent_.removeAll(absolute);
    recent_.prepend(absolute);
    while (recent_.size() > 8) recent_.removeLast();
    if (useSettings_) QSettings().setValue(QStringLiteral("session/recent"), recent_);
    recentMenu_->clear();
    for (const QString& file : recent_)
        recentMenu_->addAction(QFileInfo(file).fileName(), this, [this, file] {
            if (const QString err = openSession(file); !err.isEmpty()) showBanner(err);
        })->setToolTip(file);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
    for (const QUrl& url : e->mimeData()->urls())
        if (url.isLocalFile() && (url.toLocalFile().endsWith(QStringLiteral(".imblab")) || url.toLocalFile().endsWith(QStringLiteral(".json")))) {
            e->acceptProposedAction();
            return;
        }
}

void MainWindow::dropEvent(QDropEvent* e) {
    for (const QUrl& url : e->mimeData()->urls()) {
        if (!url.isLocalFile()) continue;
        if (const QString err = openSession(url.toLocalFile()); !err.isEmpty()) showBanner(err);
        e->acceptProposedAction();
        return;
    }
}

QString MainWindow::writeRunReport(int runId, const QString& path) {
    const RunRecord* r = run(runId);
    const MetricsReport* last = r ? r->lastEpoch() : nullptr;
    if (!last) return tr("No evaluated run is selected");
    showRunCharts(runId);
    const QFileInfo info(path);
    if (!info.absoluteDir().exists()) return tr("%1: the folder does not exist").arg(path);
    const QString tmp = info.absolutePath() + "/." + info.fileName() + ".tmp";
    {
        QPdfWriter pdf(tmp);
        pdf.setPageSize(QPageSize(QPageSize::A4));
        pdf.setPageOrientation(QPageLayout::Landscape);
        pdf.setResolution(96);
        pdf.setTitle(tr("Imbalance Lab run report: %1").arg(r->title()));
        QCPPainter p;  // one painter for the text page and the charts (QCustomPlot draws with it)
        if (!p.begin(&pdf)) return tr("%1: cannot be written").arg(path);
        const QRect page = p.viewport();
        auto pct = [](double v) { return std::isfinite(v) ? QString::number(100 * v, 'f', 2) + "%" : QStringLiteral("–"); };
        QString html = QStringLiteral("<h2>%1</h2>").arg(r->title().toHtmlEscaped());
        const ExperimentConfig& c = r->config;
        html += tr("<p>Dataset %1, profile %2, ρ = %3, μ = %4 · model %5, loss %6, re-balancing %7%8 · %9 epochs, batch %10, "
                   "lr %11, seed %12 · %13, %14 s, %15 img/s</p>")
                    .arg(QString::fromStdString(c.dataset.id), QString::fromStdString(c.dataset.profile))
                    .arg(c.dataset.rho)
                    .arg(c.dataset.mu)
                    .arg(QString::fromStdString(c.train.model), QString::fromStdString(c.loss.type), QString::fromStdString(c.rebalance.type))
                    .arg(c.rebalance.deferred ? tr(" deferred from epoch %1").arg(r->info.rebalanceEpoch + 1) : QString())
                    .arg(c.train.epochs)
                    .arg(c.train.batchSize)
                    .arg(c.train.lr)
                    .arg(c.train.seed)
                    .arg(QString::fromStdString(r->info.device + ", " + r->info.pipeline + " pipeline, " +
                                                c.train.precision + (c.train.channelsLast ? ", channels-last" : "")))
                    .arg(r->summary.wallSeconds, 0, 'f', 1)
                    .arg(r->summary.imgPerSec, 0, 'f', 0);
        html += tr("<p><b>Balanced error %1</b> (frequent %2, minority %3) · post-hoc logit adjustment %4 · ECE %5 · "
                   "many/medium/few-shot accuracy %6 / %7 / %8 · last epoch (%9)</p>")
                    .arg(pct(last->balancedError), pct(last->frequentError), pct(last->minorityError), pct(last->balancedErrorPostHocLA))
                    .arg(last->ece, 0, 'f', 4)
                    .arg(pct(last->manyShotAccuracy), pct(last->mediumShotAccuracy), pct(last->fewShotAccuracy))
                    .arg(last->epoch + 1);
        html += QStringLiteral("<table border='1' cellspacing='0' cellpadding='3'><tr><th>class</th><th>n train</th><th>test error</th>"
                               "<th>train error</th><th>margin γ_j (min)</th><th>median margin</th><th>Δ_j</th><th>w_j</th></tr>");
        for (size_t k = 0; k < r->info.classNames.size(); ++k) {
            html += QStringLiteral("<tr><td>%1</td><td align='right'>%2</td><td align='right'>%3</td><td align='right'>%4</td>"
                                   "<td align='right'>%5</td><td align='right'>%6</td><td align='right'>%7</td><td align='right'>%8</td></tr>")
                        .arg(QString::fromStdString(r->info.classNames[k]).toHtmlEscaped())
                        .arg(r->info.classCounts[k])
                        .arg(pct(last->testErrorPerClass[k]), k < last->trainErrorPerClass.size() ? pct(last->trainErrorPerClass[k]) : QString())
                        .arg(k < last->margins.size() ? QString::number(last->margins[k].min, 'f', 3) : QString())
                        .arg(k < last->margins.size() ? QString::number(last->margins[k].median, 'f', 3) : QString())
                        .arg(k < r->info.deltas.size() ? QString::number(r->info.deltas[k], 'f', 3) : QStringLiteral("–"))
                        .arg(k < r->info.classWeights.size() ? QString::number(r->info.classWeights[k], 'f', 3) : QStringLiteral("–"));
        }
        html += QStringLiteral("</table>");
        QTextDocument doc;
        doc.setDefaultFont(QFont(font().family(), 11));
        doc.setHtml(html);
        doc.setTextWidth(page.width());
        doc.drawContents(&p);
        for (QCustomPlot* chart : std::initializer_list<QCustomPlot*>{errorCurves_, margins_, errorBars_, confusion_}) {
            pdf.newPage();
            chart->toPainter(&p, page.width(), page.height());
        }
        p.end();
    }
    QFile::remove(path);
    if (!QFile::rename(tmp, path)) {
        QFile::remove(tmp);
        return tr("%1: cannot replace the file").arg(path);
    }
    return {};
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
