// Session save and open for the app: the settings and the finished runs (io/session_json.h),
// with each stopped run's checkpoint copied beside the session file so Resume works after a
// restart, and copied back where the run store looks for it on open.
#pragma once

#include "io/session_json.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace imblab::ui {

class RunStore;
struct RunRecord;

struct SessionSaved {
    int runs = 0;       // runs written
    int resumable = 0;  // stopped runs whose checkpoint went with them
};

// Writes `path` atomically: `settings`, and with `runs` its finished runs (checkpoints into
// "<file>.checkpoints/" first, so the session never names a file that is not there). Throws
// DataError naming what could not be written.
// `shownRun`: the run whose charts are on screen, shown again on open.
SessionSaved saveSessionFile(const QString& path, const ExperimentConfig& settings, const RunStore* runs,
                             int shownRun = -1);

// Reads and validates a session (DataError / ConfigError naming the file or field).
Session openSessionFile(const QString& path);
// The session's runs as records, ready for RunStore::replaceAll.
std::vector<RunRecord> sessionRuns(const Session& session);
// Copies the session's saved checkpoints to where `store` looks for them; what could not be
// restored, one line per run.
QStringList restoreCheckpoints(const Session& session, const QString& sessionPath, const RunStore& store);

} // namespace imblab::ui
