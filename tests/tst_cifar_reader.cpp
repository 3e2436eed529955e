// CIFAR-10/100 binary reading on tiny files written here, and broken folders.
#include "data/cifar_reader.h"
#include "data/dataset_loader.h"
#include "errors.h"
#include "test_files.h"

#include <QtTest>

using namespace imblab;
using namespace imblab::test;

class TestCifarReader : public QObject {
    Q_OBJECT

    static void writeCifar10(const std::string& dir, bool meta) {
        for (int b = 1; b <= 5; ++b)
            writeRaw(dir + "/data_batch_" + std::to_string(b) + ".bin",
                     cifarRecords({{uint8_t(b - 1)}, {uint8_t(b + 4)}}));
        writeRaw(dir + "/test_batch.bin", cifarRecords({{0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}}));
        if (meta) {
            std::ofstream m(dir + "/batches.meta.txt");
            for (const char* n : {"plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"}) m << n << "\n";
            m << "\n";
        }
    }

private Q_SLOTS:
    void cifar10Folder() {
        QTemporaryDir d;
        writeCifar10(d.path().toStdString(), true);
        const auto ds = readCifar10(d.path().toStdString());
        QCOMPARE(ds.train.split.size(), int64_t(10));
        QCOMPARE(ds.train.split.labels, (std::vector<int64_t>{0, 5, 1, 6, 2, 7, 3, 8, 4, 9}));
        QCOMPARE(ds.test.split.size(), int64_t(10));
        QCOMPARE(ds.classNames.size(), size_t(10));
        QCOMPARE(ds.classNames[1], std::string("car"));
        // Pixels are kept channel-planar as stored: first byte of record i is i.
        QCOMPARE(int(ds.test.split.images[3 * 3072]), 3);
        QCOMPARE(int(ds.test.split.images[3 * 3072 + 5]), 5);
    }

    void cifar10WithoutMetaUsesManifestNames() {
        QTemporaryDir d;
        writeCifar10(d.path().toStdString(), false);
        DatasetConfig cfg;
        cfg.id = "cifar10";
        cfg.path = d.path().toStdString();
        const Dataset ds = loadDataset(cfg);
        QCOMPARE(ds.classNames[0], std::string("airplane"));
        QCOMPARE(ds.channels, 3);
        QCOMPARE(ds.height, 32);
    }

    void cifar100CoarseAndFine() {
        QTemporaryDir d;
        const std::string f = d.path().toStdString();
        writeRaw(f + "/train.bin", cifarRecords({{3, 42}, {19, 99}, {0, 0}}));
        writeRaw(f + "/test.bin", cifarRecords({{1, 7}}));
        const auto ds = readCifar100(f);
        QCOMPARE(ds.train.split.labels, (std::vector<int64_t>{42, 99, 0}));
        QCOMPARE(ds.train.coarseLabels, (std::vector<int64_t>{3, 19, 0}));
        QCOMPARE(ds.test.split.labels, (std::vector<int64_t>{7}));
        QVERIFY(ds.classNames.empty());
    }

    void sizeNotWholeRecords() {
        QTemporaryDir d;
        const std::string p = d.path().toStdString() + "/data_batch_1.bin";
        auto b = cifarRecords({{1}, {2}});
        b.pop_back();
        writeRaw(p, b);
        try {
            readCifarFile(p, 1, 10);
            QFAIL("expected DataError");
        } catch (const DataError& e) {
            QCOMPARE(e.file(), p);
            QVERIFY(QString(e.what()).contains("not a whole number of 3073-byte"));
        }
    }

    void labelOutOfRange() {
        QTemporaryDir d;
        const std::string p = d.path().toStdString() + "/x.bin";
        writeRaw(p, cifarRecords({{1}, {10}}));
        QVERIFY_THROWS_EXCEPTION(DataError, readCifarFile(p, 1, 10));
        try {
            readCifarFile(p, 1, 10);
        } catch (const DataError& e) {
            QVERIFY(QString(e.what()).contains("record 1 has label 10"));
        }
    }

    void emptyFile() {
        QTemporaryDir d;
        const std::string p = d.path().toStdString() + "/e.bin";
        writeRaw(p, {});
        try {
            readCifarFile(p, 2, 100);
            QFAIL("expected DataError");
        } catch (const DataError& e) {
            QVERIFY(QString(e.what()).contains("is empty"));
        }
    }

    void missingBatchNamesTheFile() {
        QTemporaryDir d;
        const std::string f = d.path().toStdString();
        writeCifar10(f, false);
        QFile::remove(QString::fromStdString(f + "/data_batch_3.bin"));
        try {
            readCifar10(f);
            QFAIL("expected DataError");
        } catch (const DataError& e) {
            QCOMPARE(e.file(), f + "/data_batch_3.bin");
        }
    }

    void wrongNumberOfNames() {
        QTemporaryDir d;
        const std::string f = d.path().toStdString();
        writeCifar10(f, false);
        std::ofstream(f + "/batches.meta.txt") << "a\nb\n";
        QVERIFY_THROWS_EXCEPTION(DataError, readCifar10(f));
    }
};

QTEST_APPLESS_MAIN(TestCifarReader)
#include "tst_cifar_reader.moc"
