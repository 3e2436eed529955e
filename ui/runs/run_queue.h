// Run ▸ Queue a Grid: configurations waiting to run one after another, with how many are done,
// how many failed and an ETA from the pace so far. It decides nothing about training: the window
// takes the next config when the controller is free.
#pragma once

#include "api/experiment_config.h"

#include <QElapsedTimer>
#include <QObject>

#include <deque>
#include <vector>

namespace imblab::ui {

class RunQueue : public QObject {
    Q_OBJECT
public:
    explicit RunQueue(QObject* parent = nullptr);

    // Appends configs; a new grid (none active) restarts the counts and the clock.
    void enqueue(const std::vector<ExperimentConfig>& configs);
    // Drops the runs not started yet; the count of dropped runs.
    int cancel();
    bool hasNext() const { return !pending_.empty(); }
    ExperimentConfig takeNext();
    // A queued run ended: counts it; when none is left the grid is over (finished()).
    void runEnded(bool failed);

    bool isActive() const { return active_; }
    int done() const { return done_; }
    int total() const { return total_; }
    int failed() const { return failed_; }
    int pending() const { return int(pending_.size()); }
    // Seconds left at the pace of the runs done so far (negative before the first ends).
    double etaSeconds() const;

Q_SIGNALS:
    void changed();
    void finished(int done, int failed);

private:
    std::deque<ExperimentConfig> pending_;
    bool active_ = false;
    int done_ = 0, total_ = 0, failed_ = 0;
    QElapsedTimer clock_;
};

} // namespace imblab::ui
