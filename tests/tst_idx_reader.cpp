// IDX reading: gzip and raw round trips, and every kind of broken file.
#include "data/dataset_loader.h"
#include "data/idx_reader.h"
#include "errors.h"
#include "test_files.h"

#include <QtTest>

using namespace imblab;
using namespace imblab::test;

class TestIdxReader : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    std::string path(const char* name) { return (dir.path() + "/" + name).toStdString(); }

    // Expects a DataError naming `file` whose message contains `fragment`.
    template <typename F>
    void expectDataError(F&& f, const std::string& file, const QString& fragment) {
        try {
            f();
            QFAIL("expected a DataError");
        } catch (const DataError& e) {
            QCOMPARE(QString::fromStdString(e.file()), QString::fromStdString(file));
            QVERIFY2(QString::fromStdString(e.what()).contains(fragment), e.what());
        }
    }

private Q_SLOTS:
    void readsGzipAndRaw() {
        const auto bytes = idxImages(3, 2, 4);
        writeGz(path("a.gz"), bytes);
        writeRaw(path("a.raw"), bytes);
        for (const char* name : {"a.gz", "a.raw"}) {
            const auto img = readIdxImages(path(name));
            QCOMPARE(img.count, int64_t(3));
            QCOMPARE(img.rows, 2);
            QCOMPARE(img.cols, 4);
            QCOMPARE(img.pixels.size(), size_t(24));
            QCOMPARE(int(img.pixels[0]), 7);
            QCOMPARE(int(img.pixels[6]), 7 + 6 % 5);
        }
        writeGz(path("l.gz"), idxLabels({3, 1, 4}));
        QCOMPARE(readIdxLabels(path("l.gz")), (std::vector<int64_t>{3, 1, 4}));
    }

    void missingFile() { expectDataError([&] { readIdxImages(path("nope")); }, path("nope"), "not found"); }

    void wrongMagic() {
        auto b = idxImages(1, 2, 2);
        b[3] = 0x01;
        writeRaw(path("magic"), b);
        expectDataError([&] { readIdxImages(path("magic")); }, path("magic"), "wrong magic number 0x00000801");
        writeRaw(path("lmagic"), idxImages(1, 2, 2));
        expectDataError([&] { readIdxLabels(path("lmagic")); }, path("lmagic"), "expected 0x00000801");
    }

    void truncatedData() {
        auto b = idxImages(4, 3, 3);
        b.resize(b.size() - 5);
        writeGz(path("trunc.gz"), b);
        expectDataError([&] { readIdxImages(path("trunc.gz")); }, path("trunc.gz"), "truncated");
    }

    void truncatedHeader() {
        writeRaw(path("hdr"), {0, 0, 8, 3, 0, 0});
        expectDataError([&] { readIdxImages(path("hdr")); }, path("hdr"), "truncated header");
    }

    void truncatedGzipStream() {
        writeGz(path("z.gz"), idxImages(50, 28, 28));
        std::ifstream in(path("z.gz"), std::ios::binary);
        std::vector<char> all((std::istreambuf_iterator<char>(in)), {});
        all.resize(all.size() / 2);
        writeRaw(path("zcut.gz"), std::vector<uint8_t>(all.begin(), all.end()));
        expectDataError([&] { readIdxImages(path("zcut.gz")); }, path("zcut.gz"), "");
    }

    void longerThanHeader() {
        auto b = idxImages(2, 2, 2);
        b.push_back(1);
        writeRaw(path("long"), b);
        expectDataError([&] { readIdxImages(path("long")); }, path("long"), "longer than its header");
    }

    void absurdCountDoesNotAllocate() {
        std::vector<uint8_t> b;
        putBigEndian(b, 0x803);
        putBigEndian(b, 0x80000000u);  // 2^31 images
        putBigEndian(b, 28);
        putBigEndian(b, 28);
        writeRaw(path("huge"), b);
        expectDataError([&] { readIdxImages(path("huge")); }, path("huge"), "too large");
        std::vector<uint8_t> l;
        putBigEndian(l, 0x801);
        putBigEndian(l, 1000000);  // a million labels claimed, none present
        writeRaw(path("hugel"), l);
        expectDataError([&] { readIdxLabels(path("hugel")); }, path("hugel"), "truncated");
    }

    void emptyDataset() {
        writeRaw(path("empty"), idxImages(0, 28, 28));
        expectDataError([&] { readIdxImages(path("empty")); }, path("empty"), "no images");
        writeRaw(path("zero"), {});
        expectDataError([&] { readIdxImages(path("zero")); }, path("zero"), "truncated header");
    }

    void folderAsFile() { expectDataError([&] { readIdxImages(dir.path().toStdString()); }, dir.path().toStdString(), "folder"); }

    void loadsFolderAndFindsSpellings() {
        QTemporaryDir d;
        writeMnistFolder(d.path().toStdString(), 3, /*gz=*/false);
        DatasetConfig cfg;
        cfg.id = "mnist";
        cfg.path = d.path().toStdString();
        const Dataset ds = loadDataset(cfg);
        QCOMPARE(ds.train.size(), int64_t(30));
        QCOMPARE(ds.test.size(), int64_t(30));
        QCOMPARE(ds.channels, 1);
        QCOMPARE(ds.train.images.size(), size_t(30 * 784));
        QCOMPARE(ds.train.labels[13], int64_t(3));
    }

    void countMismatchBetweenFiles() {
        QTemporaryDir d;
        const std::string f = d.path().toStdString();
        writeMnistFolder(f, 2);
        writeGz(f + "/train-labels-idx1-ubyte.gz", idxLabels({0, 1, 2}));
        DatasetConfig cfg;
        cfg.id = "mnist";
        cfg.path = f;
        expectDataError([&] { loadDataset(cfg); }, f + "/train-labels-idx1-ubyte.gz", "holds 3 labels but");
    }

    void labelOutOfRange() {
        QTemporaryDir d;
        const std::string f = d.path().toStdString();
        writeMnistFolder(f, 2);
        std::vector<uint8_t> labels(20, 1);
        labels[5] = 12;
        writeGz(f + "/t10k-labels-idx1-ubyte.gz", idxLabels(labels));
        DatasetConfig cfg;
        cfg.id = "mnist";
        cfg.path = f;
        expectDataError([&] { loadDataset(cfg); }, f + "/t10k-labels-idx1-ubyte.gz", "label 12 at index 5");
    }

    void wrongImageSize() {
        QTemporaryDir d;
        const std::string f = d.path().toStdString();
        writeMnistFolder(f, 2);
        writeGz(f + "/train-images-idx3-ubyte.gz", idxImages(20, 32, 32));
        DatasetConfig cfg;
        cfg.id = "fashion-mnist";
        cfg.path = f;
        expectDataError([&] { loadDataset(cfg); }, f + "/train-images-idx3-ubyte.gz", "expected 28x28");
    }

    void missingFileInFolder() {
        QTemporaryDir d;
        DatasetConfig cfg;
        cfg.id = "mnist";
        cfg.path = d.path().toStdString();
        expectDataError([&] { loadDataset(cfg); }, cfg.path + "/train-images-idx3-ubyte", "missing");
    }

    void missingFolderSaysHowToGetIt() {
        DatasetConfig cfg;
        cfg.id = "fashion-mnist";
        cfg.path = "/nonexistent/fmnist";
        expectDataError([&] { loadDataset(cfg); }, "/nonexistent/fmnist", "dataset-fashion-mnist");
    }
};

QTEST_APPLESS_MAIN(TestIdxReader)
#include "tst_idx_reader.moc"
