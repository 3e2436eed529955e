// imblab-cli end to end: the files it writes, their contents, and its errors.
#include "test_files.h"
#include "io/run_folder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QThread>
#include <QtTest>

using namespace imblab::test;

namespace {

struct Result {
    int code;
    QString out, err;
};

Result cli(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(IMBLAB_CLI_PATH), args);
    p.waitForFinished(300000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QJsonObject readJson(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

// What libblas.so.3 resolves to through Debian's alternatives: "reference BLAS (netlib)", or
// "OpenBLAS 0.3.21 (OpenMP" (the start of the name a run records); empty for anything else.
QString blasFromAlternatives() {
    const QFileInfo lib(QFileInfo(QStringLiteral("/usr/lib/x86_64-linux-gnu/libblas.so.3")).canonicalFilePath());
    if (lib.filePath().contains(QStringLiteral("/blas/libblas.so"))) return QStringLiteral("reference BLAS (netlib)");
    const QString variant = lib.dir().dirName();  // openblas-openmp, openblas-pthread, openblas-serial
    if (!variant.startsWith(QStringLiteral("openblas-"))) return {};
    const QStringList files = lib.dir().entryList({QStringLiteral("libopenblas*-r*.so")}, QDir::Files);
    const auto version = QRegularExpression(QStringLiteral("-r([0-9.]+)\\.so$")).match(files.value(0));
    if (!version.hasMatch()) return {};
    const QString mode = variant == QLatin1String("openblas-openmp")    ? QStringLiteral("OpenMP")
                         : variant == QLatin1String("openblas-pthread") ? QStringLiteral("pthreads")
                                                                        : QStringLiteral("sequential");
    return QStringLiteral("OpenBLAS ") + version.captured(1) + QStringLiteral(" (") + mode;
}

// A safetensors file's JSON header (the 8-byte little-endian length, then the JSON).
QJsonObject safetensorsHeader(const QByteArray& bytes) {
    quint64 n = 0;
    for (int i = 0; i < 8 && i < bytes.size(); ++i) n |= quint64(quint8(bytes[i])) << (8 * i);
    return QJsonDocument::fromJson(bytes.mid(8, int(n))).object();
}

QString readText(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// The ONNX checker's view of an exported file (tests/onnx_consumer.py, Debian's python3-onnx);
// empty when the checker refused it.
QJsonObject onnxCheck(const QString& path) {
    QProcess check;
    check.start(QStringLiteral(IMBLAB_PYTHON3), {QStringLiteral(IMBLAB_ONNX_CONSUMER), "check", path});
    if (!check.waitForFinished(120000) || check.exitCode() != 0) {
        qWarning("%s", check.readAllStandardError().constData());
        return {};
    }
    return QJsonDocument::fromJson(check.readAllStandardOutput()).object();
}

QList<int> ints(const QJsonValue& v) {
    QList<int> out;
    for (const auto& x : v.toArray()) out << x.toInt();
    return out;
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void versionAndHelp() {
        const auto r = cli({"--version"});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("imblab-cli 0."));
        // And what computes here (what a CPU run's numbers depend on besides its settings).
        const QString libraries = r.out.section('\n', 1, 1);
        QVERIFY2(QRegularExpression(QString("^LibTorch \\d+\\.\\d+\\.\\d+ · CPU: [1-9]\\d* threads?, %1.* · CUDA: (not available|\\d+ GPUs?)$")
                                        .arg(QRegularExpression::escape(blasFromAlternatives())))
                     .match(libraries).hasMatch() && !blasFromAlternatives().isEmpty(),
                 qPrintable(libraries));
        QVERIFY(cli({"train", "--help"}).out.contains("--defer-epoch"));
    }

    // Finished runs' errors under other test priors: two classes with errors 0.1 and 0.5 weigh
    // them ρ/(ρ+1) and 1/(ρ+1) forward: (50·0.1 + 0.5)/51 = 10.78 % at ρ = 50, 30.00 uniform,
    // (0.1 + 50·0.5)/51 = 49.22 backward; a prior file of the wrong length is refused by name.
    void priorsOfFinishedRuns() {
        QTemporaryDir dir;
        for (const auto& [name, errors] : {std::pair{QString("a"), QString("[0.1, 0.5]")}, std::pair{QString("b"), QString("[0.3, 0.3]")}}) {
            QDir().mkpath(dir.filePath(name));
            QFile f(dir.filePath(name + "/summary.json"));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QString(R"({"status": "finished", "balanced_error": 0.3, "minority_error": 0.5, "frequent_error": 0.1,
                               "class_names": ["x", "y"], "class_counts": [90, 10], "per_class_error": %1})")
                        .arg(errors)
                        .toUtf8());
        }
        QFile prior(dir.filePath("prior.txt"));
        QVERIFY(prior.open(QIODevice::WriteOnly));
        prior.write("1 3\n");
        prior.close();
        const auto r = cli({"priors", dir.filePath("a"), dir.filePath("b"), "--test-prior", "train", "--test-prior", dir.filePath("prior.txt")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("| test prior | a | b |"), qPrintable(r.out));
        QVERIFY2(r.out.contains("| forward 50 | 10.78 | 30.00 |"), qPrintable(r.out));
        QVERIFY2(r.out.contains("| uniform | 30.00 | 30.00 |"), qPrintable(r.out));
        QVERIFY2(r.out.contains("| backward 50 | 49.22 | 30.00 |"), qPrintable(r.out));
        QVERIFY2(r.out.contains("| train | 14.00 | 30.00 |"), qPrintable(r.out));  // 0.9·0.1 + 0.1·0.5
        QVERIFY2(r.out.contains("| 40.00 | 30.00 |"), qPrintable(r.out));  // (0.1 + 3·0.5)/4
        const auto csv = cli({"priors", dir.filePath("a"), "--csv"});
        QVERIFY2(csv.out.startsWith("test_prior,a\nforward 50,10.78\n"), qPrintable(csv.out));
        prior.open(QIODevice::WriteOnly | QIODevice::Truncate);
        prior.write("1 2 3");
        prior.close();
        const auto bad = cli({"priors", dir.filePath("a"), "--test-prior", dir.filePath("prior.txt")});
        QVERIFY(bad.code != 0);
        QVERIFY2(bad.err.contains("holds 3 weights; the run has 2 classes"), qPrintable(bad.err));
    }

    void datasetJsonCounts() {
        const auto r = cli({"dataset", "--dataset", "fashion-mnist", "--profile", "exp", "--rho", "100", "--json"});
        QCOMPARE(r.code, 0);
        const auto j = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(ints(j["class_counts"]), (QList<int>{6000, 3596, 2156, 1292, 774, 464, 278, 166, 100, 60}));
        QCOMPARE(j["class_names"].toArray().at(0).toString(), QString("T-shirt/top"));
        const auto step = cli({"dataset", "--profile", "step", "--rho", "100", "--mu", "0.5", "--json"});
        QCOMPARE(ints(QJsonDocument::fromJson(step.out.toUtf8()).object()["class_counts"]),
                 (QList<int>{6000, 6000, 6000, 6000, 6000, 60, 60, 60, 60, 60}));
        const auto table = cli({"dataset", "--rho", "10"});
        QVERIFY(table.out.contains("Ankle boot"));
        QVERIFY(table.out.contains("600"));  // ⌊6000·10^(−1)⌋ for the last class
    }

    void corruptDatasetIsOneClearLine() {
        QTemporaryDir d;
        const std::string f = d.path().toStdString();
        writeMnistFolder(f, 2);
        auto b = idxImages(20, 28, 28);
        b.resize(b.size() - 100);
        writeGz(f + "/train-images-idx3-ubyte.gz", b);
        const auto r = cli({"dataset", "--dataset", "mnist", "--data", d.path(), "--load"});
        QCOMPARE(r.code, 3);
        QCOMPARE(r.err.trimmed().count('\n'), 0);
        QVERIFY(r.err.startsWith("error: " + d.path() + "/train-images-idx3-ubyte.gz: truncated"));
        QVERIFY(!r.err.contains("terminate"));
    }

    void badFlagsNameTheField_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("rho below 1") << QStringList{"dataset", "--rho", "0.5"} << "rho: must be a number ≥ 1";
        QTest::newRow("mu above 1") << QStringList{"dataset", "--profile", "step", "--mu", "2"} << "mu: must be between 0 and 1";
        QTest::newRow("unknown dataset") << QStringList{"dataset", "--dataset", "imagenet"} << "dataset: unknown dataset 'imagenet'";
        QTest::newRow("unknown loss") << QStringList{"train", "--loss", "hinge", "--epochs", "1"} << "loss.type: unknown value 'hinge'";
        QTest::newRow("bad defer epoch") << QStringList{"train", "--defer-epoch", "soon"} << "--defer-epoch: expected";
        QTest::newRow("zero epochs") << QStringList{"train", "--epochs", "0"} << "train.epochs: must be between 1";
        QTest::newRow("unknown preset") << QStringList{"train", "--preset", "fast"} << "preset: unknown preset 'fast'";
        QTest::newRow("missing config") << QStringList{"train", "--config", "/nonexistent.json"} << "/nonexistent.json: config file not found";
        QTest::newRow("unknown method") << QStringList{"sweep", "--methods", "erm,magic"} << "methods: unknown method 'magic'";
        QTest::newRow("sam zero") << QStringList{"train", "--sam", "0"} << "--sam: must be > 0";
        QTest::newRow("mixup negative") << QStringList{"train", "--mixup", "-1"} << "--mixup: must be ≥ 0";
        QTest::newRow("max-norm zero") << QStringList{"train", "--max-norm", "0"} << "--max-norm: must be > 0";
        QTest::newRow("mixup and cutmix") << QStringList{"train", "--mixup", "1", "--cutmix", "1"} << "train.cutmix: mixup and CutMix are alternatives";
        QTest::newRow("cutmix on points") << QStringList{"train", "--dataset", "blobs", "--cutmix", "1"} << "train.cutmix: CutMix pastes image boxes";
        QTest::newRow("max-norm on a cosine head") << QStringList{"train", "--loss", "ldam", "--max-norm", "1"} << "train.max_norm: the ldam loss trains a cosine head";
        QTest::newRow("imbsam without sam") << QStringList{"train", "--imbsam"} << "train.imbsam: ImbSAM is SAM on the tail";
        QTest::newRow("unknown train method") << QStringList{"train", "--method", "wb2"} << "methods: unknown method 'wb2'";
        QTest::newRow("second stage after LDAM") << QStringList{"train", "--method", "crt", "--loss", "ldam"} << "train.stage2: the ldam loss trains a cosine head";
    }
    void badFlagsNameTheField() {
        QFETCH(QStringList, args);
        QFETCH(QString, fragment);
        const auto r = cli(args);
        QVERIFY2(r.code == 2 || r.code == 3, qPrintable(QString::number(r.code) + r.err));
        QVERIFY2(r.err.contains(fragment), qPrintable(r.err));
    }

    void configWithUnknownFieldNamed() {
        QTemporaryDir d;
        QFile f(d.path() + "/c.json");
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"version": 1, "train": {"epochs": 1, "learning_rate": 0.1}})");
        f.close();
        const auto r = cli({"train", "--config", f.fileName(), "--out", d.path() + "/run"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("train.learning_rate: unknown field"), qPrintable(r.err));
        QVERIFY(!QDir(d.path() + "/run").exists());  // nothing written
    }

    void trainWritesTheThreeFiles() {
        QTemporaryDir d;
        const QString out = d.path() + "/run";
        const auto r = cli({"train", "--dataset", "blobs", "--model", "mlp", "--rho", "10", "--loss", "ldam",
                            "--rebalance", "cb-rw", "--defer-epoch", "1", "--epochs", "2", "--batch-size", "64",
                            "--lr", "0.05", "--device", "cpu", "--threads", "1", "--out", out});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("balanced error"));
        const auto cfg = readJson(out + "/config.json");
        const auto res = cfg["resolved"].toObject();
        // What a CPU run's numbers depend on besides the config: its threads and LibTorch.
        QCOMPARE(res["cpu_threads"].toInt(), 1);
        QVERIFY2(QRegularExpression("^\\d+\\.\\d+\\.\\d+").match(res["libtorch"].toString()).hasMatch(),
                 qPrintable(res["libtorch"].toString()));
        const imblab::RunFolderHead head = imblab::readRunFolderHead(out.toStdString());  // as File ▸ Open Run Folder reads it
        QCOMPARE(head.info.cpuThreads, 1);
        QCOMPARE(QString::fromStdString(head.info.libtorchVersion), res["libtorch"].toString());
        // And its BLAS, as Debian's alternatives point libblas.so.3 (read from the files here,
        // from the loaded library's own calls there).
        const QString blas = blasFromAlternatives();
        QVERIFY2(!blas.isEmpty() && res["blas"].toString().startsWith(blas),
                 qPrintable(res["blas"].toString() + " vs " + blas));
        QCOMPARE(QString::fromStdString(head.info.blasLibrary), res["blas"].toString());
        QCOMPARE(ints(res["class_counts"]), (QList<int>{500, 50}));  // 2 blobs, n_max 500, ρ = 10
        // Δ = 0.5·n^(−1/4)/50^(−1/4): the minority class gets 0.5, the frequent 0.5·10^(−1/4).
        QVERIFY(std::abs(res["margins"].toArray()[1].toDouble() - 0.5) < 1e-12);
        QVERIFY(std::abs(res["margins"].toArray()[0].toDouble() - 0.5 * std::pow(10.0, -0.25)) < 1e-12);
        const auto w = res["class_weights"].toArray();
        QCOMPARE(w.size(), 2);
        QVERIFY(std::abs(w[0].toDouble() + w[1].toDouble() - 2.0) < 1e-12);
        QCOMPARE(res["rebalance_from_epoch"].toInt(), 1);
        QCOMPARE(res["data_residency"].toString(), QString("device"));  // feature rows never stream
        QVERIFY(res["data_residency_note"].toString().contains("feature rows"));
        QCOMPARE(cfg["loss"].toObject()["type"].toString(), QString("ldam"));

        QFile m(out + "/metrics.jsonl");
        QVERIFY(m.open(QIODevice::ReadOnly));
        int epochEnds = 0, lines = 0;
        for (const auto& line : m.readAll().split('\n')) {
            if (line.isEmpty()) continue;
            ++lines;
            const auto j = QJsonDocument::fromJson(line).object();
            QVERIFY(j.contains("step"));
            if (j["epoch_end"].toBool()) {
                ++epochEnds;
                QCOMPARE(j["test_error_per_class"].toArray().size(), 2);
                QCOMPARE(j["margins"].toArray().size(), 2);
                QCOMPARE(j["weights"].toArray().isEmpty(), j["epoch"].toInt() < 1);
                // The confusion has a file of its own; the line keeps the most confused pairs.
                QVERIFY(!j.contains("confusion"));
                QVERIFY(j["most_confused"].isArray());
                QVERIFY(j["top5_error"].isNull());  // two classes: no top-5
            }
        }
        QCOMPARE(epochEnds, 2);
        QVERIFY(lines > 2);
        // confusion.jsonl: a line per evaluation, its cells summing to the 1000 test points, and
        // the run folder's reader puts them back into the reports.
        QFile c(out + "/confusion.jsonl");
        QVERIFY(c.open(QIODevice::ReadOnly));
        const auto confusionLines = c.readAll().trimmed().split('\n');
        QCOMPARE(confusionLines.size(), 2);
        qint64 cells = 0;
        for (const auto& cell : QJsonDocument::fromJson(confusionLines[1]).object()["confusion"].toObject()["cells"].toArray())
            cells += cell.toArray()[2].toInteger();
        QCOMPARE(cells, qint64(1000));
        const auto back = imblab::readRunFolderMetrics(out.toStdString());
        QCOMPARE(back.back().confusion.classes, 2);
        int64_t sum = 0;
        for (const auto& cell : back.back().confusion.cells) sum += cell.count;
        QCOMPARE(sum, int64_t(1000));
        const auto s = readJson(out + "/summary.json");
        for (const char* key : {"per_class_error", "balanced_error", "test_accuracy", "wall_seconds", "img_per_s", "device"})
            QVERIFY2(s.contains(key), key);
        QCOMPARE(s["device"].toString(), QString("cpu"));
        QCOMPARE(s["pipeline"].toString(), QString("host"));  // auto on the CPU: the host loop
        QVERIFY(std::abs(s["balanced_error"].toDouble() + s["test_accuracy"].toDouble() - 1.0) < 1e-12);
        QVERIFY(QFileInfo(out + "/model.pt").size() > 1000);
        QVERIFY(QDir(out).entryList(QStringList{".*tmp*"}, QDir::Hidden | QDir::Files).isEmpty());
    }

    void exportsSafetensorsAndCsv() {
        QTemporaryDir d;
        const QString out = d.path() + "/run";
        QCOMPARE(cli({"train", "--dataset", "blobs", "--model", "mlp", "--loss", "ldam", "--epochs", "2", "--device", "cpu",
                      "--out", out}).code, 0);
        QVERIFY(QFile::exists(out + "/model.safetensors"));  // written by the run itself too
        const QString st = d.path() + "/m.safetensors";
        const auto r = cli({"export", "--run", out, "--format", "safetensors", "--out", st});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QFile f(st);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        const QJsonObject header = safetensorsHeader(bytes);
        // PyTorch names and the normalized head's [in, classes] weight.
        QCOMPARE(header["fc1.weight"].toObject()["shape"].toArray(), (QJsonArray{64, 2}));
        QCOMPARE(header["linear.weight"].toObject()["shape"].toArray(), (QJsonArray{64, 2}));
        QVERIFY(!header.contains("linear.bias"));
        const QJsonObject meta = header["__metadata__"].toObject();
        QCOMPARE(meta["model"].toString(), QString("mlp"));
        QCOMPARE(meta["head"].toString(), QString("normed"));
        QCOMPARE(meta["class_counts"].toString(), QString("[500,5]"));
        // The same bytes as the file the run wrote.
        QFile own(out + "/model.safetensors");
        QVERIFY(own.open(QIODevice::ReadOnly));
        QCOMPARE(own.readAll(), bytes);

        const QString csv = d.path() + "/m.csv";
        QCOMPARE(cli({"export", "--run", out, "--format", "csv", "--out", csv}).code, 0);
        QFile c(csv);
        QVERIFY(c.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(c.readAll()).trimmed().split('\n');
        QCOMPARE(lines.size(), 1 + 2 * 2 * 2);  // 2 epochs × 2 splits × 2 classes
        const auto summary = readJson(out + "/summary.json");
        const QStringList last = lines.last().split(',');
        QCOMPARE(last[3], QString("test"));
        QCOMPARE(last[7].toDouble(), summary["per_class_error"].toArray()[1].toDouble());

        const auto bad = cli({"export", "--run", d.path() + "/nope", "--out", st});
        QCOMPARE(bad.code, 3);
        QVERIFY(bad.err.contains("config.json: missing"));

        // ONNX from the run folder; the checker (Debian's python3-onnx) reads it and its metadata.
        const QString onnx = d.path() + "/m.onnx";
        const auto o = cli({"export", "--run", out, "--format", "onnx", "--out", onnx});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        const QJsonObject model = onnxCheck(onnx);
        QCOMPARE(model["input"].toArray(), (QJsonArray{"batch", 2}));
        QCOMPARE(model["output"].toArray(), (QJsonArray{"batch", 2}));
        QCOMPARE(model["metadata"].toObject()["class_counts"].toString(), QString("[500,5]"));
        QCOMPARE(model["metadata"].toObject()["prediction_scale"].toString(), QString("30.0"));
        // A run without its model and an unwritable path: exit 3, the file named, nothing written.
        const QString nowhere = d.path() + "/no-such-folder/m.onnx";
        const auto unwritable = cli({"export", "--run", out, "--format", "onnx", "--out", nowhere});
        QCOMPARE(unwritable.code, 3);
        QVERIFY2(unwritable.err.contains(nowhere), qPrintable(unwritable.err));
        QVERIFY(!QFile::exists(nowhere));
        QVERIFY(QFile::remove(out + "/model.pt"));
        const QString none = d.path() + "/none.onnx";
        const auto noModel = cli({"export", "--run", out, "--format", "onnx", "--out", none});
        QCOMPARE(noModel.code, 3);
        QVERIFY2(noModel.err.contains("model.pt: missing"), qPrintable(noModel.err));
        QVERIFY(!QFile::exists(none));
        QCOMPARE(cli({"export", "--run", out, "--format", "tflite", "--out", none}).code, 2);
    }

    // Your own images: a colour folder with a natural long tail and one broken file, counted,
    // trained on and exported to ONNX (the checker reads it; tst_onnx_export runs colour models
    // through OpenCV).
    void imageFolderDatasetTrainAndExport() {
        QTemporaryDir d;
        const QString data = d.path() + "/photos";
        const QList<QPair<QString, int>> classes = {{"red things", 24}, {"green", 8}, {"blue", 4}};
        for (const auto& [name, n] : classes)
            for (int i = 0; i < n; ++i) {
                QImage img(20 + i, 16, QImage::Format_RGB888);
                img.fill(name == "green" ? QColor(20, 200 - i, 30) : name == "blue" ? QColor(10, 20, 220 - i) : QColor(230 - i, 10, 10));
                QDir().mkpath(data + "/" + name);
                QVERIFY(img.save(data + QString("/%1/%2.png").arg(name).arg(i)));
            }
        QFile broken(data + "/green/broken.jpg");
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("\xff\xd8\xff not really");
        broken.close();

        const auto r = cli({"dataset", "--dataset", "folder", "--data", data, "--image-size", "16", "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("decoded 37 files"), qPrintable(r.err));
        const QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(j["class_names"].toArray(), (QJsonArray{"blue", "green", "red things"}));
        // Profile none by default: the folder's own counts less the 20 % hold-out (round(n·0.2), ≥ 1).
        const QJsonArray counts = j["class_counts"].toArray(), tests = j["test_counts"].toArray();
        QCOMPARE(counts[0].toInt(), 3);  // blue: 4 files, 1 held out
        QCOMPARE(tests[0].toInt(), 1);
        QCOMPARE(counts[2].toInt(), 19);  // red things: 24 files, round(4.8) = 5 held out
        QCOMPARE(tests[2].toInt(), 5);
        QCOMPARE(counts[1].toInt() + tests[1].toInt(), 8);  // green: 9 files, 2 held out, 1 unreadable
        QCOMPARE(j["channels"].toInt(), 3);
        QCOMPARE(j["image_size"].toInt(), 16);
        const QJsonArray skipped = j["skipped"].toArray();
        QCOMPARE(skipped.size(), 1);
        QVERIFY(skipped[0].toObject()["path"].toString().endsWith("green/broken.jpg"));
        QVERIFY(skipped[0].toObject()["reason"].toString().startsWith("is not a readable JPEG"));
        QCOMPARE(cli({"dataset", "--dataset", "folder", "--data", data, "--strict", "--json"}).code, 3);
        // The second open reads the decoded cache (the same counts); --no-cache decodes again.
        const auto cached = cli({"dataset", "--dataset", "folder", "--data", data, "--image-size", "16", "--json"});
        QVERIFY2(cached.err.contains("read 36 decoded images from the cache"), qPrintable(cached.err));
        QCOMPARE(QJsonDocument::fromJson(cached.out.toUtf8()).object()["class_counts"].toArray(), counts);
        QCOMPARE(QJsonDocument::fromJson(cached.out.toUtf8()).object()["skipped"].toArray().size(), 1);
        const auto fresh = cli({"dataset", "--dataset", "folder", "--data", data, "--image-size", "16", "--no-cache"});
        QVERIFY2(fresh.err.contains("decoded 37 files"), qPrintable(fresh.err));

        const QString out = d.path() + "/run";
        const auto t = cli({"train", "--dataset", "folder", "--data", data, "--image-size", "16", "--model", "cnn", "--loss",
                            "ldam", "--epochs", "2", "--batch-size", "8", "--device", "cpu", "--out", out});
        QVERIFY2(t.code == 0, qPrintable(t.err));
        QVERIFY(t.err.contains("1 file(s) could not be read"));
        const QJsonObject resolved = readJson(out + "/config.json")["resolved"].toObject();
        QCOMPARE(resolved["data_shape"].toArray(), (QJsonArray{3, 16, 16}));
        QCOMPARE(resolved["skipped_files"].toInt(), 1);
        QCOMPARE(resolved["mean"].toArray().size(), 3);
        QCOMPARE(readJson(out + "/config.json")["dataset"].toObject()["image_size"].toInt(), 16);
        const QString onnx = d.path() + "/m.onnx";
        const auto e = cli({"export", "--run", out, "--format", "onnx", "--out", onnx});
        QVERIFY2(e.code == 0, qPrintable(e.err));
        const QJsonObject model = onnxCheck(onnx);
        QCOMPARE(model["input"].toArray(), (QJsonArray{"batch", 3, 16, 16}));
        const QJsonObject pre = QJsonDocument::fromJson(model["metadata"].toObject()["preprocessing"].toString().toUtf8()).object();
        QCOMPARE(pre["mean"].toArray(), resolved["mean"].toArray());

        const auto none = cli({"dataset", "--dataset", "folder", "--json"});
        QCOMPARE(none.code, 3);
        QVERIFY2(none.err.contains("no folder given"), qPrintable(none.err));
    }

    // A list file (ImageNet-LT convention) with a root, a test list and class names: counted,
    // trained on, and recorded in the run's config so the run names its data.
    void listFileDatasetTrain() {
        QTemporaryDir d;
        QByteArray train, test;
        const QList<QPair<int, int>> classes = {{0, 12}, {1, 4}};  // label, files
        for (const auto& [label, n] : classes)
            for (int i = 0; i < n + 2; ++i) {
                QImage img(12, 12, QImage::Format_Grayscale8);
                img.fill(label == 0 ? 30 + i : 220 - i);
                const QString rel = QString("imgs/%1/%2.png").arg(label).arg(i);
                QDir().mkpath(d.path() + "/root/imgs/" + QString::number(label));
                QVERIFY(img.save(d.path() + "/root/" + rel));
                (i < n ? train : test) += (rel + " " + QString::number(label) + "\n").toUtf8();
            }
        train += "imgs/0/missing.png 0\n";
        auto write = [&](const QString& name, const QByteArray& text) {
            QFile f(d.path() + "/" + name);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text);
        };
        write("train.txt", train);
        write("test.txt", test);
        write("names.txt", "dark\nbright\n");
        const QStringList source{"--dataset", "list", "--data", d.path() + "/train.txt", "--root", d.path() + "/root",
                                 "--test-list", d.path() + "/test.txt", "--class-names", d.path() + "/names.txt",
                                 "--image-size", "8"};
        const auto r = cli(QStringList{"dataset"} + source + QStringList{"--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(j["class_names"].toArray(), (QJsonArray{"dark", "bright"}));
        QCOMPARE(j["class_counts"].toArray(), (QJsonArray{12, 4}));  // profile none: the list as it is
        QCOMPARE(j["test_counts"].toArray(), (QJsonArray{2, 2}));
        QCOMPARE(j["skipped"].toArray().size(), 1);
        QCOMPARE(j["skipped"].toArray()[0].toObject()["reason"].toString(), QString("does not exist"));

        const QString out = d.path() + "/run";
        // torchvision's ResNet-10 (the 8-pixel images zero-padded to 32), exported with its names.
        const auto t = cli(QStringList{"train"} + source + QStringList{"--model", "resnet10", "--epochs", "1", "--batch-size", "8",
                                                                        "--device", "cpu", "--out", out});
        QVERIFY2(t.code == 0, qPrintable(t.err));
        QFile st(out + "/model.safetensors");
        QVERIFY(st.open(QIODevice::ReadOnly));
        const QJsonObject header = safetensorsHeader(st.readAll());
        QCOMPARE(header["fc.weight"].toObject()["shape"].toArray(), (QJsonArray{2, 512}));
        QCOMPARE(header["layer2.0.downsample.0.weight"].toObject()["shape"].toArray(), (QJsonArray{128, 64, 1, 1}));
        QCOMPARE(header["conv1.weight"].toObject()["shape"].toArray(), (QJsonArray{64, 1, 7, 7}));
        QVERIFY(!header.contains("linear.weight"));
        const QJsonObject ds = readJson(out + "/config.json")["dataset"].toObject();
        QCOMPARE(ds["id"].toString(), QString("list"));
        QCOMPARE(ds["root"].toString(), d.path() + "/root");
        QCOMPARE(ds["test_path"].toString(), d.path() + "/test.txt");
        QCOMPARE(ds["class_names_file"].toString(), d.path() + "/names.txt");
        // A label out of range of the names: an error naming the list and the line.
        write("names.txt", "dark\n");
        const auto bad = cli(QStringList{"dataset"} + source);
        QCOMPARE(bad.code, 3);
        QVERIFY2(bad.err.contains("train.txt:13: label 1 is out of range 0..0"), qPrintable(bad.err));
    }

    // On a terminal (script(1) gives the CLI one) decoding shows a live "decoding N / M files"
    // line; through a pipe it does not (the log's final line says it then).
    void decodeProgressOnATerminal() {
        QTemporaryDir d;
        for (const char* c : {"a", "b"})
            for (int i = 0; i < 5; ++i) {
                QImage img(9, 9, QImage::Format_Grayscale8);
                img.fill(c[0] == 'a' ? 20 + i : 200 + i);
                QDir().mkpath(d.path() + "/" + c);
                QVERIFY(img.save(d.path() + QString("/%1/%2.png").arg(c).arg(i)));
            }
        const QString command = QString("'%1' dataset --dataset folder --data '%2' --no-cache").arg(IMBLAB_CLI_PATH, d.path());
        QProcess p;
        p.start("script", {"-qec", command, "/dev/null"});
        QVERIFY(p.waitForFinished(60000));
        const QString shown = QString::fromUtf8(p.readAllStandardOutput());
        QCOMPARE(p.exitCode(), 0);
        QVERIFY2(shown.contains("decoding 10 / 10 files"), qPrintable(shown));
        const auto piped = cli({"dataset", "--dataset", "folder", "--data", d.path(), "--no-cache"});
        QVERIFY2(!piped.err.contains("decoding 10 / 10") && piped.err.contains("decoded 10 files"), qPrintable(piped.err));
    }

    // A CSV table: the MLP by default, features standardised with the training split's
    // statistics, and an ONNX export that tells a consumer how (feature names, mean, std).
    void csvTableTrainAndExport() {
        QTemporaryDir d;
        QFile f(d.path() + "/tx.csv");
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("amount,hour,kind\n");
        for (int i = 0; i < 40; ++i) f.write(QString("%1,%2,normal\n").arg(10 + i % 7).arg(i % 24).toUtf8());
        for (int i = 0; i < 8; ++i) f.write(QString("%1,%2,fraud\n").arg(90 + i).arg(3).toUtf8());
        f.close();
        const auto r = cli({"dataset", "--dataset", "csv", "--data", d.path() + "/tx.csv", "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(j["class_names"].toArray(), (QJsonArray{"fraud", "normal"}));
        QCOMPARE(j["class_counts"].toArray(), (QJsonArray{6, 32}));  // 8·0.2 → 2, 40·0.2 → 8 held out
        QCOMPARE(j["test_counts"].toArray(), (QJsonArray{2, 8}));
        QCOMPARE(j["label_column"].toString(), QString("kind"));
        QCOMPARE(j["feature_names"].toArray(), (QJsonArray{"amount", "hour"}));

        const QString out = d.path() + "/run";
        const auto t = cli({"train", "--dataset", "csv", "--data", d.path() + "/tx.csv", "--loss", "ldam", "--epochs", "30",
                            "--batch-size", "16", "--lr", "0.05", "--device", "cpu", "--out", out});
        QVERIFY2(t.code == 0, qPrintable(t.err));
        const QJsonObject config = readJson(out + "/config.json");
        QCOMPARE(config["train"].toObject()["model"].toString(), QString("mlp"));
        const QJsonObject resolved = config["resolved"].toObject();
        QCOMPARE(resolved["data_shape"].toArray(), (QJsonArray{2}));
        QCOMPARE(resolved["feature_names"].toArray(), (QJsonArray{"amount", "hour"}));
        QCOMPARE(resolved["mean"].toArray().size(), 2);
        // The two classes are far apart in amount: the MLP separates them.
        QCOMPARE(readJson(out + "/summary.json")["balanced_error"].toDouble(), 0.0);

        const QString onnx = d.path() + "/m.onnx";
        const auto e = cli({"export", "--run", out, "--format", "onnx", "--out", onnx});
        QVERIFY2(e.code == 0, qPrintable(e.err));
        const QJsonObject model = onnxCheck(onnx);
        QCOMPARE(model["input"].toArray(), (QJsonArray{"batch", 2}));
        const QJsonObject pre = QJsonDocument::fromJson(model["metadata"].toObject()["preprocessing"].toString().toUtf8()).object();
        QCOMPARE(pre["feature_names"].toArray(), (QJsonArray{"amount", "hour"}));
        QCOMPARE(pre["mean"].toArray(), resolved["mean"].toArray());
        QVERIFY(pre["input"].toString().contains("standardised"));
    }

    void trainOnImageFolderWithCnn() {
        QTemporaryDir d;
        writeMnistFolder(d.path().toStdString(), 12);
        const auto r = cli({"train", "--dataset", "mnist", "--data", d.path(), "--model", "cnn", "--rho", "4",
                            "--epochs", "1", "--batch-size", "16", "--out", d.path() + "/run"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        // n_max = 6000 in the manifest, capped by the 12 examples each class has here.
        QCOMPARE(ints(readJson(d.path() + "/run/config.json")["resolved"].toObject()["class_counts"]).front(), 12);
    }

    void sweepWritesTheTable() {
        QTemporaryDir d;
        const auto r = cli({"sweep", "--dataset", "blobs", "--model", "mlp", "--rho", "10", "--epochs", "1",
                            "--methods", "erm,ldam-drw", "--seeds", "0,1", "--device", "cpu", "--out", d.path()});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QFile md(d.path() + "/results.md");
        QVERIFY(md.open(QIODevice::ReadOnly));
        const QString table = QString::fromUtf8(md.readAll());
        QVERIFY(table.contains("| Method | exp ρ=10 |"));
        QVERIFY(table.contains("| ERM | "));
        QVERIFY(table.contains("| LDAM-DRW | "));
        QVERIFY(table.contains(" ± "));
        QVERIFY(QFile::exists(d.path() + "/results.csv"));
        QVERIFY(QFile::exists(d.path() + "/erm_exp_rho10_seed1/summary.json"));
    }

    // The methods since 2019 train from the CLI, land in the table under their own names, and a
    // linear head's summary carries τ-normalisation (the cosine head's does not).
    void methodsSince2019TrainAndReport() {
        QTemporaryDir d;
        const auto r = cli({"sweep", "--dataset", "blobs", "--model", "mlp", "--rho", "10", "--epochs", "2",
                            "--methods", "erm,mixup-drw,ldam-drw-sam,imbsam,crt,tau-norm,mislas,wb", "--seeds", "0", "--device", "cpu",
                            "--out", d.path()});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QFile md(d.path() + "/results.md");
        QVERIFY(md.open(QIODevice::ReadOnly));
        const QString table = QString::fromUtf8(md.readAll());
        for (const char* label : {"| ERM | ", "| Mixup-DRW | ", "| LDAM-DRW+SAM | ", "| ImbSAM | ", "| cRT | ", "| τ-norm | ", "| MiSLAS | ", "| WB | "})
            QVERIFY2(table.contains(label), label);
        const auto samCfg = readJson(d.path() + "/ldam-drw-sam_exp_rho10_seed0/config.json")["train"].toObject();
        QCOMPARE(samCfg["sam"].toDouble(), 0.8);
        QCOMPARE(readJson(d.path() + "/mixup-drw_exp_rho10_seed0/config.json")["train"].toObject()["mixup"].toDouble(), 1.0);
        QVERIFY(readJson(d.path() + "/imbsam_exp_rho10_seed0/config.json")["train"].toObject()["imbsam"].toBool());
        const auto erm = readJson(d.path() + "/erm_exp_rho10_seed0/summary.json");
        QVERIFY(erm["balanced_error_tau_norm"].isDouble());
        const auto curve = erm["tau_norm_curve"].toObject();
        QCOMPARE(curve["tau"].toArray().size(), 21);
        QCOMPARE(curve["balanced_error"].toArray()[10].toDouble(), erm["balanced_error_tau_norm"].toDouble());
        QVERIFY(!readJson(d.path() + "/ldam-drw-sam_exp_rho10_seed0/summary.json").contains("tau_norm_curve"));
        // The second stages run after the same first stage as ERM's (same seed): τ-norm's number is
        // ERM's τ = 1 point; cRT's 10 epochs follow epochs 0–1.
        const auto tau = readJson(d.path() + "/tau-norm_exp_rho10_seed0/summary.json");
        QCOMPARE(tau["balanced_error"].toDouble(), erm["balanced_error_tau_norm"].toDouble());
        QCOMPARE(tau["epoch"].toInt(), 2);
        QCOMPARE(readJson(d.path() + "/crt_exp_rho10_seed0/summary.json")["epoch"].toInt(), 11);
        const auto mislas = readJson(d.path() + "/mislas_exp_rho10_seed0/config.json")["train"].toObject();
        QCOMPARE(mislas["mixup"].toDouble(), 1.0);
        QCOMPARE(mislas["stage2"].toString(), QString("mislas"));
        const auto wb = readJson(d.path() + "/wb_exp_rho10_seed0/config.json")["train"].toObject();
        QCOMPARE(wb["weight_decay"].toDouble(), 5e-3);
        QCOMPARE(wb["stage2"].toString(), QString("wb"));
        QCOMPARE(readJson(d.path() + "/wb_exp_rho10_seed0/summary.json")["epoch"].toInt(), 11);

        // MaxNorm bounds the exported classifier rows; a refused flag writes nothing.
        const QString out = d.path() + "/wb";
        const auto w = cli({"train", "--dataset", "blobs", "--model", "mlp", "--rho", "10", "--epochs", "1",
                            "--weight-decay", "5e-3", "--max-norm", "0.25", "--device", "cpu", "--out", out});
        QVERIFY2(w.code == 0, qPrintable(w.err));
        QCOMPARE(readJson(out + "/config.json")["train"].toObject()["max_norm"].toDouble(), 0.25);
        const auto refused = cli({"train", "--dataset", "blobs", "--sam", "-1", "--out", d.path() + "/refused"});
        QCOMPARE(refused.code, 2);
        QVERIFY(!QDir(d.path() + "/refused").exists());
    }

    // Decoupled second stages on a finished run: τ-norm reproduces the first run's own τ = 1
    // number, cRT and LWS continue its epochs, and what they cannot start from is refused.
    void secondStagesContinueAFinishedRun() {
        QTemporaryDir d;
        const QString first = d.path() + "/first";
        const QStringList blobs{"--dataset", "blobs", "--model", "mlp", "--rho", "10", "--epochs", "2", "--device", "cpu"};
        auto r = cli(QStringList{"train"} + blobs + QStringList{"--out", first});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto firstSummary = readJson(first + "/summary.json");

        r = cli({"train", "--from", first, "--stage2", "tau-norm", "--out", d.path() + "/tau"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto tau = readJson(d.path() + "/tau/summary.json");
        QCOMPARE(tau["balanced_error"].toDouble(), firstSummary["balanced_error_tau_norm"].toDouble());
        QCOMPARE(tau["epoch"].toInt(), 2);  // after the first run's epochs 0 and 1
        QCOMPARE(readJson(d.path() + "/tau/stage2.json")["stage2"].toString(), QString("tau-norm"));

        for (const QString kind : {"crt", "lws", "mislas", "wb"}) {
            const QString out = d.path() + "/" + kind;
            r = cli({"train", "--from", first, "--stage2", kind, "--epochs", "3", "--out", out});
            QVERIFY2(r.code == 0, qPrintable(r.err));
            const auto s = readJson(out + "/summary.json");
            QCOMPARE(s["status"].toString(), QString("finished"));
            QCOMPARE(s["epoch"].toInt(), 4);  // epochs 2, 3, 4
            QVERIFY2(r.err.contains(kind + " epoch 5/5  step"), qPrintable(r.err));  // the progress line, numbered on
            QVERIFY2(!r.err.contains(" 0 img/s"), qPrintable(r.err));  // feature rows: no img/s rather than 0
            QVERIFY(s["balanced_error"].isDouble());
            QVERIFY(QFileInfo(out + "/model.pt").size() > 1000);
            QFile m(out + "/metrics.jsonl");
            QVERIFY(m.open(QIODevice::ReadOnly));
            const QJsonObject firstReport = QJsonDocument::fromJson(m.readLine()).object();
            QCOMPARE(firstReport["epoch"].toInt(), 2);
            // Steps count on from the first run's last one, as the epochs do.
            QFile f(first + "/metrics.jsonl");
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QList<QByteArray> firstLines = f.readAll().trimmed().split('\n');
            const qint64 firstLast = QJsonDocument::fromJson(firstLines.back()).object()["step"].toInteger();
            QVERIFY(firstLast > 0);
            QVERIFY2(firstReport["step"].toInteger() > firstLast,
                     qPrintable(QString("%1 after %2").arg(firstReport["step"].toInteger()).arg(firstLast)));
            // Each stage's paper values where the command leaves them open.
            const auto stage = readJson(out + "/stage2.json");
            QCOMPARE(stage["lr"].toDouble(), kind == "wb" ? 0.01 : 0.1);
            QCOMPARE(stage["weight_decay"].toDouble(), kind == "wb" ? 5e-3 : kind == "mislas" ? 2e-4 : 5e-4);
            QCOMPARE(stage.contains("smooth_head"), kind == "mislas");
            if (kind == "mislas") {  // a few blobs at ρ = 10: their CIFAR-10-LT ρ = 10 values
                QCOMPARE(stage["smooth_head"].toDouble(), 0.1);
                QCOMPARE(stage["smooth_tail"].toDouble(), 0.0);
                QCOMPARE(stage["head_lr_factor"].toDouble(), 0.2);
            }
        }

        // Refused, naming the flag or file, with nothing written.
        const QString ldam = d.path() + "/ldam";
        QCOMPARE(cli(QStringList{"train"} + blobs + QStringList{"--loss", "ldam", "--out", ldam}).code, 0);
        const struct {
            QStringList args;
            int code;
            QString fragment;
        } bad[] = {
            {{"--from", ldam, "--stage2", "crt"}, 3, "cosine head"},
            {{"--from", first, "--stage2", "tau-norm", "--tau", "-1"}, 2, "--tau: τ-normalisation needs a finite τ ≥ 0"},
            {{"--from", first, "--stage2", "retrain"}, 2, "--stage2: unknown second stage 'retrain'"},
            {{"--from", d.path() + "/nothing", "--stage2", "crt"}, 3, "summary.json"},
            {{"--from", first, "--stage2", "crt", "--dataset", "mnist"}, 2, "its run's own data"},
            {{"--from", first, "--stage2", "mislas", "--smooth-head", "1.5"}, 2, "--smooth-head: ε must lie in [0, 1)"},
            {{"--from", first, "--stage2", "crt", "--smooth-tail", "0.1"}, 2, "--smooth-tail: label-aware smoothing belongs to --stage2 mislas"},
        };
        for (const auto& b : bad) {
            const QString out = d.path() + "/refused";
            r = cli(QStringList{"train"} + b.args + QStringList{"--out", out});
            QVERIFY2(r.code == b.code, qPrintable(QString::number(r.code) + " " + r.err));
            QVERIFY2(r.err.contains(b.fragment), qPrintable(r.err));
            QVERIFY(!QDir(out).exists());
        }
        QFile::remove(first + "/model.pt");
        r = cli({"train", "--from", first, "--stage2", "lws", "--out", d.path() + "/refused"});
        QCOMPARE(r.code, 3);
        QVERIFY2(r.err.contains("model.pt"), qPrintable(r.err));
        QVERIFY(!QDir(d.path() + "/refused").exists());
    }

    void parallelSweepGivesTheSameTable() {
        // Runs in child processes give the numbers the in-process sweep gives.
        QTemporaryDir d;
        const QStringList common{"sweep", "--dataset", "blobs", "--model", "mlp", "--rho", "10", "--epochs", "2",
                                 "--methods", "erm,cb-rs", "--seeds", "0,1", "--device", "cpu", "--threads", "1"};
        const auto seq = cli(common + QStringList{"--out", d.path() + "/seq"});
        QVERIFY2(seq.code == 0, qPrintable(seq.err));
        const auto par = cli(common + QStringList{"--parallel", "3", "--out", d.path() + "/par"});
        QVERIFY2(par.code == 0, qPrintable(par.err));
        QVERIFY(par.out.contains("[4/4]"));
        QFile a(d.path() + "/seq/results.md"), b(d.path() + "/par/results.md");
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        const QString tableA = QString::fromUtf8(a.readAll()), tableB = QString::fromUtf8(b.readAll());
        QVERIFY(tableA.contains("| CB RS | "));
        QCOMPARE(tableB, tableA);
        QVERIFY(QFile::exists(d.path() + "/par/cb-rs_exp_rho10_seed1/train.log"));
        QVERIFY2(!par.err.contains("oversubscribed"), qPrintable(par.err));  // --threads 1 was given
        // Without --threads every CPU run takes all the cores: the sweep says so, and what to do.
        if (QThread::idealThreadCount() > 1) {
            const auto all = cli({"sweep", "--dataset", "blobs", "--model", "mlp", "--epochs", "1", "--methods", "erm",
                                  "--seeds", "0,1", "--device", "cpu", "--parallel", "2", "--out", d.path() + "/all"});
            QVERIFY2(all.code == 0, qPrintable(all.err));
            QVERIFY2(all.err.contains(QString("--parallel 2: each CPU run uses all %1 cores").arg(QThread::idealThreadCount())) &&
                         all.err.contains("2x oversubscribed"),
                     qPrintable(all.err));
        }
        QCOMPARE(readJson(d.path() + "/par/erm_exp_rho10_seed0/summary.json")["balanced_error"].toDouble(),
                 readJson(d.path() + "/seq/erm_exp_rho10_seed0/summary.json")["balanced_error"].toDouble());
    }

    void benchReportsThePipeline() {
        // On the CPU a request for CUDA graphs runs the device pipeline and says so.
        const auto r = cli({"bench", "--dataset", "blobs", "--model", "mlp", "--steps", "4", "--warmup", "1", "--device",
                            "cpu", "--pipeline", "graph"});
        QCOMPARE(r.code, 0);
        const auto j = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(j["pipeline"].toString(), QString("device"));
        QVERIFY(j["img_per_s"].toDouble() > 0);
        const auto bad = cli({"bench", "--dataset", "blobs", "--model", "mlp", "--device", "cpu", "--precision", "fp8"});
        QVERIFY(bad.code != 0);
        QVERIFY2(bad.err.contains("train.precision: unknown value 'fp8'"), qPrintable(bad.err));
    }

    void benchProfilesTheSteps() {
        // The MLP (fc1, fc2, head) runs three addmm forward; backward needs two mm for fc2 and the
        // head (input and weight gradients) and one for fc1 (its input needs none): 3 and 5 a step.
        QTemporaryDir d;
        const QString table = d.path() + "/ops.md", trace = d.path() + "/trace.json";
        const auto r = cli({"bench", "--dataset", "blobs", "--model", "mlp", "--steps", "2", "--warmup", "1", "--device",
                            "cpu", "--pipeline", "device", "--op-steps", "5", "--op-table", table, "--op-trace", trace});
        const auto j = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(j["profile"].toObject()["steps"].toInt(), 5);
        QVERIFY(j["profile"].toObject()["wall_ms_per_step"].toDouble() > 0);
        QVERIFY(!j["profile"].toObject().contains("device_busy_ms_per_step"));  // no device on the CPU
        const QString md = readText(table);
        QVERIFY2(md.startsWith("# Profile: mlp, batch 128, cpu, device pipeline, fp32, deterministic\n"), qPrintable(md));
        QVERIFY2(md.contains("5 steps profiled: wall "), qPrintable(md));
        QVERIFY2(md.contains("| `aten::addmm` | 3 | "), qPrintable(md));
        QVERIFY2(md.contains("| `aten::mm` | 5 | "), qPrintable(md));
        if (r.code == 0) {
            // LibTorch with Kineto: a Chrome trace holding the ops.
            QVERIFY(readText(trace).contains("aten::addmm"));
        } else {
            // Debian's LibTorch has no Kineto: the table is written, the trace refused by name.
            QCOMPARE(r.code, 1);
            QVERIFY2(r.err.contains(trace + ": the trace cannot be written"), qPrintable(r.err));
            QVERIFY(!QFile::exists(trace));
        }
    }

    void killNineThenResumeGivesTheSameMetrics() {
        // A run killed with SIGKILL mid-epoch continues from its last checkpoint and ends with the
        // metrics of an uninterrupted run (CPU, same seed); only timings differ.
        QTemporaryDir d;
        const QStringList run{"train", "--dataset", "fashion-mnist", "--rho", "10000", "--model", "mlp", "--epochs", "4",
                              "--batch-size", "32", "--threads", "1", "--seed", "3"};
        const auto full = cli(run + QStringList{"--out", d.path() + "/full"});
        QVERIFY2(full.code == 0, qPrintable(full.err));

        QProcess victim;
        victim.start(QStringLiteral(IMBLAB_CLI_PATH), run + QStringList{"--out", d.path() + "/killed"});
        QVERIFY(victim.waitForStarted());
        const QString checkpoint = d.path() + "/killed/checkpoint.pt";
        QElapsedTimer waited;
        waited.start();
        while (!QFile::exists(checkpoint) && waited.elapsed() < 60000) QThread::msleep(5);
        QVERIFY(QFile::exists(checkpoint));
        victim.kill();  // SIGKILL: no handler runs
        QVERIFY(victim.waitForFinished());
        QVERIFY2(!QFile::exists(d.path() + "/killed/summary.json"), "the run had already ended: the kill proved nothing");

        const auto resumed = cli({"train", "--resume", d.path() + "/killed"});
        QVERIFY2(resumed.code == 0, qPrintable(resumed.err));
        QJsonObject a = readJson(d.path() + "/full/summary.json"), b = readJson(d.path() + "/killed/summary.json");
        for (const char* timing : {"wall_seconds", "img_per_s"}) {
            a.remove(timing);
            b.remove(timing);
        }
        QCOMPARE(b, a);
        QVERIFY(a["balanced_error"].isDouble());
        // metrics.jsonl: the same reports in the same order, up to their timings.
        auto reports = [](const QString& path) {
            QFile f(path);
            f.open(QIODevice::ReadOnly);
            QList<QJsonObject> out;
            for (const auto& line : f.readAll().split('\n')) {
                if (line.isEmpty()) continue;
                auto o = QJsonDocument::fromJson(line).object();
                for (const char* timing : {"img_per_s", "elapsed_s", "eta_s"}) o.remove(timing);
                out << o;
            }
            return out;
        };
        const auto ra = reports(d.path() + "/full/metrics.jsonl"), rb = reports(d.path() + "/killed/metrics.jsonl");
        QCOMPARE(rb.size(), ra.size());
        QVERIFY(rb == ra);
        // confusion.jsonl too: the killed run's lines after the checkpoint were dropped on resume.
        QCOMPARE(reports(d.path() + "/killed/confusion.jsonl"), reports(d.path() + "/full/confusion.jsonl"));
    }

    void resumeRefusesWhatItCannotContinue() {
        QTemporaryDir d;
        // No run folder / no checkpoint.
        auto r = cli({"train", "--resume", d.path() + "/nothing"});
        QCOMPARE(r.code, 3);
        QVERIFY2(r.err.contains("config.json: config file not found"), qPrintable(r.err));
        const QStringList run{"train", "--dataset", "blobs", "--model", "mlp", "--epochs", "3", "--device", "cpu"};
        QVERIFY(cli(run + QStringList{"--checkpoint-every", "0", "--out", d.path() + "/nock"}).code == 0);
        QFile::remove(d.path() + "/nock/summary.json");
        r = cli({"train", "--resume", d.path() + "/nock"});
        QVERIFY2(r.code == 3 && r.err.contains("checkpoint.pt: no checkpoint here"), qPrintable(r.err));
        // A finished run is not run again.
        QVERIFY(cli(run + QStringList{"--out", d.path() + "/done"}).code == 0);
        r = cli({"train", "--resume", d.path() + "/done"});
        QVERIFY2(r.code == 3 && r.err.contains("summary.json: the run already finished"), qPrintable(r.err));
        // A garbled checkpoint, and one from another configuration: messages, files untouched.
        QFile::remove(d.path() + "/done/summary.json");
        const QString ck = d.path() + "/done/checkpoint.pt";
        QFile::copy(ck, ck + ".good");
        {
            QFile f(ck);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write("not a checkpoint at all");
        }
        const QByteArray metricsBefore = [&] { QFile f(d.path() + "/done/metrics.jsonl"); f.open(QIODevice::ReadOnly); return f.readAll(); }();
        r = cli({"train", "--resume", d.path() + "/done"});
        QVERIFY2(r.code == 3 && r.err.contains("checkpoint.pt: is not a readable checkpoint"), qPrintable(r.err));
        QFile::remove(ck);
        QFile::copy(ck + ".good", ck);
        QFile cfg(d.path() + "/done/config.json");
        QVERIFY(cfg.open(QIODevice::ReadOnly));
        QByteArray text = cfg.readAll();
        cfg.close();
        text.replace("\"lr\": 0.1", "\"lr\": 0.05");
        QVERIFY(cfg.open(QIODevice::WriteOnly | QIODevice::Truncate));
        cfg.write(text);
        cfg.close();
        r = cli({"train", "--resume", d.path() + "/done"});
        QVERIFY2(r.code == 3 && r.err.contains("was written for a different configuration"), qPrintable(r.err));
        QFile after(d.path() + "/done/metrics.jsonl");
        QVERIFY(after.open(QIODevice::ReadOnly));
        QCOMPARE(after.readAll(), metricsBefore);
        QVERIFY(!QFile::exists(d.path() + "/done/summary.json"));
    }

    void benchPrintsThroughput() {
        const auto r = cli({"bench", "--dataset", "blobs", "--model", "mlp", "--steps", "3", "--warmup", "1", "--device", "cpu"});
        QCOMPARE(r.code, 0);
        const auto j = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QVERIFY(j["img_per_s"].toDouble() > 0);
        QCOMPARE(j["steps"].toInt(), 3);
        QVERIFY2(j["blas"].toString().startsWith(blasFromAlternatives()) && !blasFromAlternatives().isEmpty(),
                 qPrintable(j["blas"].toString()));  // what the figure was measured with
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
