// Teaching mode: two models trained side by side on the same imbalanced 2-D blobs, each with
// its live decision view, per-class errors and margins; lessons with captions; step one epoch,
// replay with a time slider, and a presentation mode. A second tab holds the margin theory
// explorer.
#pragma once

#include "api/experiment_config.h"
#include "api/metrics_report.h"
#include "api/run_info.h"
#include "data/dataset.h"
#include "api/decision_grid.h"
#include "teaching/lesson_captions.h"

#include <QWidget>

#include <array>
#include <memory>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;
class QTabWidget;

namespace imblab::ui {

class DecisionView;
class MarginTheoryView;
class TrainingController;

class DatasetCache;

class TeachingWindow : public QWidget {
    Q_OBJECT
public:
    explicit TeachingWindow(QWidget* parent = nullptr);
    ~TeachingWindow() override;

    void setLesson(int index);
    void trainBoth();
    void stepEpoch();  // trains one more epoch on each side, then pauses
    void stopBoth();
    bool isRunning() const;
    void setPresentationMode(bool on);
    // The image dataset whose LDAM margins the explorer shows beside the binary theory.
    void setDatasetCounts(const std::vector<std::string>& names, const std::vector<int64_t>& counts);
    // The length of one side's run when paced (slow 20 s, normal 10 s); 0 = as fast as possible.
    void setPaceSeconds(double seconds);
    double paceSeconds() const;

    DecisionView* view(int side) const;
    MarginTheoryView* theory() const { return theory_; }
    QLabel* caption() const { return caption_; }
    QSlider* replaySlider() const { return replay_; }
    QComboBox* paceBox() const { return pace_; }
    QSpinBox* epochsBox() const { return epochs_; }
    QComboBox* methodBox(int side) const;
    QLabel* stats(int side) const;
    const std::vector<MetricsReport>& epochReports(int side) const;
    const RunInfo& info(int side) const;
    ExperimentConfig sideConfig(int side) const;

Q_SIGNALS:
    void bothFinished();

private:
    void startBoth(const std::shared_ptr<const Dataset>& data);
    void dataFailed(const QString& error);
    // The empty state: both views show the lesson's points, the ideal boundary and a hint.
    void showData(const std::shared_ptr<const Dataset>& data);
    void resetViews();  // clears runs, views and numbers, then previews the current settings' data
    void clearRuns();   // the runs' grids, reports and numbers
    void applyPace();
    struct Side;
    // Shows grid `index` of each side (clamped to what it has) with the other side's boundary
    // at the same index dashed, and the numbers of that epoch.
    void showIndex(int index);
    void updateStats(Side& s, int gridIndex);
    void sideFinished();

    QComboBox* lesson_;
    QLabel* caption_;
    QSpinBox* classes_;
    QDoubleSpinBox* rho_;
    QComboBox* profile_;
    QDoubleSpinBox* mu_;
    QDoubleSpinBox* spread_;
    QDoubleSpinBox* separation_;
    QSpinBox* seed_;
    QSpinBox* epochs_;
    QComboBox* pace_;
    QCheckBox* presentation_;
    QPushButton* train_;
    QPushButton* step_;
    QPushButton* stop_;
    QSlider* replay_;
    QLabel* replayLabel_;
    QTabWidget* tabs_;
    MarginTheoryView* theory_;
    QWidget* advanced_;
    std::array<std::unique_ptr<Side>, 2> sides_;
    std::shared_ptr<const Dataset> data_;
    DatasetCache* cache_ = nullptr;
    bool waitingForData_ = false;  // Train pressed; the sides start when the data is made
    bool previewPending_ = false;  // the empty state waits for the data
    DecisionGrid gridSpec_;        // the bounds both views' grids cover
    int running_ = 0;
    // Runs carry id 2·generation + side; a new lesson or run bumps it, so signals still queued
    // from a stopped run cannot draw into the new lesson's views.
    int generation_ = 0;
    int stopping_ = 0;  // sides of an abandoned pair still winding down; Train waits for them
    bool current(int runId) const { return runId / 2 == generation_; }
    void endRuns();  // buttons back to idle
    void oldSideEnded();  // a side of an abandoned pair delivered its end
};

} // namespace imblab::ui
