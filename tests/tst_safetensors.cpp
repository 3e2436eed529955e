// safetensors: our writer checked by an independent parser written here, round trips, and
// broken files rejected with the file named.
#include "errors.h"
#include "io/metrics_csv.h"
#include "io/safetensors.h"
#include "test_files.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cstring>

using namespace imblab;

namespace {

NamedTensorBytes floats(const std::string& name, std::vector<int64_t> shape, std::vector<float> v) {
    NamedTensorBytes t{name, "F32", std::move(shape), {}};
    t.bytes.resize(v.size() * 4);
    std::memcpy(t.bytes.data(), v.data(), t.bytes.size());
    return t;
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestSafetensors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void independentParserReadsOurFile() {
        QTemporaryDir dir;
        const QString path = dir.path() + "/m.safetensors";
        SafetensorsFile f;
        f.tensors.push_back(floats("conv1.weight", {2, 1, 1, 2}, {1.5f, -2.f, 0.25f, 8.f}));
        NamedTensorBytes steps{"bn1.num_batches_tracked", "I64", {}, std::vector<uint8_t>(8, 0)};
        steps.bytes[0] = 42;
        f.tensors.push_back(steps);
        f.metadata["model"] = "cnn";
        writeSafetensors(path.toStdString(), f);

        // The format by hand: u64 LE header length, JSON, data.
        const QByteArray bytes = readAll(path);
        quint64 n = 0;
        for (int i = 0; i < 8; ++i) n |= quint64(quint8(bytes[i])) << (8 * i);
        QCOMPARE(n % 8, quint64(0));
        const QJsonObject header = QJsonDocument::fromJson(bytes.mid(8, int(n))).object();
        QCOMPARE(header["__metadata__"].toObject()["model"].toString(), QString("cnn"));
        const QJsonObject w = header["conv1.weight"].toObject();
        QCOMPARE(w["dtype"].toString(), QString("F32"));
        QCOMPARE(w["shape"].toArray(), (QJsonArray{2, 1, 1, 2}));
        const int begin = w["data_offsets"].toArray()[0].toInt(), end = w["data_offsets"].toArray()[1].toInt();
        QCOMPARE(end - begin, 16);
        float values[4];
        std::memcpy(values, bytes.constData() + 8 + n + begin, 16);
        QCOMPARE(values[3], 8.f);
        QCOMPARE(values[1], -2.f);
        const QJsonObject s = header["bn1.num_batches_tracked"].toObject();
        QCOMPARE(s["shape"].toArray().size(), 0);
        QCOMPARE(int(bytes[int(8 + n) + s["data_offsets"].toArray()[0].toInt()]), 42);
        QCOMPARE(qint64(bytes.size()), qint64(8 + n + 24));

        const SafetensorsFile back = readSafetensors(path.toStdString());
        QCOMPARE(back.tensors.size(), size_t(2));
        QCOMPARE(back.tensors[0].name, std::string("conv1.weight"));
        QCOMPARE(back.tensors[0].bytes, f.tensors[0].bytes);
        QCOMPARE(back.metadata.at("model"), std::string("cnn"));
    }

    void brokenFilesAreRejected_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("fragment");
        auto withHeader = [](const QByteArray& json, int dataBytes) {
            QByteArray b(8, 0);
            const quint64 n = quint64(json.size());
            for (int i = 0; i < 8; ++i) b[i] = char((n >> (8 * i)) & 0xff);
            return b + json + QByteArray(dataBytes, 0);
        };
        QTest::newRow("too short") << QByteArray("abc") << "too short";
        QTest::newRow("header past the end") << QByteArray("\xff\xff\x00\x00\x00\x00\x00\x00{}", 10) << "exceeds the file";
        QTest::newRow("not json") << withHeader("{nope", 0) << "not valid JSON";
        QTest::newRow("unknown dtype") << withHeader(R"({"a":{"dtype":"X9","shape":[1],"data_offsets":[0,4]}})", 4) << "unknown dtype";
        QTest::newRow("offset outside") << withHeader(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", 8) << "outside";
        QTest::newRow("shape vs size") << withHeader(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", 8) << "does not match";
        QTest::newRow("overlap") << withHeader(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", 12) << "overlap";
        QTest::newRow("missing key") << withHeader(R"({"a":{"dtype":"F32","shape":[2]}})", 8) << "malformed";
    }
    void brokenFilesAreRejected() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, fragment);
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/bad.safetensors").toStdString();
        test::writeRaw(path, std::vector<uint8_t>(bytes.begin(), bytes.end()));
        try {
            readSafetensors(path);
            QFAIL("expected DataError");
        } catch (const DataError& e) {
            QCOMPARE(e.file(), path);
            QVERIFY2(QString::fromStdString(e.what()).contains(fragment), e.what());
        }
    }

    void metricsCsvIsLongForm() {
        MetricsReport r;
        r.epoch = 2;
        r.step = 30;
        r.epochEnd = true;
        r.trainErrorPerClass = {0.1, 0.5};
        r.testErrorPerClass = {0.2, 0.75};
        r.balancedError = 0.475;
        r.margins = {MarginStats{-1, 0, 0.5, 1, 2, {}}, MarginStats{-2, -1, 0, 0.25, 1, {}}};
        const std::string csv = metricsCsvHeader() + metricsCsvRows("run \"a\"", {r}, {"cat", "dog"}, {100, 10});
        const QStringList lines = QString::fromStdString(csv).trimmed().split('\n');
        QCOMPARE(lines.size(), 5);  // header + 2 splits × 2 classes
        QVERIFY(lines[0].startsWith("run,epoch,step,split,class,class_name,n_train,error,margin_min"));
        QCOMPARE(lines[1], QString("\"run \"\"a\"\"\",2,30,train,0,\"cat\",100,0.10000000000000001,-1,0,0.5,1,2,0.47499999999999998,0,0"));
        QVERIFY(lines[4].startsWith("\"run \"\"a\"\"\",2,30,test,1,\"dog\",10,0.75,,,,,,"));
    }
};

QTEST_APPLESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
