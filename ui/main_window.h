// The main window: composes the panels, charts, runs list and log; wires them to the
// training controller. It holds no training logic of its own.
#pragma once

#include "api/experiment_config.h"
#include "data/dataset.h"
#include "charts/chart_export.h"
#include "run_record.h"

#include <QFutureWatcher>
#include <QMainWindow>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <deque>
#include <QTimer>

#include <map>
#include <memory>

class QAction;
class QMenu;
class QLabel;
class QProgressBar;
class QCustomPlot;

namespace imblab {
struct Session;
}

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
struct QueueGrid;

struct LoadResult {
    std::shared_ptr<const Dataset> data;
    QString error;
    QString key;
};

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
    const RunRecord* run(int id) const;
    int shownRunId() const { return shownRunId_; }
    int activeRunId() const { return activeRunId_; }  // the run training now (or last)
    bool isDataLoaded() const { return data_ != nullptr; }
    QString bannerText() const;

    DatasetPanel* datasetPanel() const { return datasetPanel_; }
    TrainingPanel* trainingPanel() const { return trainingPanel_; }
    RunsView* runsView() const { return runsView_; }
    RunsTableView* runsTable() const { return runsTable_; }
    // Loads a run's settings into the panels (same data, same seed) to change one thing.
    bool duplicateRunSettings(int runId);
    // Queues every method × seed × ρ on top of the current settings and starts the first (or
    // after the run now training); returns how many runs were queued. ConfigError on a bad one.
    int queueGrid(const QueueGrid& grid);
    void cancelQueue();
    int queueDone() const { return queueDone_; }
    int queueTotal() const { return queueTotal_; }
    QProgressBar* queueProgress() const { return queueBar_; }

    // Continues a stopped run from its last epoch checkpoint; an error message, or empty.
    QString resumeRun(int runId);
    // Opens the A/B view of two runs (A first); nullptr with the reason in `error`.
    RunComparisonDialog* compareRuns(int runA, int runB, QString* error = nullptr);
    LogPanel* logPanel() const { return logPanel_; }
    ErrorCurvesChart* errorCurves() const { return errorCurves_; }
    MarginHistogramChart* marginChart() const { return margins_; }
    ClassErrorBarsChart* errorBars() const { return errorBars_; }
    ConfusionMapChart* confusionChart() const { return confusion_; }
    QAction* trainAction() const { return trainAction_; }
    QAction* pauseAction() const { return pauseAction_; }
    QAction* stopAction() const { return stopAction_; }
    QLabel* statusLabel() const { return status_; }
    // Opens (or raises) the teaching mode window.
    TeachingWindow* openTeaching();

    // Writes every chart of the shown run as PNG, PDF and SVG into `folder` with stable names
    // (error_curves.png, margins.pdf, ...). Returns the first error, or an empty string.
    QString exportAllCharts(const QString& folder, const ChartExportOptions& options = {});
    // The model of a finished run: .safetensors (PyTorch names) or .pt (LibTorch archive).
    QString exportModel(int runId, const QString& path);
    // Long-form metrics CSV of a run's evaluations.
    QString exportMetricsCsv(int runId, const QString& path);
    // Session file: the dataset and training settings (versioned JSON, the CLI's --config schema).
    // withRuns: also the finished runs with their metrics (reopening restores the Runs list and
    // charts; the trained models are not stored).
    QString saveSession(const QString& path, bool withRuns = true);
    QString openSession(const QString& path);
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
    QString checkpointPath(int runId) const;
    // Copies the session's saved checkpoints to where Resume looks; what could not be restored.
    QStringList restoreCheckpoints(const Session& session, const QString& sessionPath);
    void startRun(const ExperimentConfig& cfg);
    void startNextQueued();
    void queuedRunEnded(bool failed);  // counts it; starts the next or reports the grid done
    void updateQueueBar();
    void buildMenus();
    void addChartActions(QCustomPlot* chart, const QString& stableName);
    void loadDataIfNeeded();
    void onDataLoaded();
    void setRunning(bool running);
    void showBanner(const QString& text);
    void refreshCharts();
    void showRunCharts(int id);
    void updateStatus(const MetricsReport& r, const RunRecord& run);
    void onConfusionCell(int trueClass, int predicted);

    std::deque<ExperimentConfig> queue_;  // queued runs not started yet
    bool queueActive_ = false;
    int queueDone_ = 0, queueTotal_ = 0, queueFailed_ = 0;
    QElapsedTimer queueClock_;
    QProgressBar* queueBar_ = nullptr;
    QTemporaryDir checkpoints_;  // each run's checkpoint.pt, for Resume; gone when the app closes
    DatasetPanel* datasetPanel_;
    TrainingPanel* trainingPanel_;
    RunsView* runsView_;
    RunsTableView* runsTable_;
    LogPanel* logPanel_;
    ErrorCurvesChart* errorCurves_;
    MarginHistogramChart* margins_;
    ClassErrorBarsChart* errorBars_;
    ConfusionMapChart* confusion_;
    QLabel* banner_;
    QLabel* status_;
    QProgressBar* progress_;
    QAction* trainAction_;
    QAction* pauseAction_;
    QAction* stopAction_;
    TrainingController* controller_;

    std::map<int, RunRecord> runs_;
    int nextRunId_ = 1;
    int activeRunId_ = -1;
    int shownRunId_ = -1;
    bool chartsDirty_ = false;
    QTimer redrawTimer_;  // ≤ 10 Hz chart refresh, whatever the report rate

    std::shared_ptr<const Dataset> data_;
    QString dataKey_, loadingKey_;
    QFutureWatcher<LoadResult> loader_;
    bool useSettings_;
    TeachingWindow* teaching_ = nullptr;
    QStringList recent_;
    QMenu* recentMenu_ = nullptr;
    void rememberRecent(const QString& path);
};

} // namespace imblab::ui
