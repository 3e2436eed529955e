// Data-parallel runs for real: two imblab-cli processes launched by Debian's torchrun
// (--no_python), meeting over c10d's TCPStore and Gloo on 127.0.0.1, against the same run in one
// process; a rank killed and the group restarted; a lost rank named; mismatched ranks refused.
#include "distributed/launch_env.h"
#include "test_texts.h"
#include "errors.h"
#include "io/safetensors.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <map>
#include <string>

namespace {

const QString kCli = QStringLiteral(IMBLAB_CLI_PATH);

// A port nobody listens on now (the kernel's pick for a socket bound to port 0).
int freePort() {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(s);
    return ntohs(a.sin_port);
}

// torchrun and its workers in their own session, so that everything is killed on the way out,
// also when a check fails half-way.
class Launch {
public:
    explicit Launch(const QStringList& torchrunArgs, const QStringList& program) {
        p_.setProcessChannelMode(QProcess::MergedChannels);
        p_.setChildProcessModifier([] { ::setsid(); });
        p_.start(QStringLiteral(IMBLAB_TORCHRUN),
                 QStringList{"--redirects", "1", "--tee", "1", "--no_python", "--nproc_per_node", "2", "--master_addr",
                             "127.0.0.1", "--master_port", QString::number(freePort())} +
                     torchrunArgs + program);
    }
    ~Launch() {
        if (p_.state() != QProcess::NotRunning) {
            ::kill(-pid_t(p_.processId()), SIGCONT);
            ::kill(-pid_t(p_.processId()), SIGKILL);
            p_.waitForFinished(10000);
        }
    }
    bool finish(int ms = 240000) { return p_.waitForFinished(ms); }
    void interrupt() { ::kill(pid_t(p_.processId()), SIGINT); }  // as Ctrl+C on the launcher
    int exitCode() const { return p_.exitCode(); }
    QString output() {
        out_ += QString::fromUtf8(p_.readAll());
        return out_;
    }
    // Waits (processing events) until `pred` holds or `ms` pass.
    template <typename Pred>
    bool waitFor(Pred pred, int ms) {
        QElapsedTimer t;
        t.start();
        while (!pred()) {
            if (t.elapsed() > ms || p_.state() == QProcess::NotRunning) return pred();
            p_.waitForReadyRead(100);
            output();
        }
        return true;
    }
    // The worker of `rank` (its environment says RANK=rank and its command line names `outDir`).
    pid_t worker(int rank, const QString& outDir) const {
        for (const QString& entry : QDir("/proc").entryList(QDir::Dirs)) {
            bool isPid = false;
            const pid_t pid = entry.toInt(&isPid);
            if (!isPid) continue;
            QFile cmd("/proc/" + entry + "/cmdline"), env("/proc/" + entry + "/environ");
            if (!cmd.open(QIODevice::ReadOnly) || !env.open(QIODevice::ReadOnly)) continue;
            const QByteArray c = cmd.readAll(), e = env.readAll();
            if (!c.contains("imblab-cli") || !c.contains(outDir.toUtf8())) continue;
            if (e.split('\0').contains("RANK=" + QByteArray::number(rank))) return pid;
        }
        return 0;
    }

private:
    QProcess p_;
    QString out_;
};

QJsonObject readJson(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject{};
}

QList<double> doubles(const QJsonValue& v) {
    QList<double> out;
    for (const auto& x : v.toArray()) out << x.toDouble();
    return out;
}

// The largest absolute difference between two exported models' float tensors.
double largestWeightDifference(const QString& a, const QString& b) {
    const auto fa = imblab::readSafetensors(a.toStdString()), fb = imblab::readSafetensors(b.toStdString());
    if (fa.tensors.size() != fb.tensors.size()) return INFINITY;
    double most = 0;
    for (size_t t = 0; t < fa.tensors.size(); ++t) {
        const auto& x = fa.tensors[t];
        const auto& y = fb.tensors[t];
        if (x.name != y.name || x.shape != y.shape || x.bytes.size() != y.bytes.size()) return INFINITY;
        if (x.dtype != "F32") continue;
        const size_t n = x.bytes.size() / 4;
        for (size_t i = 0; i < n; ++i) {
            float u, v;
            std::memcpy(&u, x.bytes.data() + 4 * i, 4);
            std::memcpy(&v, y.bytes.data() + 4 * i, 4);
            most = std::max(most, double(std::fabs(u - v)));
        }
    }
    return most;
}

int runAlone(const QStringList& args) {
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.start(kCli, args);
    p.waitForFinished(240000);
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

// Fashion-MNIST's long tail on the MLP without augmentation: a few seconds an epoch on two cores,
// long enough to stop a rank in the middle of the run.
QStringList fashionMlp(int epochs) {
    return {"train", "--preset", "fmnist-lt-quick", "--model", "mlp", "--epochs", QString::number(epochs), "--seed", "2",
            "--no-augment", "--checkpoint-every", "1"};
}

} // namespace

class TestDistributed : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

private Q_SLOTS:
    // The launchers' variables, read as torchrun and srun set them.
    void launchEnvironment() {
        using Env = std::map<std::string, std::string>;
        auto parse = [](const Env& env) {
            return imblab::launchEnvFrom([&](const char* name) -> const char* {
                const auto it = env.find(name);
                return it == env.end() ? nullptr : it->second.c_str();
            });
        };
        QVERIFY(!parse({}).has_value());                                        // alone
        QVERIFY(!parse({{"RANK", "0"}, {"WORLD_SIZE", "1"}}).has_value());     // a group of one is a plain run
        const auto one = imblab::launchEnvFrom(
            [](const char* name) -> const char* { return std::string(name) == "WORLD_SIZE" ? "1" : nullptr; }, true);
        QVERIFY(one.has_value());  // unless asked for (a named --dist-backend)
        QCOMPARE(one->worldSize, 1);
        QCOMPARE(one->rank, 0);
        const auto t = parse({{"RANK", "3"}, {"WORLD_SIZE", "4"}, {"LOCAL_RANK", "1"}, {"LOCAL_WORLD_SIZE", "2"},
                              {"MASTER_ADDR", "node7"}, {"MASTER_PORT", "29400"},
                              {"TORCHELASTIC_USE_AGENT_STORE", "True"}, {"TORCHELASTIC_RESTART_COUNT", "2"}});
        QVERIFY(t.has_value());
        QCOMPARE(t->launcher, "torchrun");
        QCOMPARE(t->rank, 3);
        QCOMPARE(t->worldSize, 4);
        QCOMPARE(t->localRank, 1);
        QCOMPARE(t->localWorldSize, 2);
        QCOMPARE(t->masterAddr, "node7");
        QCOMPARE(t->masterPort, 29400);
        QVERIFY(t->agentStore);
        QCOMPARE(t->restartCount, 2);
        const auto s = parse({{"SLURM_PROCID", "5"}, {"SLURM_NTASKS", "8"}, {"SLURM_LOCALID", "1"},
                              {"SLURM_NTASKS_PER_NODE", "4(x2)"}, {"MASTER_ADDR", "10.0.0.1"}});
        QVERIFY(s.has_value());
        QCOMPARE(s->launcher, "srun");
        QCOMPARE(s->rank, 5);
        QCOMPARE(s->worldSize, 8);
        QCOMPARE(s->localRank, 1);
        QCOMPARE(s->localWorldSize, 4);
        QCOMPARE(s->masterPort, 29500);
        QVERIFY(!s->agentStore);  // rank 0 serves the store itself
        auto refused = [&](const Env& env, const char* needle) {
            try {
                parse(env);
            } catch (const imblab::DataError& e) {
                return QString(e.what()).contains(needle);
            }
            return false;
        };
        QVERIFY(refused({{"RANK", "2"}, {"WORLD_SIZE", "2"}}, "RANK: rank 2 is outside a world of 2"));
        QVERIFY(refused({{"RANK", "x"}, {"WORLD_SIZE", "2"}}, "RANK: 'x' is not a non-negative integer"));
        QVERIFY(refused({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_PORT", "70000"}}, "MASTER_PORT: 70000 is not a port"));
        QVERIFY(refused({{"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "2"}}, "MASTER_ADDR: is not set"));
    }

    // A rank's GPU: cuda:LOCAL_RANK, round-robin when a node runs more ranks than it has GPUs, which
    // NCCL refuses on every rank of that node (seen on the H200: "Duplicate GPU detected").
    void gpuForRankSharesOverGlooOnly() {
        auto env = [](int localRank, int localWorldSize) {
            imblab::LaunchEnv e;
            e.localRank = localRank;
            e.localWorldSize = localWorldSize;
            e.worldSize = localWorldSize;
            e.rank = localRank;
            return e;
        };
        QCOMPARE(imblab::gpuForRank(env(0, 1), 1, "nccl"), 0);
        QCOMPARE(imblab::gpuForRank(env(1, 2), 2, "nccl"), 1);  // one GPU each
        QCOMPARE(imblab::gpuForRank(env(3, 4), 8, "nccl"), 3);
        QCOMPARE(imblab::gpuForRank(env(1, 2), 1, "gloo"), 0);  // two ranks on one GPU
        QCOMPARE(imblab::gpuForRank(env(2, 3), 2, "gloo"), 0);  // 3 ranks on 2 GPUs: 0, 1, 0
        QCOMPARE(imblab::gpuForRank(env(3, 4), 2, "gloo"), 1);
        for (int localRank : {0, 1}) {  // rank 0 refuses too: the whole node stops at once
            try {
                imblab::gpuForRank(env(localRank, 2), 1, "nccl");
                QFAIL("NCCL with two ranks on one GPU was accepted");
            } catch (const imblab::ConfigError& e) {
                QCOMPARE(e.field(), "--dist-backend");
                QVERIFY2(QString(e.what()).contains("2 ranks on this node share its 1 GPU(s)") &&
                             QString(e.what()).contains("--nproc_per_node 1") &&
                             QString(e.what()).contains("--dist-backend gloo"),
                         e.what());
            }
        }
        QVERIFY_THROWS_EXCEPTION(imblab::ConfigError, imblab::gpuForRank(env(0, 1), 0, "gloo"));
    }

    // Without BatchNorm the two-rank run is the one-process run with its global batch, split:
    // same epoch plan, same loss normalisation (Σw for weighted CE, n for focal), summed gradients.
    void mlpRunEqualsOneProcess_data() {
        QTest::addColumn<QStringList>("method");
        QTest::newRow("ldam-drw") << QStringList{"--loss", "ldam", "--rebalance", "rw", "--defer-epoch", "auto"};
        QTest::newRow("focal-rw") << QStringList{"--loss", "focal", "--rebalance", "cb-rw"};
        QTest::newRow("ce-rs") << QStringList{"--loss", "ce", "--rebalance", "rs"};
        // Mixed rows may pair across ranks, and ImbSAM's ε needs the group's tail gradient.
        QTest::newRow("mixup-imbsam") << QStringList{"--loss", "ce", "--mixup", "1", "--sam", "0.2", "--imbsam"};
        // The device pipeline (SGD; the preset's Adam runs on the host pipeline): its flat gradient
        // buffer summed in one allreduce a step (two with SAM).
        QTest::newRow("ldam-drw-device") << QStringList{"--loss", "ldam", "--rebalance", "rw", "--defer-epoch", "auto",
                                                        "--optimizer", "sgd", "--lr", "0.1", "--pipeline", "device"};
        QTest::newRow("mixup-sam-maxnorm-device")
            << QStringList{"--loss", "ce", "--rebalance", "cb-rw", "--defer-epoch", "auto", "--mixup", "1", "--sam", "0.2",
                           "--max-norm", "1.5", "--optimizer", "sgd", "--lr", "0.1", "--pipeline", "device"};
    }
    void mlpRunEqualsOneProcess() {
        QFETCH(QStringList, method);
        const QString tag = QTest::currentDataTag();
        const QStringList args = QStringList{"train", "--preset", "blobs-teaching", "--model", "mlp", "--epochs", "6",
                                             "--batch-size", "64", "--seed", "3", "--threads", "1"} +
                                 method;
        const QString alone = tmp_.filePath("alone-" + tag), group = tmp_.filePath("group-" + tag);
        QCOMPARE(runAlone(args + QStringList{"--out", alone}), 0);
        Launch two({}, QStringList{kCli} + args + QStringList{"--out", group});
        QVERIFY2(two.finish(), qPrintable(two.output()));
        QVERIFY2(two.exitCode() == 0, qPrintable(two.output()));

        const QJsonObject a = readJson(alone + "/summary.json"), b = readJson(group + "/summary.json");
        QCOMPARE(b["status"].toString(), "finished");
        QCOMPARE(b["pipeline"].toString(), method.contains("device") ? "device" : "host");
        QCOMPARE(b["world_size"].toInt(), 2);
        QCOMPARE(b["backend"].toString(), "gloo");
        QCOMPARE(a["world_size"].toInt(), 1);
        QCOMPARE(b["epochs_completed"].toInt(), a["epochs_completed"].toInt());
        QCOMPARE(doubles(b["per_class_error"]), doubles(a["per_class_error"]));
        QCOMPARE(doubles(b["train_error_per_class"]), doubles(a["train_error_per_class"]));
        // Float sums in another order (each rank's half, then the allreduce) differ in the last bits;
        // measured 2.4e-7 after 54 steps.
        const double diff = largestWeightDifference(alone + "/model.safetensors", group + "/model.safetensors");
        QVERIFY2(diff < 1e-5, qPrintable(QString::number(diff)));
        // Rank 0 alone wrote the log of the run: one progress line per report, not two.
        QCOMPARE(two.output().count("mlp epoch 6/6"), 1);
    }

    // Texts under the launcher: each rank packs its own rows of the global batch (its own lengths)
    // and the group's BiLSTM is the one-process run again, up to float rounding.
    void textRunEqualsOneProcess() {
        const QString data = tmp_.filePath("topics");
        imblab::test::writeTwoTopics(data, 60, 15);
        const QStringList args{"train", "--dataset", "text", "--data", data, "--model", "bilstm", "--method", "ldam-drw",
                               "--epochs", "2", "--batch-size", "32", "--embedding-dim", "16", "--lstm-hidden", "8",
                               "--seed", "4", "--threads", "1"};
        const QString alone = tmp_.filePath("text-alone"), group = tmp_.filePath("text-group");
        QCOMPARE(runAlone(args + QStringList{"--out", alone}), 0);
        Launch two({}, QStringList{kCli} + args + QStringList{"--out", group});
        QVERIFY2(two.finish(), qPrintable(two.output()));
        QVERIFY2(two.exitCode() == 0, qPrintable(two.output()));
        const QJsonObject a = readJson(alone + "/summary.json"), b = readJson(group + "/summary.json");
        QCOMPARE(b["world_size"].toInt(), 2);
        QCOMPARE(doubles(b["per_class_error"]), doubles(a["per_class_error"]));
        const double diff = largestWeightDifference(alone + "/model.safetensors", group + "/model.safetensors");
        QVERIFY2(diff < 1e-4, qPrintable(QString::number(diff)));
    }

    // The small CNN has BatchNorm: with --sync-bn its statistics come from the global batch and the
    // run is the one-process run again; without, each rank normalises by its own rows (as
    // PyTorch's DDP does) and the run is a different, equally valid one. On both pipelines.
    void cnnWithSyncBatchNorm_data() {
        QTest::addColumn<QString>("pipeline");
        QTest::newRow("host") << "host";
        QTest::newRow("device") << "device";
    }
    void cnnWithSyncBatchNorm() {
        QFETCH(QString, pipeline);
        // A grey image folder with a long tail (60/30/15), stripes whose angle depends on the class.
        const QString data = tmp_.filePath("stripes-" + pipeline);
        uint32_t noise = 12345;
        for (int c = 0; c < 3; ++c)
            for (int i = 0; i < 60 >> c; ++i) {
                QImage img(16, 16, QImage::Format_Grayscale8);
                for (int y = 0; y < 16; ++y)
                    for (int x = 0; x < 16; ++x) {
                        noise = noise * 1664525u + 1013904223u;
                        const int stripe = ((c == 0 ? x : c == 1 ? y : x + y) / 2) % 2;
                        img.bits()[y * img.bytesPerLine() + x] = uchar(60 + 120 * stripe + int(noise >> 27));
                    }
                QDir().mkpath(data + QString("/class%1").arg(c));
                QVERIFY(img.save(data + QString("/class%1/%2.png").arg(c).arg(i)));
            }
        const QStringList args{"train", "--dataset", "folder", "--data", data, "--image-size", "16", "--model", "cnn",
                               "--epochs", "4", "--batch-size", "32", "--lr", "0.05", "--seed", "1", "--threads", "1",
                               "--no-augment", "--pipeline", pipeline};
        const QString alone = tmp_.filePath("cnn-alone-" + pipeline), synced = tmp_.filePath("cnn-sync-" + pipeline),
                      own = tmp_.filePath("cnn-own-" + pipeline);
        QCOMPARE(runAlone(args + QStringList{"--out", alone}), 0);
        {
            Launch two({}, QStringList{kCli} + args + QStringList{"--sync-bn", "--out", synced});
            QVERIFY2(two.finish() && two.exitCode() == 0, qPrintable(two.output()));
        }
        {
            Launch two({}, QStringList{kCli} + args + QStringList{"--out", own});
            QVERIFY2(two.finish() && two.exitCode() == 0, qPrintable(two.output()));
        }
        const double syncDiff = largestWeightDifference(alone + "/model.safetensors", synced + "/model.safetensors");
        const double ownDiff = largestWeightDifference(alone + "/model.safetensors", own + "/model.safetensors");
        qInfo("largest weight difference from one process: %.3g with --sync-bn, %.3g without", syncDiff, ownDiff);
        QVERIFY2(syncDiff < 1e-4, qPrintable(QString::number(syncDiff)));
        QVERIFY2(ownDiff > 100 * syncDiff, qPrintable(QString::number(ownDiff)));  // the flag is what makes them equal
        QCOMPARE(doubles(readJson(synced + "/summary.json")["per_class_error"]),
                 doubles(readJson(alone + "/summary.json")["per_class_error"]));
        QCOMPARE(readJson(synced + "/summary.json")["pipeline"].toString(), pipeline);
    }

    // torchrun --max_restarts 1: rank 1 killed with SIGKILL after the first checkpoint; the group
    // restarts, every rank resumes from the checkpoint, and the run ends exactly as without the kill.
    void killedRankRestartsFromCheckpoint_data() {
        QTest::addColumn<QString>("pipeline");
        QTest::newRow("host") << "host";
        QTest::newRow("device") << "device";  // its flat momentum buffer comes back from the checkpoint
    }
    void killedRankRestartsFromCheckpoint() {
        QFETCH(QString, pipeline);
        const QString reference = tmp_.filePath("reference-" + pipeline), restarted = tmp_.filePath("restarted-" + pipeline);
        const QStringList args = fashionMlp(4) + QStringList{"--pipeline", pipeline};
        {
            Launch ref({}, QStringList{kCli} + args + QStringList{"--out", reference});
            QVERIFY2(ref.finish() && ref.exitCode() == 0, qPrintable(ref.output()));
        }
        Launch two({"--max_restarts", "1"}, QStringList{kCli} + args + QStringList{"--out", restarted});
        QVERIFY2(two.waitFor([&] { return QFile::exists(restarted + "/checkpoint.pt"); }, 120000), qPrintable(two.output()));
        const pid_t victim = two.worker(1, restarted);
        QVERIFY(victim > 0);
        QCOMPARE(::kill(victim, SIGKILL), 0);
        QVERIFY2(two.finish(), qPrintable(two.output()));
        QVERIFY2(two.exitCode() == 0, qPrintable(two.output()));
        QVERIFY2(two.output().contains("continuing " + restarted + " from its checkpoint"), qPrintable(two.output()));

        const QJsonObject a = readJson(reference + "/summary.json"), b = readJson(restarted + "/summary.json");
        QCOMPARE(b["status"].toString(), "finished");
        QCOMPARE(b["pipeline"].toString(), pipeline);
        QCOMPARE(doubles(b["per_class_error"]), doubles(a["per_class_error"]));
        QCOMPARE(largestWeightDifference(reference + "/model.safetensors", restarted + "/model.safetensors"), 0.0);
        QFile ma(reference + "/metrics.jsonl"), mb(restarted + "/metrics.jsonl");
        QVERIFY(ma.open(QIODevice::ReadOnly) && mb.open(QIODevice::ReadOnly));
        QCOMPARE(mb.readAll().count('\n'), ma.readAll().count('\n'));
    }

    // Ctrl+C on torchrun reaches every worker; the ranks agree on the step to stop at and rank 0
    // writes the stopped run's files.
    void interruptStopsTheGroupTogether() {
        const QString dir = tmp_.filePath("interrupted");
        Launch two({}, QStringList{kCli} + fashionMlp(30) + QStringList{"--out", dir});
        QVERIFY2(two.waitFor([&] { return QFile::exists(dir + "/checkpoint.pt"); }, 120000), qPrintable(two.output()));
        two.interrupt();
        QVERIFY(two.finish(60000));
        const QJsonObject s = readJson(dir + "/summary.json");
        QVERIFY2(s["status"].toString() == "cancelled", qPrintable(two.output()));
        QVERIFY2(s["message"].toString().startsWith("stopped by the user at epoch"), qPrintable(s["message"].toString()));
        QVERIFY(QFile::exists(dir + "/model.safetensors"));
    }

    // Without restarts, a rank that dies (SIGKILL) or stops answering (SIGSTOP) is named by the
    // survivor, within --dist-timeout, instead of a hang.
    void lostRankIsNamed_data() {
        QTest::addColumn<int>("sig");
        QTest::newRow("killed") << int(SIGKILL);
        QTest::newRow("stopped") << int(SIGSTOP);
    }
    void lostRankIsNamed() {
        QFETCH(int, sig);
        const QString dir = tmp_.filePath(QString("lost-") + QTest::currentDataTag());
        Launch two({}, QStringList{kCli} + fashionMlp(30) + QStringList{"--dist-timeout", "5", "--out", dir});
        QVERIFY2(two.waitFor([&] { return QFile::exists(dir + "/checkpoint.pt"); }, 120000), qPrintable(two.output()));
        const pid_t victim = two.worker(1, dir);
        QVERIFY(victim > 0);
        QElapsedTimer since;
        since.start();
        QCOMPARE(::kill(victim, sig), 0);
        QVERIFY2(two.waitFor([&] { return two.output().contains("rank 0 lost rank 1"); }, 30000), qPrintable(two.output()));
        QVERIFY2(since.elapsed() < 5000 + 5000, qPrintable(QString::number(since.elapsed())));
        if (sig == SIGSTOP) ::kill(victim, SIGKILL);
        QVERIFY(two.finish(60000));
        QVERIFY(two.exitCode() != 0);
        QVERIFY(!QFile::exists(dir + "/summary.json"));  // no summary of a run that did not end
    }

    // A sweep under torchrun: the ranks take runs from the store's counter, rank 0 writes the
    // tables, and they equal the one-process sweep's (each run is trained whole, alone).
    void sweepSharesRunsAndMatchesOneProcess() {
        const QStringList args{"sweep", "--preset", "blobs-teaching", "--model", "mlp", "--epochs", "4", "--methods",
                               "erm,ldam-drw,cb-rw", "--seeds", "0,1", "--threads", "1"};
        const QString alone = tmp_.filePath("sweep-alone"), group = tmp_.filePath("sweep-group");
        QCOMPARE(runAlone(args + QStringList{"--out", alone}), 0);
        Launch two({}, QStringList{kCli} + args + QStringList{"--out", group});
        QVERIFY2(two.finish() && two.exitCode() == 0, qPrintable(two.output()));
        for (const char* table : {"/results.md", "/results.csv", "/results.tex"}) {
            QFile a(alone + table), b(group + table);
            QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
            QCOMPARE(b.readAll(), a.readAll());
        }
        QSet<int> ranks;
        const auto runs = QDir(group).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QCOMPARE(runs.size(), 6);
        for (const QString& run : runs) {
            const QJsonObject s = readJson(group + "/" + run + "/summary.json");
            QCOMPARE(s["world_size"].toInt(), 2);
            ranks << s["sweep_rank"].toInt(-1);
        }
        QCOMPARE(ranks, (QSet<int>{0, 1}));  // both ranks trained runs
    }

    // --dist-backend names the collectives' backend. Named, it makes a launched world of one a
    // group (what measures the collectives' cost): over Gloo that run is the plain run, number for
    // number. A backend this build lacks is refused before anything is trained or written.
    void backendIsChosenOrRefused() {
        QProcess help;
        help.start(kCli, {"train", "--help"});
        QVERIFY(help.waitForFinished(30000));
        const QString helpText = QString::fromUtf8(help.readAllStandardOutput()).simplified();
        // The flag's own choices name nccl on every build; the list after "This build has:" is
        // what was compiled in.
        const QRegularExpression built("This build has: ([a-z]+(?:, [a-z]+)*)");
        const QStringList backends = built.match(helpText).captured(1).split(", ");
        QVERIFY2(backends.contains("gloo"), qPrintable(helpText));

        const QStringList args{"train", "--preset", "blobs-teaching", "--model", "mlp", "--epochs", "3",
                               "--batch-size", "64", "--seed", "5", "--threads", "1"};
        const QString alone = tmp_.filePath("one-alone"), groupOfOne = tmp_.filePath("one-group");
        QCOMPARE(runAlone(args + QStringList{"--out", alone}), 0);
        auto launchedAlone = [&](const QStringList& extra, QString* output) {
            QProcess p;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert("RANK", "0");
            env.insert("WORLD_SIZE", "1");
            env.insert("MASTER_ADDR", "127.0.0.1");
            env.insert("MASTER_PORT", QString::number(freePort()));
            p.setProcessEnvironment(env);
            p.setProcessChannelMode(QProcess::MergedChannels);
            p.start(kCli, args + extra);
            p.waitForFinished(240000);
            *output = QString::fromUtf8(p.readAll());
            return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        };
        QString out;
        QCOMPARE(launchedAlone({"--dist-backend", "gloo", "--out", groupOfOne}, &out), 0);
        QVERIFY2(out.contains("collectives over gloo"), qPrintable(out));
        const QJsonObject a = readJson(alone + "/summary.json"), b = readJson(groupOfOne + "/summary.json");
        QCOMPARE(b["world_size"].toInt(), 1);
        QCOMPARE(b["backend"].toString(), "gloo");
        QVERIFY(a["backend"].toString().isEmpty());
        QCOMPARE(doubles(b["per_class_error"]), doubles(a["per_class_error"]));
        QCOMPARE(largestWeightDifference(alone + "/model.safetensors", groupOfOne + "/model.safetensors"), 0.0);

        // NCCL is built only against a LibTorch with CUDA (this CI's Debian LibTorch has none).
        if (!backends.contains("nccl")) {
            const QString refused = tmp_.filePath("one-nccl");
            QCOMPARE(launchedAlone({"--dist-backend", "nccl", "--out", refused}, &out), 2);
            QVERIFY2(out.contains("--dist-backend: nccl is not in this build"), qPrintable(out));
            QVERIFY(!QFileInfo::exists(refused));
        }
    }

    // Ranks started with different settings are refused at the start, on every rank, naming the
    // setting; nothing is trained or written.
    void mismatchedRanksAreRefused() {
        const QString dir = tmp_.filePath("mismatch");
        const QString script = "exec \"$0\" train --preset blobs-teaching --model mlp --epochs 2 --out " + dir +
                               " --lr $([ \"$RANK\" = 1 ] && echo 0.05 || echo 0.1)";
        Launch two({}, QStringList{"sh", "-c", script, kCli});
        QVERIFY(two.finish(120000));
        QVERIFY(two.exitCode() != 0);
        const QString out = two.output();
        // Both ranks say it, each naming itself.
        for (const char* who : {"error (rank 0): ", "error (rank 1): "})
            QVERIFY2(out.contains(who + QString("data-parallel group: rank 1's configuration differs from rank 0's")),
                     qPrintable(out));
        QVERIFY2(out.contains("\"lr\": 0.1") && out.contains("\"lr\": 0.05"), qPrintable(out));
        QVERIFY(!QFile::exists(dir + "/metrics.jsonl"));
    }
};

QTEST_GUILESS_MAIN(TestDistributed)
#include "tst_distributed.moc"
