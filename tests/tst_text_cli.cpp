// Texts through imblab-cli, end to end: `dataset --json` on a text folder, a run folder with its
// vocabulary, the exported safetensors read back by docs/imblab_text_pytorch.py into plain
// PyTorch (its balanced error is the run's, per class), the ONNX export's refusal, a sweep's
// per-class table in the paper's Table 1 layout, and text settings refused with the field named.
#include "test_texts.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace imblab;

namespace {

struct Result {
    int code;
    QString out, err;
};

Result run(const QString& program, const QStringList& args, int timeoutMs = 300000) {
    QProcess p;
    p.start(program, args);
    p.waitForFinished(timeoutMs);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

Result cli(const QStringList& args) { return run(QStringLiteral(IMBLAB_CLI_PATH), args); }

QJsonObject readJson(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

} // namespace

class TestTextCli : public QObject {
    Q_OBJECT
private:
    QTemporaryDir dir_;
    QString data_;

private Q_SLOTS:
    void initTestCase() {
        qputenv("IMBLAB_CACHE_DIR", "off");
        data_ = dir_.filePath("topics");
        test::writeTwoTopics(data_, 150, 30);
        test::writeFile(data_ + "/train/tools/binary.txt", QByteArray("\x00\x01", 2));
    }

    void datasetJsonSaysVocabularyAndLengths() {
        const Result r = cli({"dataset", "--dataset", "text", "--data", data_, "--json", "--min-count", "1"});
        QCOMPARE(r.code, 0);
        const QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(j["class_names"].toArray(), QJsonArray({"fruit", "tools"}));
        QCOMPARE(j["class_counts"].toArray(), QJsonArray({150, 50}));
        QCOMPARE(j["test_counts"].toArray(), QJsonArray({30, 30}));
        QCOMPARE(j["vocabulary_size"].toInt(), 2 + 10 + 10 + 13);  // every word occurs, <pad> and <unk>
        QCOMPARE(j["tokens"].toObject()["max_tokens"].toInt(), 256);
        QVERIFY(j["tokens"].toObject()["max"].toInt() <= 32);
        QCOMPARE(j["tokens"].toObject()["truncated"].toInt(), 0);
        QCOMPARE(j["test_unknown_rate"].toDouble(), 0.0);
        QCOMPARE(j["skipped"].toArray().size(), 1);
        QVERIFY(j["skipped"].toArray()[0].toObject()["reason"].toString().startsWith("holds binary data"));
    }

    // The exported weights and vocabulary, in plain PyTorch, give the run's own per-class errors.
    void pytorchReproducesTheRun_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("method");
        QTest::newRow("bag of words, ERM") << "textbag" << "erm";
        QTest::newRow("BiLSTM, LDAM-DRW (cosine head)") << "bilstm" << "ldam-drw";
    }
    void pytorchReproducesTheRun() {
        QFETCH(QString, model);
        QFETCH(QString, method);
        const QString out = dir_.filePath("run-" + model);
        const Result r = cli({"train", "--dataset", "text", "--data", data_, "--model", model, "--method", method, "--epochs", "3",
                              "--batch-size", "32", "--seed", "1", "--out", out});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.err.contains("texts/s"));
        const QJsonObject config = readJson(out + "/config.json");
        QCOMPARE(config["resolved"].toObject()["vocabulary_file"].toString(), QStringLiteral("vocabulary.json"));
        const QJsonObject vocab = readJson(out + "/vocabulary.json");
        QCOMPARE(vocab["words"].toArray()[0].toString(), QStringLiteral("<pad>"));
        QCOMPARE(vocab["words"].toArray().size(), config["resolved"].toObject()["vocabulary_size"].toInt());
        QVERIFY(QFile::exists(out + "/model.vocabulary.json"));
        const QJsonObject summary = readJson(out + "/summary.json");
        const Result py = run(QStringLiteral(IMBLAB_PYTHON3), {IMBLAB_TEXT_PYTORCH, out + "/model.safetensors", data_});
        QVERIFY2(py.code == 0, qPrintable(py.err));
        const QJsonObject got = QJsonDocument::fromJson(py.out.toUtf8()).object();
        QCOMPARE(got["texts"].toInt(), 60);
        QVERIFY2(std::abs(got["balanced_error"].toDouble() - summary["balanced_error"].toDouble()) < 1e-6, qPrintable(py.out));
        for (int c = 0; c < 2; ++c)
            QVERIFY(std::abs(got["per_class_error"].toArray()[c].toDouble() - summary["per_class_error"].toArray()[c].toDouble()) < 1e-5);
        // `export` writes the vocabulary beside any .safetensors; ONNX says why it cannot.
        const QString exported = dir_.filePath(model + "-export.safetensors");
        QCOMPARE(cli({"export", "--run", out, "--format", "safetensors", "--out", exported}).code, 0);
        QVERIFY(QFile::exists(dir_.filePath(model + "-export.vocabulary.json")));
        const Result onnx = cli({"export", "--run", out, "--format", "onnx", "--out", dir_.filePath("x.onnx")});
        QVERIFY(onnx.code != 0);
        QVERIFY2(onnx.err.contains("is a text model (" + model + "); the ONNX export covers image and feature models"), qPrintable(onnx.err));
        QVERIFY(!QFile::exists(dir_.filePath("x.onnx")));
    }

    // Two methods, one seed each: the Table 1 layout (error on each class, then their mean).
    void sweepPrintsThePapersTable1Layout() {
        const Result r = cli({"sweep", "--dataset", "text", "--data", data_, "--model", "textbag", "--methods", "erm,rw", "--seeds", "0",
                              "--epochs", "2", "--batch-size", "32", "--out", dir_.filePath("sweep")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("| Method | error on fruit | error on tools | mean |"), qPrintable(r.out));
        QVERIFY(r.out.contains("| ERM |"));
        QVERIFY(r.out.contains("| RW |"));
    }

    // The built-in SpamAssassin corpus (installed by install-deps.sh) under the Table 1 preset: the
    // sweep compares the paper's four rows unless told otherwise, spam kept at a tenth of ham.
    void tableOnePresetSweepsThePapersRows() {
        const Result r = cli({"sweep", "--preset", "spam-quick", "--seeds", "0", "--epochs", "1", "--out", dir_.filePath("spam")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("| Method | error on ham | error on spam | mean |"), qPrintable(r.out));
        for (const char* row : {"| ERM |", "| RS |", "| RW |", "| LDAM-DRW |"}) QVERIFY2(r.out.contains(row), row);
        const QJsonObject config = readJson(dir_.filePath("spam/erm_step_rho10_seed0/config.json"));
        const QJsonArray counts = config["resolved"].toObject()["class_counts"].toArray();
        QCOMPARE(counts[1].toInt(), counts[0].toInt() / 10);
        QVERIFY(counts[0].toInt() > 3000);  // 80 % of the 4 150 ham mails, less those without text
    }

    void textSettingsAreCheckedByName_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("error");
        QTest::newRow("image model on texts") << QStringList{"--model", "cnn"} << "train.model: 'cnn' reads images or feature rows";
        QTest::newRow("mixup on texts") << QStringList{"--mixup", "1"} << "train.mixup: mixup blends two inputs";
        QTest::newRow("max tokens") << QStringList{"--max-tokens", "0"} << "dataset.max_tokens: must be between 1 and 100000, got 0";
        QTest::newRow("class order") << QStringList{"--class-order", "fruit,veg"}
                                     << "dataset.class_order: names 'veg', which is not a class (classes: fruit, tools)";
    }
    void textSettingsAreCheckedByName() {
        QFETCH(QStringList, args);
        QFETCH(QString, error);
        const Result r = cli(QStringList{"train", "--dataset", "text", "--data", data_, "--epochs", "1"} + args);
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains(error), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestTextCli)
#include "tst_text_cli.moc"
