// Streamed images: the crop geometry (torchvision's RandomResizedCrop, the evaluation's centre
// crop) against hand-computed boxes, the cropped and scaled JPEG decode against a whole decode,
// the decoding ring (order, determinism across thread counts and restarts, a bad file named),
// the header probe's listed skips, and a training run streamed against the same run decoded.
#include "api/observer.h"
#include "data/dataset_loader.h"
#include "data/decoded_cache.h"
#include "data/example_decode.h"
#include "data/image_crops.h"
#include "data/image_decode.h"
#include "data/image_folder.h"
#include "data/jpeg_region.h"
#include "data/streamed_images.h"
#include "errors.h"
#include "training/evaluation_plan.h"
#include "training/image_stream.h"
#include "training/trainer.h"
#include "util/rng.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

using namespace imblab;

namespace {

void save(const QImage& img, const QString& path, const char* format = nullptr, int quality = -1) {
    QDir().mkpath(QFileInfo(path).path());
    QVERIFY2(img.save(path, format, quality), qPrintable(path));
}

// A photo-like test card: smooth gradients plus a few sharp edges, so that crops, scales and
// flips all change the pixels.
QImage card(int w, int h, int seed) {
    QImage img(w, h, QImage::Format_RGB888);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const int r = (x * 255 / std::max(1, w - 1) + seed * 37) % 256;
            const int g = (y * 255 / std::max(1, h - 1) + seed * 11) % 256;
            const int b = ((x / 16 + y / 16) % 2) ? 200 : 40;
            img.setPixel(x, y, qRgb(r, g, b));
        }
    return img;
}

// DIR/<class>/<i>.png: class c gets counts[c] cards of w×h.
void writeFolder(const QString& dir, const std::vector<int>& counts, int w, int h, const char* format = "png") {
    for (size_t c = 0; c < counts.size(); ++c)
        for (int i = 0; i < counts[c]; ++i)
            save(card(w + int(c) * 3, h + i, int(c) * 10 + i), QStringLiteral("%1/c%2/%3.%4").arg(dir).arg(c).arg(i).arg(format));
}

std::vector<uint8_t> decodeCentre(const std::string& path, int size, int resize, int channels) {
    std::vector<uint8_t> out(size_t(channels) * size * size);
    decodeExample(path, [&](const ImageSize& s) { return centreCropAfterResize(s.width, s.height, size, resize); }, size, channels,
                  out.data());
    return out;
}

struct Recorder : TrainingObserver {
    std::vector<MetricsReport> reports;
    void onReport(const MetricsReport& r) override { reports.push_back(r); }
};

} // namespace

class TestImageStream : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { setDecodedCacheFolder(""); }

    // ImageNet's evaluation crop of a 500×375 photo: shorter side 375 → 256 (s = 375/256 source
    // pixels per resized pixel), the centre 224: a 328.125-pixel square at (85.9375, 23.4375).
    void centreCropIsResizeThenCentre() {
        const CropBox b = centreCropAfterResize(500, 375, 224, 256);
        QCOMPARE(b.width, 328.125);
        QCOMPARE(b.height, 328.125);
        QCOMPARE(b.x, 85.9375);
        QCOMPARE(b.y, 23.4375);
        // With resize = size it is the decoded path's box: the shorter side whole, centred.
        const CropBox d = centreCropAfterResize(40, 30, 32, 32);
        QCOMPARE(d.width, 30.0);
        QCOMPARE(d.x, 5.0);
        QCOMPARE(d.y, 0.0);
    }

    // RandomResizedCrop: every box inside the image, its area 8–100 % and its aspect 3/4–4/3
    // (within the rounding to whole pixels), the same box for the same seed; a strip of
    // 1000×10 fits no try and gets torchvision's fallback: height 10, width round(10·4/3) = 13,
    // centred at ((1000 − 13) / 2, 0) = (493, 0).
    void randomResizedCropKeepsItsRanges() {
        Rng rng(7);
        for (int i = 0; i < 2000; ++i) {
            const CropBox b = randomResizedCrop(500, 375, rng);
            QVERIFY(b.x >= 0 && b.y >= 0 && b.x + b.width <= 500 && b.y + b.height <= 375);
            const double area = b.width * b.height / (500.0 * 375.0);
            QVERIFY2(area >= 0.075 && area <= 1.0, qPrintable(QString::number(area)));
            const double aspect = b.width / b.height;
            QVERIFY2(aspect >= 0.74 && aspect <= 1.35, qPrintable(QString::number(aspect)));
        }
        Rng a(3), b(3);
        const CropBox first = randomResizedCrop(640, 480, a), again = randomResizedCrop(640, 480, b);
        QCOMPARE(first.x, again.x);
        QCOMPARE(first.width, again.width);
        Rng strip(1);
        const CropBox f = randomResizedCrop(1000, 10, strip);
        QCOMPARE(f.x, 493.0);
        QCOMPARE(f.y, 0.0);
        QCOMPARE(f.width, 13.0);
        QCOMPARE(f.height, 10.0);
    }

    // The LDAM paper's iNaturalist crop: shorter side to 256, a random 224 at a whole-pixel
    // position of the resized image: 400×300 resizes to 341×256, so x ∈ 0..117 and y ∈ 0..32
    // resized pixels, each 300/256 source pixels.
    void randomCropAfterResizeStaysInside() {
        Rng rng(5);
        const double s = 300.0 / 256;
        for (int i = 0; i < 500; ++i) {
            const CropBox b = randomCropAfterResize(400, 300, 224, 256, rng);
            QCOMPARE(b.width, 224 * s);
            QVERIFY(b.x >= 0 && b.x <= 117 * s + 1e-9 && b.y >= 0 && b.y <= 32 * s + 1e-9);
            QCOMPARE(std::fmod(b.x / s + 1e-9, 1.0) < 1e-6, true);
        }
    }

    // The DCT scale: the smallest num/8 keeping the box ≥ the output: a 328.125-pixel box needs
    // 6/8 for 224 (5/8 gives ⌈205.08⌉ = 206); a 2000-pixel box 1/8 (250); a box smaller than the
    // output the full scale.
    void jpegScaleIsTheSmallestSufficient() {
        QCOMPARE(jpegScaleNumerator(328.125, 328.125, 224, 224), 6);
        QCOMPARE(jpegScaleNumerator(2000, 2000, 224, 224), 1);
        QCOMPARE(jpegScaleNumerator(2000, 300, 224, 224), 6);
        QCOMPARE(jpegScaleNumerator(100, 100, 224, 224), 8);
    }

    // The cropped decode gives a whole decode's pixels: at full scale, a region's bytes equal
    // the same rectangle of tj's whole-image decode (decodeImageFile at minShorterSide = the
    // height), but for its edge columns; at 1/2 scale too (minShorterSide half the height).
    void jpegRegionMatchesAWholeDecode() {
        QTemporaryDir dir;
        const QString path = dir.filePath("photo.jpg");
        save(card(320, 240, 4), path, "JPEG", 90);
        const std::vector<uint8_t> bytes = readImageFileBytes(path.toStdString());
        for (int num : {8, 4}) {
            const DecodedImage whole = decodeImageFile(path.toStdString(), 240 * num / 8);
            QCOMPARE(whole.width, 320 * num / 8);
            // A box whose scaled size needs exactly num/8: 224·8/num source pixels wide at least.
            const CropBox box{64, 40, 224.0 * 8 / num + 2, 150};
            const JpegRegion r = decodeJpegRegion(path.toStdString(), bytes, box, 224, 150 * num / 8, 2);
            QCOMPARE(r.scale, num / 8.0);
            QVERIFY(r.x0 <= int(box.x * r.scale) - 2 && r.y0 == int(box.y * r.scale) - 2);
            // Away from the region's left and right edge: there the chroma upsampling has no
            // neighbour column (libjpeg-turbo's cropped decode repeats the edge), which is why the
            // decode takes a margin around the box wider than the resampling filter's reach.
            int differing = 0, edge = 0;
            for (int y = 0; y < r.image.height; ++y)
                for (int x = 0; x < r.image.width; ++x)
                    for (int c = 0; c < 3; ++c) {
                        const bool d = r.image.pixels[(size_t(y) * r.image.width + x) * 3 + c] !=
                                       whole.pixels[(size_t(y + r.y0) * whole.width + x + r.x0) * 3 + c];
                        (x == 0 || x == r.image.width - 1 ? edge : differing) += d;
                    }
            QVERIFY(edge <= 2 * 3 * r.image.height);
            QCOMPARE(differing, 0);
        }
    }

    // A truncated JPEG is unreadable, not decoded half grey; a missing file says so.
    void badFilesAreNamed() {
        QTemporaryDir dir;
        const QString path = dir.filePath("cut.jpg");
        save(card(200, 150, 1), path, "JPEG", 90);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.resize(f.size() / 2));
        f.close();
        const std::string p = path.toStdString();
        try {
            decodeCentre(p, 32, 32, 3);
            QFAIL("a truncated JPEG decoded");
        } catch (const DataError& e) {
            QCOMPARE(e.file(), p);
            QVERIFY2(QString(e.what()).contains("not a readable JPEG"), e.what());
        }
        try {
            decodeCentre(dir.filePath("gone.jpg").toStdString(), 32, 32, 3);
            QFAIL("a missing file decoded");
        } catch (const DataError& e) {
            QVERIFY2(QString(e.what()).contains("does not exist"), e.what());
        }
    }

    // The stream's evaluation example of a PNG is the decoded path's image, byte for byte.
    void evaluationExampleIsTheDecodedImage() {
        QTemporaryDir dir;
        const QString path = dir.filePath("a.png");
        save(card(57, 41, 2), path);
        const DecodedImage decoded = resizeShorterSideAndCrop(decodeImageFile(path.toStdString(), 32), 32);
        const std::vector<uint8_t> streamed = decodeCentre(path.toStdString(), 32, 32, 3);
        for (int p = 0; p < 32 * 32; ++p)
            for (int c = 0; c < 3; ++c) QCOMPARE(streamed[size_t(c) * 32 * 32 + size_t(p)], decoded.pixels[size_t(p) * 3 + c]);
    }

    // The ring hands out the plan's batches in order, each row decoded as decodeExample would;
    // training rows are the same with 1 or 3 threads and after a restart in mid-plan.
    void ringKeepsOrderAndIsDeterministic() {
        QTemporaryDir dir;
        std::vector<std::string> files;
        for (int i = 0; i < 11; ++i) {
            const QString p = dir.filePath(QStringLiteral("%1.jpg").arg(i));
            save(card(90 + i * 7, 70 + i * 3, i), p, "JPEG", 85);
            files.push_back(p.toStdString());
        }
        auto plan = std::make_shared<StreamPlan>();
        for (int b = 0; b < 4; ++b) {
            std::vector<StreamRow> rows;
            for (int i = 0; i < (b == 3 ? 2 : 3); ++i) rows.push_back({int64_t((b * 3 + i) % 11), uint64_t(100 + b * 3 + i), b % 2 == 1});
            plan->push_back(rows);
        }
        ImageStreamOptions o;
        o.size = 24;
        o.evalResize = 27;
        o.slots = 2;
        auto run = [&](int threads, int64_t first) {
            o.threads = threads;
            ImageStream s(files, o);
            s.start(plan, 1, first);
            std::vector<torch::Tensor> out;
            for (int64_t b = first; b < int64_t(plan->size()); ++b) out.push_back(s.take().clone());
            return out;
        };
        const auto one = run(1, 0), three = run(3, 0), restarted = run(2, 2);
        QCOMPARE(one.size(), size_t(4));
        QCOMPARE(one[3].size(0), 2);
        for (size_t b = 0; b < one.size(); ++b) QVERIFY(torch::equal(one[b], three[b]));
        QVERIFY(torch::equal(one[2], restarted[0]) && torch::equal(one[3], restarted[1]));
        // Evaluation rows (batch 0) are the centre crops; training rows (batch 1) are not.
        const auto centre = decodeCentre(files[1], 24, 27, 3);
        QVERIFY(std::equal(centre.begin(), centre.end(), one[0][1].contiguous().data_ptr<uint8_t>()));
        const auto centre4 = decodeCentre(files[4], 24, 27, 3);
        QVERIFY(!std::equal(centre4.begin(), centre4.end(), one[1][1].contiguous().data_ptr<uint8_t>()));
    }

    // An epoch's plan: 10 examples in batches of 4 (the last step takes the rest, 2); rank 1 of
    // 2 decodes rows 2–3 of each batch (1 of the last), its seeds those of the same places in a
    // one-process plan; with mixing every rank decodes whole batches.
    void trainingPlanSlicesForRanks() {
        const std::vector<int64_t> order{9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
        const std::vector<int64_t> files{100, 101, 102, 103, 104, 105, 106, 107, 108, 109};
        const auto alone = trainingPlan(order, files.data(), 4, 3, 0, 1, false, 77, true);
        QCOMPARE(alone->size(), size_t(3));
        QCOMPARE((*alone)[2].size(), size_t(2));
        QCOMPARE((*alone)[0][0].file, int64_t(109));
        const auto rank1 = trainingPlan(order, files.data(), 4, 3, 1, 2, false, 77, true);
        QCOMPARE((*rank1)[0].size(), size_t(2));
        QCOMPARE((*rank1)[0][0].file, int64_t(107));  // position 2: order[2] = 7
        QCOMPARE((*rank1)[0][0].seed, (*alone)[0][2].seed);
        QCOMPARE((*rank1)[2].size(), size_t(1));
        QCOMPARE((*rank1)[2][0].file, int64_t(100));  // position 9
        const auto whole = trainingPlan(order, files.data(), 4, 3, 1, 2, true, 77, false);
        QCOMPARE((*whole)[0].size(), size_t(4));
        QVERIFY(!(*whole)[0][0].train);
    }

    // A file that fails while streaming stops the batch with its name; the stream goes on.
    void aFailingFileIsNamedByItsBatch() {
        QTemporaryDir dir;
        std::vector<std::string> files;
        for (int i = 0; i < 3; ++i) {
            const QString p = dir.filePath(QStringLiteral("%1.png").arg(i));
            save(card(40, 40, i), p);
            files.push_back(p.toStdString());
        }
        QFile::remove(QString::fromStdString(files[1]));
        auto plan = std::make_shared<StreamPlan>(StreamPlan{{{0, 0, false}, {1, 0, false}}, {{2, 0, false}}});
        ImageStreamOptions o;
        o.size = 16;
        o.evalResize = 16;
        o.threads = 2;
        ImageStream s(files, o);
        s.start(plan, 0);
        try {
            s.take();
            QFAIL("a missing file went unnoticed");
        } catch (const DataError& e) {
            QCOMPARE(e.file(), files[1]);
        }
        QCOMPARE(s.take().size(0), 1);
    }

    // The memory rule: 1 000 images at 224 px in colour decoded take 150 528 000 bytes: over a
    // quarter of 400 MB (stream), within a quarter of 1 GB (decoded); by hand either way.
    void pipelineChoiceFollowsMemory() {
        QVERIFY(chooseImagePipeline("auto", 1000, 3, 224, 400'000'000).stream);
        QVERIFY(!chooseImagePipeline("auto", 1000, 3, 224, 1'000'000'000).stream);
        QVERIFY(chooseImagePipeline("stream", 10, 1, 32, 1'000'000'000).stream);
        QVERIFY(!chooseImagePipeline("decoded", 10'000'000, 3, 224, 1'000'000).stream);
        QVERIFY(QString::fromStdString(chooseImagePipeline("auto", 1000, 3, 224, 400'000'000).note).contains("0.2 GB"));
        QVERIFY_THROWS_EXCEPTION(ConfigError, chooseImagePipeline("lazy", 1, 1, 8, 1));
        QCOMPARE(evaluationResize(224, 0), 256);
        QCOMPARE(evaluationResize(64, 0), 73);  // 64·256/224 = 73.14
        QCOMPARE(evaluationResize(64, 64), 64);
    }

    // A class-stratified sample: labels [0 0 0 0 1 1 2] under a cap of 5 take q = 2 per class
    // (q = 3 would take 6): rows 0 and 2 of class 0 (spread), 4 and 5, and 6.
    void trainEvaluationRowsAreStratified() {
        QCOMPARE(stratifiedEvaluationRows({0, 0, 0, 0, 1, 1, 2}, 3, 5), (std::vector<int64_t>{0, 2, 4, 5, 6}));
        QCOMPARE(stratifiedEvaluationRows({0, 1, 0, 1}, 2, 100), (std::vector<int64_t>{0, 1, 2, 3}));
        QCOMPARE(stratifiedEvaluationRows({0, 0, 0, 1}, 2, 1), (std::vector<int64_t>{0, 3}));  // at least one each
    }

    // Opening a folder to stream reads only headers: a file that is not an image, an empty one
    // and a truncated header are listed skips; a class with none readable is an error naming it;
    // the normalisation equals the decoded path's on a set this small.
    void streamListingSkipsAndMatchesTheDecodedStatistics() {
        QTemporaryDir dir;
        writeFolder(dir.path(), {4, 3}, 50, 40);
        QFile bad(dir.filePath("c0/notes.png"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("not a picture");
        bad.close();
        QFile empty(dir.filePath("c1/empty.png"));
        QVERIFY(empty.open(QIODevice::WriteOnly));
        empty.close();
        ImageFolderOptions o;
        o.imageSize = 16;
        o.testSplit = 0.25;
        const auto listing = listImageFolder(dir.path().toStdString(), o);
        const Dataset streamed = streamListing(listing, o, 16);
        QCOMPARE(streamed.skipped.size(), size_t(2));
        QVERIFY(QString::fromStdString(streamed.skipped[0].reason).contains("not a PNG, JPEG or BMP"));
        QVERIFY(QString::fromStdString(streamed.skipped[1].reason).contains("empty"));
        QVERIFY(streamed.isStreamed());
        QVERIFY(streamed.train.images.empty());
        const Dataset decoded = decodeListing(listing, o).data;
        QCOMPARE(streamed.train.files.size(), size_t(decoded.train.size()));
        QCOMPARE(streamed.train.labels, decoded.train.labels);
        QCOMPARE(streamed.channels, decoded.channels);
        QCOMPARE(streamed.mean, decoded.mean);
        QCOMPARE(streamed.std, decoded.std);

        QTemporaryDir lost;
        writeFolder(lost.path(), {3, 0}, 30, 30);
        QDir().mkpath(lost.filePath("c1"));
        QFile junk(lost.filePath("c1/a.png"));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("junk");
        junk.close();
        try {
            streamListing(listImageFolder(lost.path().toStdString(), o), o, 16);
            QFAIL("a class without a readable image was accepted");
        } catch (const DataError& e) {
            QVERIFY2(QString(e.what()).contains("c1") && QString(e.what()).contains("no readable image"), e.what());
        }
    }

    // The same run through both pipelines: without augmentation (and with the evaluation crop
    // the decoded path's), every per-class error, margin and the balanced error agree exactly.
    void streamedRunEqualsTheDecodedRun() {
        QTemporaryDir dir;
        writeFolder(dir.filePath("train"), {12, 8, 5}, 44, 36);
        writeFolder(dir.filePath("test"), {4, 4, 4}, 40, 40);
        ExperimentConfig c;
        c.dataset.id = "folder";
        c.dataset.path = dir.path().toStdString();
        c.dataset.profile = "none";
        c.dataset.imageSize = 32;
        c.dataset.resize = 32;
        c.train.model = "cnn";
        c.train.epochs = 2;
        c.train.batchSize = 8;
        c.train.augment = false;
        c.train.device = "cpu";
        c.train.threads = 1;
        c.train.lr = 0.05;
        auto run = [&](const std::string& pipeline) {
            ExperimentConfig cfg = c;
            cfg.dataset.pipeline = pipeline;
            Trainer t(cfg);
            const RunInfo info = t.prepare();
            Recorder rec;
            RunControl control;
            const RunSummary s = t.run(rec, control);
            return std::make_pair(info, s);
        };
        const auto [dInfo, decoded] = run("decoded");
        const auto [sInfo, streamed] = run("stream");
        QCOMPARE(dInfo.dataPipeline, std::string("decoded"));
        QCOMPARE(sInfo.dataPipeline, std::string("stream"));
        QCOMPARE(sInfo.trainEvaluationRows, int64_t(25));
        QCOMPARE(streamed.status, RunStatus::Finished);
        QCOMPARE(streamed.finalReport.testErrorPerClass, decoded.finalReport.testErrorPerClass);
        QCOMPARE(streamed.finalReport.trainErrorPerClass, decoded.finalReport.trainErrorPerClass);
        QCOMPARE(streamed.finalReport.balancedError, decoded.finalReport.balancedError);
        QCOMPARE(streamed.finalReport.margins.front().min, decoded.finalReport.margins.front().min);
        // A second stage reads whole splits as features: a streamed set says so before training.
        ExperimentConfig crt = c;
        crt.dataset.pipeline = "stream";
        crt.train.stage2 = "crt";
        try {
            Trainer(crt).prepare();
            QFAIL("a second stage on a streamed set was accepted");
        } catch (const ConfigError& e) {
            QCOMPARE(e.field(), std::string("train.stage2"));
        }
    }

    // A thousand classes from 100 images down to 2 (an exponential tail: class c keeps
    // ⌊100·0.02^(c/999)⌋), three test images each, written as JPEG files and described by
    // iNaturalist annotation files whose category ids are shuffled: streamed, the classes come in
    // id order with their counts, an epoch trains, and its evaluation has every class, top-5 and
    // a train-set sample that fits the cap.
    void aThousandClassesStreamFromAnnotationFiles() {
        QTemporaryDir dir;
        const int k = 1000;
        std::vector<int> ids(k);
        for (int c = 0; c < k; ++c) ids[size_t(c)] = c + 1;
        Rng shuffle(11);
        shuffle.shuffle(ids);
        QString images[2], annotations[2];
        int imageId = 0;
        int64_t trainTotal = 0;
        for (int c = 0; c < k; ++c) {
            const int n = int(std::floor(100 * std::pow(0.02, c / 999.0) + 1e-9));
            trainTotal += n;
            for (int split = 0; split < 2; ++split)
                for (int i = 0; i < (split ? 3 : n); ++i) {
                    QImage img(32, 32, QImage::Format_RGB888);
                    img.fill(QColor::fromHsv((c * 37) % 360, 200, 80 + (c % 7) * 25));
                    for (int x = (c / 360) % 4; x < 32; x += 4) img.setPixel(x, (x * (c % 5 + 1) + i) % 32, qRgb(255, 255, 255));
                    const QString name = QStringLiteral("%1/%2/%3.jpg").arg(split ? "val" : "train").arg(c).arg(i);
                    save(img, dir.filePath(name), "JPEG", 90);
                    ++imageId;
                    images[split] += QStringLiteral("%1{\"id\": %2, \"file_name\": \"%3\"}").arg(images[split].isEmpty() ? "" : ",").arg(imageId).arg(name);
                    annotations[split] += QStringLiteral("%1{\"id\": %2, \"image_id\": %2, \"category_id\": %3}")
                                              .arg(annotations[split].isEmpty() ? "" : ",").arg(imageId).arg(ids[size_t(c)]);
                }
        }
        QString categories;
        for (int c = 0; c < k; ++c)
            categories += QStringLiteral("%1{\"id\": %2, \"name\": \"Genus species %3\"}").arg(c ? "," : "").arg(ids[size_t(c)]).arg(c, 4, 10, QChar('0'));
        for (int split = 0; split < 2; ++split) {
            QFile f(dir.filePath(split ? "val.json" : "train.json"));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QStringLiteral("{\"images\": [%1], \"annotations\": [%2], \"categories\": [%3]}").arg(images[split], annotations[split], categories).toUtf8());
        }
        ExperimentConfig c;
        c.dataset.id = "inat";
        c.dataset.path = dir.filePath("train.json").toStdString();
        c.dataset.testPath = dir.filePath("val.json").toStdString();
        c.dataset.profile = "none";
        c.dataset.pipeline = "stream";
        c.train.model = "cnn";
        c.train.epochs = 1;
        c.train.batchSize = 256;
        c.train.device = "cpu";
        c.train.reportEvery = 50;
        Trainer t(c);
        const RunInfo info = t.prepare();
        QCOMPARE(int(info.classNames.size()), k);
        QCOMPARE(info.trainSize, trainTotal);
        QCOMPARE(info.testSize, int64_t(3 * k));
        // Category ids in order: id 1 is the class written as ids.indexOf(1).
        const int first = int(std::find(ids.begin(), ids.end(), 1) - ids.begin());
        QCOMPARE(info.classNames[0], QStringLiteral("Genus species %1").arg(first, 4, 10, QChar('0')).toStdString());
        QCOMPARE(info.classCounts[0], int64_t(std::floor(100 * std::pow(0.02, first / 999.0) + 1e-9)));
        QCOMPARE(*std::max_element(info.classCounts.begin(), info.classCounts.end()), int64_t(100));
        QCOMPARE(*std::min_element(info.classCounts.begin(), info.classCounts.end()), int64_t(2));
        QCOMPARE(info.dataPipeline, std::string("stream"));
        QVERIFY(info.trainEvaluationRows <= kStreamTrainEvaluationRows && info.trainEvaluationRows > kStreamTrainEvaluationRows - k);
        Recorder rec;
        RunControl control;
        const RunSummary s = t.run(rec, control);
        QCOMPARE(s.status, RunStatus::Finished);
        QCOMPARE(int(s.finalReport.testErrorPerClass.size()), k);
        QVERIFY(s.finalReport.top5Error <= s.finalReport.balancedError);
        QVERIFY(s.finalReport.balancedError < 0.99);  // an epoch learns something of 1 000 classes
        QCOMPARE(int(s.finalReport.margins.size()), k);
    }
};

QTEST_APPLESS_MAIN(TestImageStream)
#include "tst_image_stream.moc"
