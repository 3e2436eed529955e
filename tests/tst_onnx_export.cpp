// ONNX export checked by real consumers: the ONNX checker (full check, strict shape inference)
// and OpenCV's DNN module, which must give the app's predictions on the Fashion-MNIST test set
// for the MLP, the small CNN and ResNet-32 (zero-padded 28 → 32), each with a linear and a
// cosine head, after a few real training steps (so BatchNorm statistics are not the defaults).
#include "util/allocator_tuning.h"
#include "data/dataset_loader.h"
#include "errors.h"
#include "io/model_export.h"
#include "io/onnx_export.h"
#include "models/classifier.h"
#include "models/model_factory.h"
#include "training/augment.h"

#include <torch/torch.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <thread>

using namespace imblab;

namespace {

QJsonObject consumer(const QStringList& args, const char* script = IMBLAB_ONNX_CONSUMER) {
    QProcess p;
    p.start(QStringLiteral(IMBLAB_PYTHON3), QStringList{QString::fromUtf8(script)} + args);
    p.waitForFinished(600000);
    const QByteArray out = p.readAllStandardOutput();
    if (p.exitCode() != 0) qWarning("%s", p.readAllStandardError().constData());
    for (const QByteArray& line : out.split('\n'))  // OpenCV may log on stdout too
        if (line.startsWith('{')) return QJsonDocument::fromJson(line).object();
    return {};
}

template <typename T>
void writeRaw(const QString& path, const T* data, size_t count) {
    std::ofstream out(path.toStdString(), std::ios::binary);
    out.write(reinterpret_cast<const char*>(data), std::streamsize(count * sizeof(T)));
}

} // namespace

class TestOnnxExport : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    Dataset data_;
    QString images_;

    // The trainer's input for uint8 images: zero-pad to the model's size, then normalise.
    torch::Tensor inputs(const torch::Tensor& u8, const ModelInput& in) const {
        auto t = u8;
        const int64_t ph = in.height - data_.height, pw = in.width - data_.width;
        if (ph > 0 || pw > 0) t = torch::constant_pad_nd(t, {pw / 2, pw - pw / 2, ph / 2, ph - ph / 2}, 0);
        return normalizeBatch(t, Normalization::fromMeanStd(data_.mean, data_.std, torch::kCPU));
    }

private Q_SLOTS:
    void initTestCase() {
    // As imblab and imblab-cli do at start: freed batch memory stays for the next batch.
        imblab::keepFreedMemoryForReuse();
        QVERIFY(dir_.isValid());
        torch::set_num_threads(int(std::max(1u, std::thread::hardware_concurrency())));  // as the trainer
        data_ = loadDataset(DatasetConfig{});
        images_ = dir_.filePath("test-images.u8");
        writeRaw(images_, data_.test.images.data(), data_.test.images.size());
    }

    void opencvGivesTheAppsPredictions_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<bool>("normalized");
        for (const char* m : {"mlp", "cnn", "resnet32", "resnet10"}) {
            QTest::newRow((std::string(m) + " linear").c_str()) << QString(m) << false;
            QTest::newRow((std::string(m) + " cosine").c_str()) << QString(m) << true;
        }
        QTest::newRow("resnet50 linear") << QString("resnet50") << false;  // the bottleneck blocks
    }

    void opencvGivesTheAppsPredictions() {
        QFETCH(QString, model);
        QFETCH(bool, normalized);
        ExperimentConfig cfg;
        cfg.train.model = model.toStdString();
        cfg.loss.type = normalized ? "ldam" : "ce";
        const ModelInput in = modelInputFor(cfg.train.model, 1, 28, 28, 0);
        auto net = makeSeededModel(3, cfg.train.model, in, 10, normalized);
        const double s = normalized ? 30.0 : 1.0;

        // 40 SGD steps on real training images move the weights and the BatchNorm statistics.
        torch::manual_seed(0);
        torch::optim::SGD opt(net->parameters(), torch::optim::SGDOptions(0.05).momentum(0.9));
        const int64_t n = data_.train.size(), batch = 64;
        const auto trainU8 = torch::from_blob(const_cast<uint8_t*>(data_.train.images.data()), {n, 1, 28, 28}, torch::kUInt8);
        const auto trainY = torch::tensor(data_.train.labels, torch::kInt64);
        net->train();
        for (int step = 0; step < 40; ++step) {
            const auto idx = torch::randint(n, {batch}, torch::kInt64);
            const auto loss = torch::cross_entropy_loss(net->forward(inputs(trainU8.index_select(0, idx), in)) * s,
                                                        trainY.index_select(0, idx));
            opt.zero_grad();
            loss.backward();
            opt.step();
        }
        net->eval();

        RunInfo info;
        info.classNames = data_.classNames;
        info.classCounts = std::vector<int64_t>(10, 6000);
        info.inputShape = {in.channels, in.height, in.width};
        info.predictionScale = s;
        const TrainedModel tm = trainedModelOf(*net, cfg, info);

        // The app's logits on the test set, as the evaluation computes them (× s): all of it, but
        // the first 2 000 images for the ResNets, whose rows took 93 s (ResNet-10), 167 s
        // (ResNet-50) and up to 120 s (ResNet-32, CI) each with all 10 000 on two cores, for no
        // check 2 000 do not make (every layer and both heads still run on real images).
        const bool heavy = torchvisionResNetDepth(cfg.train.model) != 0 || cfg.train.model == "resnet32";
        const int64_t nt = heavy ? std::min<int64_t>(2000, data_.test.size()) : data_.test.size();
        const auto testU8 = torch::from_blob(const_cast<uint8_t*>(data_.test.images.data()), {nt, 1, 28, 28}, torch::kUInt8);
        std::vector<torch::Tensor> parts;
        {
            torch::NoGradGuard noGrad;
            for (int64_t i = 0; i < nt; i += 250) parts.push_back(net->forward(inputs(testU8.slice(0, i, i + 250), in)) * s);
        }
        const auto logits = torch::cat(parts).contiguous();
        const QString expected = dir_.filePath(model + (normalized ? "-cos" : "-lin") + ".f32");
        writeRaw(expected, logits.data_ptr<float>(), size_t(logits.numel()));

        const QString path = dir_.filePath(model + (normalized ? "-cos" : "-lin") + ".onnx");
        exportOnnx(tm, path.toStdString());

        const QJsonObject check = consumer({"check", path});
        QVERIFY2(!check.isEmpty(), "onnx.checker refused the model (see the warning above)");
        QVERIFY(check["opset"].toInt() >= 13);
        QCOMPARE(check["input"].toArray(), (QJsonArray{"batch", 1, 28, 28}));  // the raw image, padding inside
        QCOMPARE(check["output"].toArray(), (QJsonArray{"batch", 10}));
        const QJsonObject meta = check["metadata"].toObject();
        QCOMPARE(meta["model"].toString(), model);
        QCOMPARE(meta["head"].toString(), QString(normalized ? "normed" : "linear"));
        QCOMPARE(meta["prediction_scale"].toString().toDouble(), s);
        QCOMPARE(QJsonDocument::fromJson(meta["class_names"].toString().toUtf8()).array().at(9).toString(),
                 QString::fromStdString(data_.classNames[9]));
        const QJsonObject pre = QJsonDocument::fromJson(meta["preprocessing"].toString().toUtf8()).object();
        QCOMPARE(pre["mean"].toArray().at(0).toDouble(), data_.mean[0]);
        QVERIFY(!check["ops"].toArray().contains("LpNormalization"));  // OpenCV 4.6 refuses it

        const QJsonObject run = consumer({"run", path, images_, "u8", QString("%1,1,28,28").arg(nt), expected});
        QVERIFY2(!run.isEmpty(), "OpenCV could not run the model (see the warning above)");
        qInfo("%s: max |Δlogit| %.3g (relative %.3g), argmax differs on %d of %d (%d near-ties)", qPrintable(path),
              run["max_abs_diff"].toDouble(), run["max_rel_diff"].toDouble(), run["argmax_differ"].toInt(), int(nt),
              run["near_ties"].toInt());
        QCOMPARE(run["n"].toInt(), int(nt));
        QCOMPARE(run["argmax_differ_clear"].toInt(), 0);  // only a near-tie may flip, by float rounding
        QVERIFY2(run["max_rel_diff"].toDouble() < 1e-4, qPrintable(QString::number(run["max_rel_diff"].toDouble())));

        // torchvision's ResNets: the safetensors export loads into torchvision's own module
        // (strict names and shapes) and gives the app's logits there too.
        if (!torchvisionResNetDepth(cfg.train.model) || normalized) return;
        const QString st = dir_.filePath(model + ".safetensors");
        exportSafetensors(tm, st.toStdString());
        const QJsonObject tv = consumer({"run", st, images_, QString("%1,1,28,28").arg(nt), expected}, IMBLAB_TORCHVISION_CONSUMER);
        QVERIFY2(!tv.isEmpty(), "torchvision could not load or run the export (see the warning above)");
        qInfo("%s in torchvision: max relative |Δlogit| %.3g, argmax differs on %d of %d", qPrintable(st),
              tv["max_rel_diff"].toDouble(), tv["argmax_differ"].toInt(), int(nt));
        QVERIFY2(tv["max_rel_diff"].toDouble() < 1e-4, qPrintable(QString::number(tv["max_rel_diff"].toDouble())));
        QVERIFY(tv["argmax_differ"].toInt() <= 2);  // float rounding on near-ties at most
    }

    // Colour images of an odd, non-square size (an image folder's 3×27×30): ResNet-32 pads them
    // 2|3 rows and 1|1 columns (the extra one at the end), normalises with the run's own
    // per-channel mean/std, and BatchNorm statistics are far from their defaults — OpenCV must
    // still give the app's logits. Catches H/W or begin/end swaps a square 28→32 case cannot.
    void colourOddSizedImagesPadAsTheTrainer() {
        ExperimentConfig cfg;
        cfg.dataset.id = "folder";
        cfg.train.model = "resnet32";
        cfg.loss.type = "ldam";
        RunInfo info;
        info.classNames = {"a", "b", "c", "d"};
        info.classCounts = {40, 20, 10, 5};
        info.dataShape = {3, 27, 30};
        info.inputShape = {3, 32, 32};
        info.mean = {0.4, 0.5, 0.6};
        info.std = {0.2, 0.25, 0.3};
        info.predictionScale = 30;
        ModelInput in;
        in.channels = 3, in.height = 32, in.width = 32;
        auto net = makeSeededModel(5, "resnet32", in, 4, true);
        torch::manual_seed(1);
        {
            torch::NoGradGuard noGrad;
            for (auto& m : net->modules(false))
                if (auto* bn = m->as<torch::nn::BatchNorm2d>()) {
                    bn->running_mean.copy_(torch::randn_like(bn->running_mean) * 0.2);
                    bn->running_var.copy_(torch::rand_like(bn->running_var) + 0.5);
                    bn->weight.copy_(torch::rand_like(bn->weight) + 0.5);
                    bn->bias.copy_(torch::randn_like(bn->bias) * 0.1);
                }
        }
        net->eval();
        const int64_t n = 200;
        const auto u8 = torch::randint(0, 256, {n, 3, 27, 30}, torch::kUInt8);
        torch::Tensor logits;
        {
            torch::NoGradGuard noGrad;
            const auto padded = torch::constant_pad_nd(u8, {1, 1, 2, 3}, 0);  // the trainer's {pw/2, pw−pw/2, ph/2, ph−ph/2}
            logits = (net->forward(normalizeBatch(padded, Normalization::fromMeanStd(info.mean, info.std, torch::kCPU))) * 30)
                         .contiguous();
        }
        const QString xs = dir_.filePath("colour.u8"), ys = dir_.filePath("colour.f32"), path = dir_.filePath("colour.onnx");
        writeRaw(xs, u8.data_ptr<uint8_t>(), size_t(u8.numel()));
        writeRaw(ys, logits.data_ptr<float>(), size_t(logits.numel()));
        exportOnnx(trainedModelOf(*net, cfg, info), path.toStdString());
        const QJsonObject check = consumer({"check", path});
        QCOMPARE(check["input"].toArray(), (QJsonArray{"batch", 3, 27, 30}));
        const QJsonObject pre = QJsonDocument::fromJson(check["metadata"].toObject()["preprocessing"].toString().toUtf8()).object();
        QCOMPARE(pre["channel_order"].toString(), QString("RGB"));
        QCOMPARE(pre["std"].toArray().at(2).toDouble(), 0.3);
        QVERIFY(pre["resize"].toString().startsWith("shorter side to 27"));
        const QJsonObject run = consumer({"run", path, xs, "u8", QString("%1,3,27,30").arg(n), ys});
        QCOMPARE(run["n"].toInt(), int(n));
        QCOMPARE(run["argmax_differ_clear"].toInt(), 0);
        QVERIFY2(run["max_rel_diff"].toDouble() < 1e-4, qPrintable(QString::number(run["max_rel_diff"].toDouble())));

        // A cnn does not pad: the same 27×30 images recorded for 32×32 weights are refused.
        ExperimentConfig cnn = cfg;
        cnn.train.model = "cnn";
        RunInfo cnnInfo = info;
        auto small = makeSeededModel(5, "cnn", in, 4, true);
        QVERIFY_THROWS_EXCEPTION(DataError, exportOnnx(trainedModelOf(*small, cnn, cnnInfo), dir_.filePath("cnn.onnx").toStdString()));
        QVERIFY(!QFile::exists(dir_.filePath("cnn.onnx")));
    }

    // Feature data (2-D blobs): the input is the raw feature vector.
    void featureMlp() {
        ExperimentConfig cfg;
        cfg.dataset.id = "blobs";
        cfg.train.model = "mlp";
        cfg.loss.type = "ldam";
        ModelInput in;
        in.features = 2;
        auto net = makeSeededModel(1, "mlp", in, 3, true);
        net->eval();
        RunInfo info;
        info.classNames = {"a", "b", "c"};
        info.classCounts = {50, 20, 5};
        info.inputShape = {2};
        info.predictionScale = 30;
        const auto x = torch::randn({300, 2}) * 3;
        torch::Tensor logits;
        {
            torch::NoGradGuard noGrad;
            logits = (net->forward(x) * 30).contiguous();
        }
        const QString xs = dir_.filePath("blobs.f32"), ys = dir_.filePath("blobs-logits.f32"), path = dir_.filePath("blobs.onnx");
        writeRaw(xs, x.data_ptr<float>(), 600);
        writeRaw(ys, logits.data_ptr<float>(), 900);
        exportOnnx(trainedModelOf(*net, cfg, info), path.toStdString());
        const QJsonObject check = consumer({"check", path});
        QCOMPARE(check["input"].toArray(), (QJsonArray{"batch", 2}));
        const QJsonObject run = consumer({"run", path, xs, "f32", "300,2", ys});
        QCOMPARE(run["argmax_differ_clear"].toInt(), 0);
        QVERIFY(run["max_rel_diff"].toDouble() < 1e-4);
    }

    // Broken cases name what and why and leave no file.
    void refusesWithoutWritingAnything() {
        const QString path = dir_.filePath("empty.onnx");
        try {
            exportOnnx(TrainedModel{}, path.toStdString());
            QFAIL("exported a model without weights");
        } catch (const DataError& e) {
            QVERIFY2(QString(e.what()).contains("no model to export"), e.what());
        }
        QVERIFY(!QFile::exists(path));

        ExperimentConfig cfg;
        cfg.train.model = "mlp";
        ModelInput in;
        in.channels = 1, in.height = 28, in.width = 28;
        auto net = makeSeededModel(1, "mlp", in, 10, false);
        RunInfo info;
        info.classNames = data_.classNames;
        info.classCounts = std::vector<int64_t>(10, 1);
        info.inputShape = {1, 28, 28};
        const TrainedModel tm = trainedModelOf(*net, cfg, info);
        const QString unwritable = dir_.filePath("no-such-folder/model.onnx");
        QVERIFY_THROWS_EXCEPTION(DataError, exportOnnx(tm, unwritable.toStdString()));
        QVERIFY(!QFile::exists(unwritable));

        TrainedModel wrongShape = tm;  // weights that do not fit the config's model
        wrongShape.info.inputShape = {1, 20, 20};
        try {
            exportOnnx(wrongShape, path.toStdString());
            QFAIL("exported weights that do not fit");
        } catch (const DataError& e) {
            QVERIFY2(QString(e.what()).contains("fc1.weight"), e.what());
        }
        QVERIFY(!QFile::exists(path));
    }
};

QTEST_GUILESS_MAIN(TestOnnxExport)
#include "tst_onnx_export.moc"
