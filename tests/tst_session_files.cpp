// Session files from the app's run store: settings and runs written and re-read, a stopped
// run's checkpoint copied beside the session and back, and a missing one named.
#include "runs/run_store.h"
#include "runs/session_files.h"

#include "errors.h"
#include "io/config_json.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace imblab;
using namespace imblab::ui;

namespace {
void writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}
QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class TestSessionFiles : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void savesRunsAndTheStoppedRunsCheckpoint() {
        QTemporaryDir dir;
        RunStore store;
        ExperimentConfig c;
        c.train.epochs = 3;
        RunRecord& finished = store.create(c);
        finished.finished = true;
        finished.hasInfo = true;
        finished.info.classNames = {"a", "b"};
        MetricsReport r;
        r.epochEnd = true;
        r.balancedError = 0.25;
        finished.add(r);
        finished.info.evaluationsPerEpoch = 4;
        finished.info.midEpochTestRows = 500;
        MetricsReport mid;  // a short run's test point within an epoch
        mid.midEpochTest = true;
        mid.epochProgress = 0.5;
        mid.testErrorPerClass = {0.5, 0.25};
        mid.balancedError = 0.375;
        finished.add(mid);
        RunRecord& stopped = store.create(c);
        stopped.finished = true;
        stopped.hasInfo = true;
        stopped.summary.status = RunStatus::Cancelled;
        writeFile(store.checkpointPath(stopped.id), "checkpoint bytes");
        RunRecord& running = store.create(c);  // not finished: not saved
        Q_UNUSED(running);

        const QString path = dir.filePath("s.imblab");
        ExperimentConfig settings;
        settings.train.seed = 42;
        const SessionSaved saved = saveSessionFile(path, settings, &store, 1);
        QCOMPARE(saved.runs, 2);
        QCOMPARE(saved.resumable, 1);
        QCOMPARE(readFile(dir.filePath("s.imblab.checkpoints/run-2.pt")), QByteArray("checkpoint bytes"));

        const Session session = openSessionFile(path);
        QCOMPARE(session.config.train.seed, uint64_t(42));
        QCOMPARE(session.shownRun, 1);  // the run on screen comes back on screen
        const auto records = sessionRuns(session);
        QCOMPARE(int(records.size()), 2);
        QCOMPARE(records[0].id, 1);
        QVERIFY(records[0].finished && records[0].hasInfo);
        QCOMPARE(records[0].epochReports.back().balancedError, 0.25);
        QCOMPARE(records[0].info.evaluationsPerEpoch, 4);
        QCOMPARE(records[0].info.midEpochTestRows, int64_t(500));
        QCOMPARE(int(records[0].stepReports.size()), 1);
        QVERIFY(records[0].stepReports[0].midEpochTest);
        QCOMPARE(records[0].stepReports[0].testErrorPerClass, (std::vector<double>{0.5, 0.25}));
        QCOMPARE(records[0].stepReports[0].balancedError, 0.375);
        QCOMPARE(records[1].summary.status, RunStatus::Cancelled);

        // A fresh store (a new app) gets the checkpoint back where Resume looks.
        RunStore reopened;
        reopened.replaceAll(sessionRuns(session));
        QVERIFY(restoreCheckpoints(session, path, reopened).isEmpty());
        QCOMPARE(readFile(reopened.checkpointPath(2)), QByteArray("checkpoint bytes"));

        // Without its checkpoint the session still opens; the run that cannot resume is named.
        QVERIFY(QFile::remove(dir.filePath("s.imblab.checkpoints/run-2.pt")));
        const QStringList problems = restoreCheckpoints(session, path, reopened);
        QCOMPARE(problems.size(), 1);
        QVERIFY(problems.first().startsWith("run #2"));
        QVERIFY(!QFile::exists(reopened.checkpointPath(2)));
    }

    void settingsOnlyIsTheConfigSchema() {
        QTemporaryDir dir;
        RunStore store;
        store.create({}).finished = true;
        const QString path = dir.filePath("settings.imblab");
        ExperimentConfig settings;
        settings.train.lr = 0.05;
        QCOMPARE(saveSessionFile(path, settings, nullptr).runs, 0);
        QCOMPARE(QString::fromUtf8(readFile(path)), QString::fromStdString(configToJson(settings)));
        // A shown run the session does not hold is not named in it.
        store.find(1)->hasInfo = true;
        saveSessionFile(path, settings, &store, 7);
        QCOMPARE(openSessionFile(path).shownRun, -1);
    }

    void missingAndBrokenFilesAreNamed() {
        QTemporaryDir dir;
        try {
            openSessionFile(dir.filePath("nope.imblab"));
            QFAIL("a missing session opened");
        } catch (const DataError& e) {
            QVERIFY(QString(e.what()).contains("nope.imblab"));
        }
        writeFile(dir.filePath("bad.imblab"), "{ not json");
        try {
            openSessionFile(dir.filePath("bad.imblab"));
            QFAIL("a broken session opened");
        } catch (const std::exception& e) {
            QVERIFY(QString(e.what()).contains("bad.imblab"));
        }
    }
};

QTEST_MAIN(TestSessionFiles)
#include "tst_session_files.moc"
