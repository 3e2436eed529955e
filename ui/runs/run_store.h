// The runs of a window: owns every RunRecord by id, hands out ids, keeps each run's checkpoint
// path for Resume, and says when a run changed (one signal; views redraw from it).
#pragma once

#include "runs/run_record.h"

#include <QObject>
#include <QTemporaryDir>

#include <map>
#include <vector>

namespace imblab::ui {

class RunStore : public QObject {
    Q_OBJECT
public:
    explicit RunStore(QObject* parent = nullptr);

    // A new run with the next id.
    RunRecord& create(const ExperimentConfig& config);
    RunRecord* find(int id);
    const RunRecord* find(int id) const;
    const std::map<int, RunRecord>& all() const { return runs_; }
    bool empty() const { return runs_.empty(); }
    // Forgets a run that never started (a cancelled queue's); says so with removed().
    void remove(int id);
    // Replaces every run (a reopened session), ids and all; the next id follows the largest.
    void replaceAll(std::vector<RunRecord> runs);

    // Applies reports to a run (RunRecord::add), then says it changed.
    void addReports(int id, const std::vector<MetricsReport>& reports);
    // Call after changing a run in place.
    void notifyChanged(int id) { Q_EMIT changed(id); }

    // Where run `id` writes its checkpoint (a folder of the app, gone when it closes); empty when
    // that folder could not be made.
    QString checkpointPath(int id) const;

Q_SIGNALS:
    void changed(int id);
    void reset();  // every run was replaced
    void removed(int id);

private:
    std::map<int, RunRecord> runs_;
    int nextId_ = 1;
    QTemporaryDir checkpoints_;
};

} // namespace imblab::ui
