// Follows run folders that another process writes (imblab-cli train, a torchrun or Slurm job on a
// shared file system): every second it re-reads what changed — metrics.jsonl's whole epochs into
// the run's reports, summary.json as the run's end — and stops following a run once it ended.
// Reading is cheap (a metrics file is a few hundred lines), so it stays on the GUI thread.
#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QTimer>

#include <map>

namespace imblab::ui {

class RunStore;
struct RunRecord;

class RunFolderFollower : public QObject {
    Q_OBJECT
public:
    explicit RunFolderFollower(RunStore& store, QObject* parent = nullptr);

    // Reads `dir` into run `id` now, and keeps following it while it has no summary.json.
    // Returns the reason when the folder cannot be read (the run is then left as it was).
    QString follow(int id, const QString& dir);
    bool following(int id) const { return folders_.count(id) > 0; }
    void setInterval(int ms) { timer_.setInterval(ms); }

Q_SIGNALS:
    void ended(int id);                          // the folder's run finished, stopped or failed
    void unreadable(int id, const QString& why);  // following stopped: the folder went bad

private:
    struct Folder {
        QString dir;
        qint64 size = -1;
        QDateTime modified;
        size_t applied = 0;  // metrics.jsonl lines already in the run
    };
    // Applies what changed; false when the run ended or the folder could not be read.
    bool poll(int id, Folder& f);
    void tick();

    RunStore& store_;
    std::map<int, Folder> folders_;
    QTimer timer_;
};

} // namespace imblab::ui
