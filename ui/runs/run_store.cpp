// The run store; see run_store.h.
#include "runs/run_store.h"

#include <algorithm>

namespace imblab::ui {

RunStore::RunStore(QObject* parent) : QObject(parent) {}

RunRecord& RunStore::create(const ExperimentConfig& config) {
    const int id = nextId_++;
    RunRecord& run = runs_[id];
    run.id = id;
    run.config = config;
    Q_EMIT changed(id);
    return run;
}

RunRecord* RunStore::find(int id) {
    auto it = runs_.find(id);
    return it == runs_.end() ? nullptr : &it->second;
}

const RunRecord* RunStore::find(int id) const {
    auto it = runs_.find(id);
    return it == runs_.end() ? nullptr : &it->second;
}

void RunStore::remove(int id) {
    if (runs_.erase(id) > 0) Q_EMIT removed(id);
}

void RunStore::replaceAll(std::vector<RunRecord> runs) {
    runs_.clear();
    for (auto& r : runs) {
        nextId_ = std::max(nextId_, r.id + 1);
        const int id = r.id;
        runs_[id] = std::move(r);
    }
    Q_EMIT reset();
}

void RunStore::addReports(int id, const std::vector<MetricsReport>& reports) {
    RunRecord* run = find(id);
    if (!run) return;
    for (const auto& r : reports) run->add(r);
    Q_EMIT changed(id);
}

QString RunStore::checkpointPath(int id) const {
    return checkpoints_.isValid() ? checkpoints_.filePath(QStringLiteral("run-%1.pt").arg(id)) : QString();
}

} // namespace imblab::ui
