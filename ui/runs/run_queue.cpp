// The run queue; see run_queue.h.
#include "runs/run_queue.h"

#include <algorithm>

namespace imblab::ui {

RunQueue::RunQueue(QObject* parent) : QObject(parent) {}

void RunQueue::enqueue(const std::vector<ExperimentConfig>& configs, const std::vector<int>& runIds) {
    if (!active_) {
        done_ = total_ = failed_ = started_ = 0;
        endedSeconds_ = 0;
        runElapsed_ = runEta_ = -1;
    }
    for (size_t i = 0; i < configs.size(); ++i) pending_.emplace_back(configs[i], i < runIds.size() ? runIds[i] : 0);
    total_ += int(configs.size());
    active_ = true;
    Q_EMIT changed();
}

int RunQueue::cancel() {
    const int dropped = int(pending_.size());
    pending_.clear();
    active_ = false;
    Q_EMIT changed();
    return dropped;
}

ExperimentConfig RunQueue::takeNext(int* runId) {
    auto [next, id] = pending_.front();
    if (runId) *runId = id;
    pending_.pop_front();
    ++started_;
    runElapsed_ = runEta_ = -1;
    Q_EMIT changed();
    return next;
}

void RunQueue::runProgress(double elapsedSeconds, double etaSeconds) {
    runElapsed_ = std::max(0.0, elapsedSeconds);
    runEta_ = std::max(0.0, etaSeconds);
}

void RunQueue::runEnded(bool failed, double wallSeconds) {
    ++done_;
    if (failed) ++failed_;
    endedSeconds_ += std::max(0.0, wallSeconds);
    runElapsed_ = runEta_ = -1;
    if (pending_.empty()) active_ = false;
    Q_EMIT changed();
    if (!active_) Q_EMIT finished(done_, failed_);
}

std::vector<int> RunQueue::pendingRunIds() const {
    std::vector<int> ids;
    for (const auto& entry : pending_) ids.push_back(entry.second);
    return ids;
}

double RunQueue::etaSeconds() const {
    const bool reported = runEta_ >= 0;
    const bool running = started_ > done_;
    if (done_ == 0) return reported ? runEta_ + (runElapsed_ + runEta_) * double(pending()) : -1;
    const double perRun = endedSeconds_ / double(done_);
    // A run that has not reported yet is counted as a whole run at that pace.
    const double now = running ? (reported ? runEta_ : perRun) : 0.0;
    return now + perRun * double(pending());
}

} // namespace imblab::ui
