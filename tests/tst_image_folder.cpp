// Image folders: the ImageFolder convention, decoding (PNG, JPEG, BMP; grey, RGB, RGBA,
// 16-bit), the resize, the stratified split, and every hostile case the issue names — each
// folder written by the test itself with Qt's image writers.
#include "data/image_decode.h"
#include "data/image_folder.h"
#include "errors.h"
#include "test_errors.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include <zlib.h>

using namespace imblab;
using imblab::test::errorOf;

namespace {

QImage grey(int w, int h, int value) {
    QImage img(w, h, QImage::Format_Grayscale8);
    img.fill(value);
    return img;
}

QImage rgb(int w, int h, QColor c) {
    QImage img(w, h, QImage::Format_RGB888);
    img.fill(c);
    return img;
}

void save(const QImage& img, const QString& path, const char* format = nullptr) {
    QDir().mkpath(QFileInfo(path).path());
    QVERIFY2(img.save(path, format), qPrintable(path));
}

void writeBytes(const QString& path, const QByteArray& bytes) {
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

// A PNG that declares width×height and holds no pixel data: enough to test the limit.
QByteArray pngHeaderOnly(quint32 width, quint32 height) {
    QByteArray ihdr("IHDR");
    for (quint32 v : {width, height})
        for (int s = 24; s >= 0; s -= 8) ihdr.append(char((v >> s) & 0xFF));
    ihdr.append(char(8)).append(char(2)).append(char(0)).append(char(0)).append(char(0));  // 8-bit RGB
    const uLong crc = crc32(0, reinterpret_cast<const Bytef*>(ihdr.constData()), uInt(ihdr.size()));
    QByteArray png("\x89PNG\r\n\x1a\n", 8);
    png.append(QByteArray("\0\0\0\x0d", 4)).append(ihdr);
    for (int s = 24; s >= 0; s -= 8) png.append(char((crc >> s) & 0xFF));
    return png;
}

ImageFolderOptions small(int size = 8) {
    ImageFolderOptions o;
    o.imageSize = size;
    o.threads = 2;
    return o;
}

QString reasonFor(const ImageFolderData& d, const QString& name) {
    for (const auto& s : d.skipped)
        if (QString::fromStdString(s.path).endsWith(name)) return QString::fromStdString(s.reason);
    return {};
}

} // namespace

class TestImageFolder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // A 4×2 image to 2×2 keeps the centre two columns exactly (scale 1: each output pixel is
    // one source pixel); a uniform image stays uniform at any scale.
    void resizeKeepsTheCentre() {
        DecodedImage img;
        img.width = 4, img.height = 2, img.channels = 1;
        img.pixels = {0, 100, 200, 255, 0, 100, 200, 255};
        const DecodedImage out = resizeShorterSideAndCrop(img, 2);
        QCOMPARE(out.pixels, (std::vector<uint8_t>{100, 200, 100, 200}));
        DecodedImage flat;
        flat.width = 37, flat.height = 53, flat.channels = 3;
        flat.pixels.assign(37 * 53 * 3, 77);
        const DecodedImage down = resizeShorterSideAndCrop(flat, 8);
        QCOMPARE(down.pixels, std::vector<uint8_t>(8 * 8 * 3, 77));
        // Downscale 4 → 2 along a row [0, 0, 255, 255]: PIL's triangle of support 2 centred at
        // 1.0 weighs pixels 0, 1, 2 by .75, .75, .25: 255·.25/1.75 = 36.4 → 36 (and 219 mirrored).
        DecodedImage row;
        row.width = 4, row.height = 4, row.channels = 1;
        row.pixels = {0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 255, 255};  // four such rows
        const DecodedImage half = resizeShorterSideAndCrop(row, 2);
        QCOMPARE(half.pixels, (std::vector<uint8_t>{36, 219, 36, 219}));
    }

    void luminanceAndReplication() {
        DecodedImage c;
        c.width = c.height = 1, c.channels = 3;
        c.pixels = {255, 0, 0};
        QCOMPARE(withChannels(c, 1).pixels, std::vector<uint8_t>{76});  // 0.299·255 = 76.2
        DecodedImage g;
        g.width = g.height = 1, g.channels = 1;
        g.pixels = {9};
        QCOMPARE(withChannels(g, 3).pixels, (std::vector<uint8_t>{9, 9, 9}));
    }

    // libjpeg-turbo decodes a 256×256 JPEG at 1/8 when 32 pixels are wanted.
    void jpegScaledDecoding() {
        QTemporaryDir dir;
        const QString path = dir.filePath("big.jpg");
        save(rgb(256, 256, QColor(10, 200, 30)), path, "JPG");
        const DecodedImage full = decodeImageFile(path.toStdString(), 256);
        QCOMPARE(full.width, 256);
        const DecodedImage eighth = decodeImageFile(path.toStdString(), 32);
        QCOMPARE(eighth.width, 32);
        QCOMPARE(eighth.channels, 3);
        QVERIFY(std::abs(int(eighth.pixels[1]) - 200) <= 3);
    }

    // Mixed grey, RGB, RGBA and 16-bit PNGs, a JPEG and a BMP, class names with spaces and
    // non-ASCII letters, and a text file among them: one 3-channel dataset, values kept.
    void mixedFilesMakeOneDataset() {
        QTemporaryDir dir;
        const QString a = dir.filePath(QString::fromUtf8("Ärmel top")), b = dir.filePath("bag");
        save(grey(8, 8, 40), a + "/grey.png");
        QImage rgba(8, 8, QImage::Format_RGBA8888);
        rgba.fill(QColor(10, 20, 30, 0));  // fully transparent: alpha is dropped, the colour kept
        save(rgba, a + "/rgba.png");
        QImage deep(8, 8, QImage::Format_Grayscale16);
        deep.fill(QColor::fromRgba64(0xABCD, 0xABCD, 0xABCD));
        save(deep, a + "/deep.png");
        save(rgb(8, 8, QColor(200, 100, 50)), b + "/photo.bmp", "BMP");
        save(rgb(8, 8, QColor(0, 0, 255)), b + "/colour.png");
        save(grey(16, 16, 120), b + "/sub/nested.jpg", "JPG");
        writeBytes(b + "/notes.txt", "not an image, and not named like one");
        ImageFolderOptions o = small();
        o.testSplit = 0.01;  // 3 files per class: one to test (at least one), two to train
        const ImageFolderData d = loadImageFolder(dir.path().toStdString(), o);
        QCOMPARE(d.data.classNames, (std::vector<std::string>{"bag", "Ärmel top"}));  // byte order
        QCOMPARE(d.data.channels, 3);
        QVERIFY(d.skipped.empty());  // notes.txt is not listed at all
        QCOMPARE(d.data.train.size() + d.data.test.size(), int64_t(6));
        QCOMPARE(d.data.test.size(), int64_t(2));
        // Find each image by its first pixel across both splits.
        std::vector<std::vector<int>> seen;
        for (const DatasetSplit* s : {&d.data.train, &d.data.test})
            for (int64_t i = 0; i < s->size(); ++i) {
                const uint8_t* img = s->images.data() + i * 3 * 64;
                seen.push_back({int(s->labels[size_t(i)]), img[0], img[64], img[128]});
            }
        auto has = [&](std::vector<int> v) { return std::find(seen.begin(), seen.end(), v) != seen.end(); };
        QVERIFY(has({1, 40, 40, 40}));       // grey replicated
        QVERIFY(has({1, 10, 20, 30}));       // RGBA without its alpha
        QVERIFY(has({1, 0xAB, 0xAB, 0xAB})); // 16-bit brought to 8 (the high byte)
        QVERIFY(has({0, 200, 100, 50}));     // BMP's BGR order undone
        QVERIFY(has({0, 0, 0, 255}));
        QCOMPARE(d.data.mean.size(), size_t(3));
    }

    // Unreadable files are skipped with their reason; --strict makes them errors.
    void hostileFilesAreSkippedAndListed() {
        QTemporaryDir dir;
        const QString c = dir.filePath("cats"), d = dir.filePath("dogs");
        for (int i = 0; i < 3; ++i) save(grey(4, 4, 10 * i), c + QString("/ok%1.png").arg(i));
        for (int i = 0; i < 3; ++i) save(grey(1, 1, 200), d + QString("/tiny%1.png").arg(i));  // 1×1 grows to 8×8
        save(rgb(64, 64, Qt::red), c + "/whole.jpg", "JPG");
        QFile whole(c + "/whole.jpg");
        QVERIFY(whole.open(QIODevice::ReadOnly));
        writeBytes(c + "/truncated.jpg", whole.readAll().left(300));
        writeBytes(c + "/empty.png", {});
        writeBytes(d + "/text.png", "hello, I am text");
        writeBytes(d + "/huge.png", pngHeaderOnly(20000, 20000));
        QVERIFY(QFile::link(c + "/loop-b.png", c + "/loop-a.png"));
        QVERIFY(QFile::link(c + "/loop-a.png", c + "/loop-b.png"));
        QVERIFY(QFile::link(c, c + "/cycle"));  // a folder link back to its parent

        ImageFolderData data = loadImageFolder(dir.path().toStdString(), small());
        QCOMPARE(data.data.channels, 3);  // whole.jpg is colour
        QCOMPARE(int(data.skipped.size()), 6);
        QVERIFY2(reasonFor(data, "truncated.jpg").startsWith("is not a readable JPEG"), qPrintable(reasonFor(data, "truncated.jpg")));
        QCOMPARE(reasonFor(data, "empty.png"), QString("is empty (0 bytes)"));
        QVERIFY(reasonFor(data, "text.png").startsWith("is not a PNG, JPEG or BMP image"));
        QVERIFY2(reasonFor(data, "huge.png").contains("20000×20000 pixels, over the limit"), qPrintable(reasonFor(data, "huge.png")));
        QVERIFY(reasonFor(data, "loop-a.png").contains("cannot be opened"));
        QCOMPARE(data.data.train.size() + data.data.test.size(), int64_t(7));
        // The 1×1 images came out 8×8 of their one value.
        bool found = false;
        for (int64_t i = 0; i < data.data.train.size(); ++i)
            if (data.data.train.labels[size_t(i)] == 1) found = found || data.data.train.images[size_t(i) * 192 + 63] == 200;
        QVERIFY(found);

        ImageFolderOptions strict = small();
        strict.strict = true;
        QVERIFY(errorOf([&] { loadImageFolder(dir.path().toStdString(), strict); }).contains("strict"));
    }

    void structuralProblemsAreErrors() {
        QTemporaryDir dir;
        const std::string root = dir.path().toStdString();
        QVERIFY(errorOf([&] { loadImageFolder(root + "/nope", small()); }).contains("no such folder"));
        QVERIFY(errorOf([&] { loadImageFolder(root, small()); }).contains("has no class folders"));
        save(grey(4, 4, 1), dir.filePath("only/a.png"));
        QVERIFY(errorOf([&] { loadImageFolder(root, small()); }).contains("only one class folder ('only')"));
        QDir().mkpath(dir.filePath("empty"));
        const QString empty = errorOf([&] { loadImageFolder(root, small()); });
        QVERIFY2(empty.contains("/empty: has no image files"), qPrintable(empty));
        writeBytes(dir.filePath("empty/broken.png"), "garbage");
        const QString unreadable = errorOf([&] { loadImageFolder(root, small()); });
        QVERIFY2(unreadable.contains("/empty: has no readable image (1 skipped)"), qPrintable(unreadable));
        ImageFolderOptions bad = small();
        bad.testSplit = 1.0;
        QVERIFY(errorOf([&] { loadImageFolder(root, bad); }).startsWith("dataset.test_split"));
    }

    // The hold-out: round(n·f), at least one when n ≥ 2, never the last; seeded.
    void stratifiedSeededSplit() {
        QTemporaryDir dir;
        for (int i = 0; i < 10; ++i) save(grey(2, 2, i), dir.filePath(QString("many/%1.png").arg(i)));
        save(grey(2, 2, 50), dir.filePath("one/0.png"));
        for (int i = 0; i < 2; ++i) save(grey(2, 2, 60 + i), dir.filePath(QString("two/%1.png").arg(i)));
        ImageFolderOptions o;
        o.testSplit = 0.2;
        const ImageFolderListing a = listImageFolder(dir.path().toStdString(), o);
        QCOMPARE(a.classNames, (std::vector<std::string>{"many", "one", "two"}));
        QCOMPARE(a.testFiles[0].size(), size_t(2));
        QCOMPARE(a.trainFiles[0].size(), size_t(8));
        QCOMPARE(a.testFiles[1].size(), size_t(0));  // one file: it trains
        QCOMPARE(a.testFiles[2].size(), size_t(1));
        QCOMPARE(listImageFolder(dir.path().toStdString(), o).testFiles, a.testFiles);  // same seed, same split
        bool differs = false;
        for (uint64_t seed = 1; seed < 6; ++seed) {
            o.seed = seed;
            differs = differs || listImageFolder(dir.path().toStdString(), o).testFiles[0] != a.testFiles[0];
        }
        QVERIFY(differs);
    }

    // DIR/train + DIR/test (or val) are the splits; the normalisation is the training split's.
    void ownSplitsAndTrainingStatistics() {
        QTemporaryDir dir;
        for (const char* c : {"a", "b"}) {
            for (int i = 0; i < 3; ++i) save(grey(4, 4, 51), dir.filePath(QString("train/%1/%2.png").arg(c).arg(i)));
            save(grey(4, 4, 255), dir.filePath(QString("val/%1/x.png").arg(c)));
        }
        const ImageFolderData d = loadImageFolder(dir.path().toStdString(), small(8));
        QVERIFY(d.ownSplits);
        QCOMPARE(d.data.train.size(), int64_t(6));
        QCOMPARE(d.data.test.size(), int64_t(2));
        QCOMPARE(d.data.channels, 1);
        QVERIFY(std::abs(d.data.mean[0] - 0.2) < 1e-12);  // 51/255
        QCOMPARE(d.data.std[0], 1e-3);                     // a constant image: the floor
        save(grey(4, 4, 1), dir.filePath("val/c/x.png"));
        QVERIFY(errorOf([&] { loadImageFolder(dir.path().toStdString(), small(8)); }).contains("is a class the training folder does not have"));
    }

    void progressAndCancel() {
        QTemporaryDir dir;
        for (const char* c : {"a", "b"})
            for (int i = 0; i < 20; ++i) save(grey(64, 64, i), dir.filePath(QString("%1/%2.png").arg(c).arg(i)));
        ImageFolderOptions o = small();
        int64_t lastDone = -1, total = 0;
        o.progress = [&](int64_t done, int64_t t) {
            lastDone = done, total = t;
            return true;
        };
        loadImageFolder(dir.path().toStdString(), o);
        QCOMPARE(total, int64_t(40));
        QCOMPARE(lastDone, int64_t(40));
        o.progress = [](int64_t, int64_t) { return false; };
        QVERIFY(errorOf([&] { loadImageFolder(dir.path().toStdString(), o); }).contains("cancelled"));
    }
};

QTEST_GUILESS_MAIN(TestImageFolder)
#include "tst_image_folder.moc"
