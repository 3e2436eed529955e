// Session files for the app; see session_files.h.
#include "runs/session_files.h"

#include "api/engine.h"
#include "errors.h"
#include "io/atomic_file.h"
#include "runs/run_store.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace imblab::ui {

namespace {

// Copies `from` to `to` through a temporary file beside it, like every file we write.
void copyAtomically(const QString& from, const QString& to) {
    writeFileAtomically(to.toStdString(), [&](const std::string& tmp) {
        QFile::remove(QString::fromStdString(tmp));
        if (!QFile::copy(from, QString::fromStdString(tmp)))
            throw DataError(from.toStdString(), "cannot be copied to " + to.toStdString());
    });
}

} // namespace

SessionSaved saveSessionFile(const QString& path, const ExperimentConfig& settings, const RunStore* runs,
                             int shownRun) {
    Session session;
    session.config = settings;
    SessionSaved saved;
    if (runs) {
        const QFileInfo file(path);
        const QString folder = file.fileName() + QStringLiteral(".checkpoints");
        for (const auto& [id, r] : runs->all()) {
            if (!r.finished || !r.hasInfo || !r.error.isEmpty()) continue;
            SessionRun s;
            s.id = id;
            s.config = r.config;
            s.info = r.info;
            s.summary = r.summary;
            s.epochReports = r.epochReports;
            s.stepReports = r.stepReports;
            const QString own = runs->checkpointPath(id);
            if (r.summary.status == RunStatus::Cancelled && !own.isEmpty() && QFile::exists(own)) {
                const QString relative = folder + QStringLiteral("/run-%1.pt").arg(id);
                if (!file.absoluteDir().mkpath(folder))
                    throw DataError(file.absoluteDir().filePath(folder).toStdString(), "cannot be created");
                copyAtomically(own, file.absoluteDir().filePath(relative));
                s.checkpoint = relative.toStdString();
                ++saved.resumable;
            }
            session.runs.push_back(std::move(s));
        }
    }
    for (const auto& r : session.runs)
        if (r.id == shownRun) session.shownRun = shownRun;  // only a run the session holds
    writeTextAtomically(path.toStdString(), sessionToJson(session));
    saved.runs = int(session.runs.size());
    return saved;
}

Session openSessionFile(const QString& path) {
    if (!QFileInfo::exists(path)) throw DataError(path.toStdString(), "session file not found");
    Session session = loadSessionFile(path.toStdString());
    validateConfig(session.config);
    return session;
}

std::vector<RunRecord> sessionRuns(const Session& session) {
    std::vector<RunRecord> records;
    for (const auto& s : session.runs) {
        RunRecord r;
        r.id = s.id;
        r.config = s.config;
        r.info = s.info;
        r.hasInfo = true;
        r.epochReports = s.epochReports;
        r.stepReports = s.stepReports;
        r.finished = true;
        r.summary = s.summary;
        records.push_back(std::move(r));
    }
    return records;
}

QStringList restoreCheckpoints(const Session& session, const QString& sessionPath, const RunStore& store) {
    QStringList problems;
    const QDir dir = QFileInfo(sessionPath).absoluteDir();
    for (const auto& s : session.runs) {
        const QString own = store.checkpointPath(s.id);
        if (own.isEmpty()) continue;
        QFile::remove(own);  // an earlier run's checkpoint under this id is not this run's
        if (s.checkpoint.empty()) continue;
        const QString saved = dir.filePath(QString::fromStdString(s.checkpoint));
        if (!QFile::exists(saved)) {
            problems << QObject::tr("run #%1, its checkpoint %2 is missing").arg(s.id).arg(saved);
            continue;
        }
        try {
            copyAtomically(saved, own);
        } catch (const std::exception& e) {
            problems << QObject::tr("run #%1, %2").arg(s.id).arg(QString::fromUtf8(e.what()));
        }
    }
    return problems;
}

} // namespace imblab::ui
