// Following run folders; see run_folder_follower.h.
#include "runs/run_folder_follower.h"

#include "io/run_folder.h"
#include "runs/run_store.h"

#include <QFileInfo>

namespace imblab::ui {

RunFolderFollower::RunFolderFollower(RunStore& store, QObject* parent) : QObject(parent), store_(store) {
    timer_.setInterval(1000);
    connect(&timer_, &QTimer::timeout, this, &RunFolderFollower::tick);
}

QString RunFolderFollower::follow(int id, const QString& dir) {
    Folder f{dir, -1, {}, 0};
    try {
        if (!poll(id, f)) return {};  // already over: nothing to follow
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
    folders_[id] = f;
    timer_.start();
    return {};
}

bool RunFolderFollower::poll(int id, Folder& f) {
    RunRecord* run = store_.find(id);
    if (!run) return false;
    const std::string dir = f.dir.toStdString();
    // summary.json is read before the metrics: a run that ends between the two reads is then
    // shown with every report its summary counts.
    const auto outcome = readRunFolderOutcome(dir);
    const QFileInfo metrics(f.dir + QStringLiteral("/metrics.jsonl"));
    if (metrics.exists() && (metrics.size() != f.size || metrics.lastModified() != f.modified)) {
        f.size = metrics.size();
        f.modified = metrics.lastModified();
        const std::vector<MetricsReport> all = readRunFolderMetrics(dir);
        // A resumed run rewrites its metrics from the checkpoint on: start over then.
        if (all.size() < f.applied) {
            run->epochReports.clear();
            run->stepReports.clear();
            run->stepThinnings = 0;
            f.applied = 0;
        }
        if (all.size() > f.applied) store_.addReports(id, std::vector<MetricsReport>(all.begin() + long(f.applied), all.end()));
        f.applied = all.size();
    }
    if (!outcome) return true;
    run = store_.find(id);
    run->summary = *outcome;
    if (const MetricsReport* last = run->lastEpoch()) {
        run->summary.hasFinalReport = true;
        run->summary.finalReport = *last;
    }
    run->finished = true;
    store_.notifyChanged(id);
    Q_EMIT ended(id);
    return false;
}

void RunFolderFollower::tick() {
    for (auto it = folders_.begin(); it != folders_.end();) {
        bool keep = false;
        try {
            keep = poll(it->first, it->second);
        } catch (const std::exception& e) {
            Q_EMIT unreadable(it->first, QString::fromUtf8(e.what()));
        }
        it = keep ? std::next(it) : folders_.erase(it);
    }
    if (folders_.empty()) timer_.stop();
}

} // namespace imblab::ui
