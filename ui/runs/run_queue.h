// Run ▸ Queue a Grid: configurations waiting to run one after another, with how many are done,
// how many failed and an ETA: from the running run's own pace until one has ended, then from the
// mean wall time of those that ended. It decides nothing about training: the window
// takes the next config when the controller is free.
#pragma once

#include "api/experiment_config.h"

#include <QObject>

#include <deque>
#include <vector>

namespace imblab::ui {

class RunQueue : public QObject {
    Q_OBJECT
public:
    explicit RunQueue(QObject* parent = nullptr);

    // Appends configs, each with the id of the run record that waits for it (listed as "queued";
    // none when empty); a new grid (none active) restarts the counts.
    void enqueue(const std::vector<ExperimentConfig>& configs, const std::vector<int>& runIds = {});
    // Drops the runs not started yet; the count of dropped runs.
    int cancel();
    bool hasNext() const { return !pending_.empty(); }
    // The next config, and its run record's id (0: none) in `runId`.
    ExperimentConfig takeNext(int* runId = nullptr);
    std::vector<int> pendingRunIds() const;  // of the configs not started yet
    // The running queued run's progress, from its reports: seconds so far and its own ETA.
    void runProgress(double elapsedSeconds, double etaSeconds);
    // A queued run ended after `wallSeconds`: counts it; when none is left the grid is over
    // (finished()).
    void runEnded(bool failed, double wallSeconds);

    bool isActive() const { return active_; }
    int done() const { return done_; }
    int total() const { return total_; }
    int failed() const { return failed_; }
    int pending() const { return int(pending_.size()); }
    // The queued run now going, counted from 1 ("run 2 of 6"); 0 before the first starts.
    int current() const { return started_; }
    // Seconds left: the running run's ETA plus, for each run not started, the mean wall time of
    // the runs that ended (before any has ended: the running run's projected length, elapsed +
    // ETA). Negative while nothing is known (no run has reported or ended).
    double etaSeconds() const;

Q_SIGNALS:
    void changed();
    void finished(int done, int failed);

private:
    std::deque<std::pair<ExperimentConfig, int>> pending_;  // config and its run id
    bool active_ = false;
    int done_ = 0, total_ = 0, failed_ = 0, started_ = 0;
    double endedSeconds_ = 0;                   // wall time of the runs that ended
    double runElapsed_ = -1, runEta_ = -1;      // the running run's last report; -1: none yet
};

} // namespace imblab::ui
