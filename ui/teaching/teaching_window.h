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

struct Lesson {
    QString title, caption;
    int classes;
    double rho, spread, separation;
    std::string left, right;  // method ids
    int epochs;
    bool theory = false;      // opens the margin theory tab
};

const std::vector<Lesson>& lessons();

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

    DecisionView* view(int side) const;
    MarginTheoryView* theory() const { return theory_; }
    QLabel* caption() const { return caption_; }
    QSlider* replaySlider() const { return replay_; }
    const std::vector<MetricsReport>& epochReports(int side) const;
    const RunInfo& info(int side) const;
    ExperimentConfig sideConfig(int side) const;

Q_SIGNALS:
    void bothFinished();

private:
    void startBoth(const std::shared_ptr<const Dataset>& data);
    void dataFailed(const QString& error);
    struct Side;
    void showEpoch(Side& s, int index);
    void updateStats(Side& s, const MetricsReport& r);
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
    int running_ = 0;
};

} // namespace imblab::ui
