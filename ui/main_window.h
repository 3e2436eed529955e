// The main window: composes the panels, the run charts, the runs list and the log, and wires
// them to the rooms that do the work (run store, run queue, session files, report writer,
// dataset cache, training controller). It holds no training logic and no engine object.
#pragma once

#include "api/experiment_config.h"
#include "api/experiment_grid.h"
#include "api/trained_model.h"
#include "data/dataset.h"
#include "charts/chart_export.h"
#include "runs/run_record.h"

#include <QMainWindow>

#include <memory>
#include <optional>
#include <string>

class QAction;
class QMenu;
class QLabel;
class QProgressBar;
class QToolButton;
class QCustomPlot;

namespace imblab::ui {

class DatasetPanel;
class TrainingPanel;
class RunsView;
class RunsTableView;
class LogPanel;
class TrainingController;
class ErrorCurvesChart;
class MarginHistogramChart;
class ClassErrorBarsChart;
class ConfusionMapChart;
class TeachingWindow;
class RunComparisonDialog;
class RunChartsView;
class RunStore;
class RunQueue;
class RunFolderFollower;
class DatasetCache;
using QueueGrid = ExperimentGrid;

// The file dialogs' filter for tables of texts (Open Text Table…, the Dataset panel's Choose…).
QString textTableFilter();

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // useSettings: restore and save geometry and the last settings (QSettings); off in tests.
    explicit MainWindow(bool useSettings = true, QWidget* parent = nullptr);
    ~MainWindow() override;

    ExperimentConfig currentConfig() const;
    void applyConfig(const ExperimentConfig& cfg);
    bool applyPreset(const QString& name);

    bool isTraining() const;
    // Why Train is disabled (the data cannot be loaded), or empty when it is not.
    QString trainBlockedReason() const { return dataProblem_; }
    const RunRecord* run(int id) const;
    int shownRunId() const { return shownRunId_; }
    int activeRunId() const { return activeRunId_; }  // the run training now (or last)
    bool isDataLoaded() const;
    QString bannerText() const;
    // `name` prefixed by the shown run's file stem ("run3_ldam-drw_…_report.pdf"): the default
    // of every export dialog, so a file says which run it came from.
    QString suggestedFileName(const QString& name) const;
    QString statusText() const;

    DatasetPanel* datasetPanel() const { return datasetPanel_; }
    TrainingPanel* trainingPanel() const { return trainingPanel_; }
    RunsView* runsView() const { return runsView_; }
    RunsTableView* runsTable() const { return runsTable_; }
    // Loads a run's settings into the panels (same data, same seed) to change one thing.
    bool duplicateRunSettings(int runId);
    // Queues every method × seed × ρ on top of the current settings and starts the first (or
    // after the run now training); returns how many runs were queued. ConfigError on a bad one.
    // `epochs` > 0: every run of the grid trains that many epochs (the grid dialog's Epochs).
    int queueGrid(const QueueGrid& grid, int epochs = 0);
    void cancelQueue();
    int queueDone() const;
    int queueTotal() const;
    QProgressBar* queueProgress() const { return queueBar_; }
    // Decoding an image folder or list: files done / total, with a Cancel button beside it.
    QProgressBar* loadProgress() const { return loadBar_; }
    QToolButton* cancelLoadButton() const { return cancelLoad_; }

    // Continues a stopped run from its last epoch checkpoint; an error message, or empty.
    QString resumeRun(int runId);
    // Starts a decoupled second stage (crt, lws, tau-norm, mislas, wb; the Training panel's
    // stage-2 epochs) on a finished run's model as a new run whose curves continue that run's; an
    // error message, or empty.
    QString startSecondStage(int runId, const QString& kind);
    // Opens the A/B view of two runs (A first); nullptr with the reason in `error`.
    RunComparisonDialog* compareRuns(int runA, int runB, QString* error = nullptr);
    LogPanel* logPanel() const { return logPanel_; }
    ErrorCurvesChart* errorCurves() const;
    RunChartsView* runCharts() const { return charts_; }
    MarginHistogramChart* marginChart() const;
    ClassErrorBarsChart* errorBars() const;
    ConfusionMapChart* confusionChart() const;
    RunStore* runStore() const { return store_; }
    RunQueue* runQueue() const { return queue_; }
    QAction* trainAction() const { return trainAction_; }
    QAction* pauseAction() const { return pauseAction_; }
    QAction* stopAction() const { return stopAction_; }
    QLabel* statusLabel() const { return status_; }
    // Opens (or raises) the teaching mode window.
    TeachingWindow* openTeaching();

    // Writes every chart of the shown run as PNG, PDF and SVG into `folder` with stable names
    // (error_curves.png, margins.pdf, ...). Returns the first error, or an empty string.
    QString exportAllCharts(const QString& folder, const ChartExportOptions& options = {});
    // The model of a finished run: .safetensors (PyTorch names), .onnx or .pt (LibTorch archive).
    QString exportModel(int runId, const QString& path);
    // A finished run opened from its folder: its model.pt read into the run (once); the reason
    // when it cannot be. Nothing to do (empty) for any other run.
    QString loadFolderModel(int runId);
    // The status bar while the shown run is a followed folder: its latest epoch and error.
    void showFollowedStatus(int id);
    // Long-form metrics CSV of a run's evaluations.
    QString exportMetricsCsv(int runId, const QString& path);
    // Session file: the dataset and training settings (versioned JSON, the CLI's --config schema).
    // withRuns: also the finished runs with their metrics (reopening restores the Runs list and
    // charts; the trained models are not stored).
    QString saveSession(const QString& path, bool withRuns = true);
    QString openSession(const QString& path);
    // A run folder written by imblab-cli train (or a torchrun/Slurm job on a shared file system):
    // shown as a run, and followed ("following" in the Runs list) until its summary.json appears.
    QString openRunFolder(const QString& dir);
    // Dataset ▸ Open Image Folder…, or a folder dropped on the window: DIR/<class>/*.png|jpg|bmp
    // as the data (its own natural imbalance first); an error message, or empty.
    QString openImageFolder(const QString& dir);
    // Dataset ▸ Open List File… / Open CSV Table…, or a .csv dropped on the window: source "list"
    // (lines 'relative/path label', paths relative to the list's folder) or "csv"; an error
    // message, or empty.
    QString openDataFile(const QString& source, const QString& file);
    // Dataset ▸ Open Text Folder… / Open Text Table…, or a folder of .txt class folders or a
    // table of texts dropped on the window: source "text" (data/text_dataset.h); an error
    // message, or empty.
    QString openTextData(const QString& path);
    // What a dropped path opens as: a run folder, a folder of texts or of images, a table of texts
    // or of numbers, else a session.
    QString openDropped(const QString& path);
    RunFolderFollower* runFolderFollower() const { return follower_; }
    QStringList recentSessions() const { return recent_; }
    // A multi-page PDF of a run: settings, per-class table and numbers, then every chart.
    QString writeRunReport(int runId, const QString& path);

public Q_SLOTS:
    void startTraining();
    void togglePause();
    void stopTraining();

Q_SIGNALS:
    void runFinished(int runId);  // after the UI has taken the run's last reports
    void dataLoaded();

protected:
    void closeEvent(QCloseEvent* e) override;
    void dragEnterEvent(QDragEnterEvent* e) override;
    void dropEvent(QDropEvent* e) override;

private:
    // Starts a run of `cfg`: a new record, or the queued record `queuedId` (0: none).
    void startRun(const ExperimentConfig& cfg, int queuedId = 0);
    void startNextQueued();
    void updateQueueBar();
    void buildMenus();        // main_window_menus.cpp
    void buildFileMenu();     // main_window_menus.cpp
    void chooseDataLocation();  // the Dataset panel's Choose…: a folder, a list file or a table
    void chooseTestFile();
    void chooseListRoot();        // a list file's images root
    void chooseClassNamesFile();  // a list file's label names
    void buildLoadProgress();  // main_window_files.cpp
    void loadDataIfNeeded();
    void onDataLoaded(const std::shared_ptr<const Dataset>& data);
    // A reopened session's shown run was measured on data with this split fingerprint; once the
    // data loads (or fails to), the window says whether it is still that data.
    struct SessionDataCheck {
        QString session;
        DatasetConfig dataset;
        std::string fingerprint;
    };
    std::optional<SessionDataCheck> sessionDataCheck_;
    void checkSessionData(const Dataset& data);
    void onRunFinished(int id, const RunSummary& s, const std::shared_ptr<const TrainedModel>& model);
    void onRunFailed(int id, const QString& message);
    void setRunning(bool running);
    void showBanner(const QString& text);
    void report(const QString& error, const QString& success);  // one convention for UI operations
    void refreshCharts();
    void showRunCharts(int id);
    void selectRunQuietly(int id);
    void updateStatus(const MetricsReport& r, const RunRecord& run);
    void onConfusionCell(int trueClass, int predicted);
    void rememberRecent(const QString& path);

    DatasetPanel* datasetPanel_;
    TrainingPanel* trainingPanel_;
    RunsView* runsView_;
    RunsTableView* runsTable_;
    LogPanel* logPanel_;
    RunChartsView* charts_;
    QLabel* banner_;
    QLabel* status_;
    QLabel* trainBlocked_ = nullptr;
    QString dataProblem_;  // the data cannot be loaded: Train is off, saying why
    void updateTrainAvailability();
    QProgressBar* progress_;
    QProgressBar* queueBar_ = nullptr;
    QProgressBar* loadBar_ = nullptr;
    QToolButton* cancelLoad_ = nullptr;
    QAction* trainAction_;
    QAction* pauseAction_;
    QAction* stopAction_;
    TrainingController* controller_;
    RunStore* store_;
    RunQueue* queue_;
    RunFolderFollower* follower_;
    DatasetCache* data_;

    int activeRunId_ = -1;
    int shownRunId_ = -1;
    bool useSettings_;
    TeachingWindow* teaching_ = nullptr;
    QStringList recent_;
    QMenu* recentMenu_ = nullptr;
};

} // namespace imblab::ui
