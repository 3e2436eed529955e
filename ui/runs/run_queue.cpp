// The run queue; see run_queue.h.
#include "runs/run_queue.h"

namespace imblab::ui {

RunQueue::RunQueue(QObject* parent) : QObject(parent) {}

void RunQueue::enqueue(const std::vector<ExperimentConfig>& configs) {
    if (!active_) {
        done_ = total_ = failed_ = 0;
        clock_.start();
    }
    pending_.insert(pending_.end(), configs.begin(), configs.end());
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

ExperimentConfig RunQueue::takeNext() {
    ExperimentConfig next = pending_.front();
    pending_.pop_front();
    Q_EMIT changed();
    return next;
}

void RunQueue::runEnded(bool failed) {
    ++done_;
    if (failed) ++failed_;
    if (pending_.empty()) active_ = false;
    Q_EMIT changed();
    if (!active_) Q_EMIT finished(done_, failed_);
}

double RunQueue::etaSeconds() const {
    if (done_ == 0) return -1;
    const double perRun = clock_.elapsed() / 1000.0 / done_;
    return perRun * (total_ - done_);
}

} // namespace imblab::ui
