// The real Fashion-MNIST from the Debian package dataset-fashion-mnist.
#include "data/dataset_loader.h"

#include <QtTest>

using namespace imblab;

class TestFashionMnist : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void realPackage() {
        DatasetConfig cfg;  // fashion-mnist from /usr/share/datasets/fashion-mnist
        const Dataset ds = loadDataset(cfg);
        QCOMPARE(ds.train.size(), int64_t(60000));
        QCOMPARE(ds.test.size(), int64_t(10000));
        QCOMPARE(countPerClass(ds.train, 10), std::vector<int64_t>(10, 6000));
        QCOMPARE(countPerClass(ds.test, 10), std::vector<int64_t>(10, 1000));
        QCOMPARE(ds.train.labels[0], int64_t(9));  // the first training image is an ankle boot
        QCOMPARE(ds.classNames[9], std::string("Ankle boot"));
        QCOMPARE(ds.test.labels[1], int64_t(2));
        int64_t sum = 0;
        for (int i = 0; i < 784; ++i) sum += ds.train.images[size_t(i)];
        QCOMPARE(sum, int64_t(76247));  // pixel sum of the first image (read with Python's gzip)
        QCOMPARE(ds.train.images.size(), size_t(60000 * 784));

        const auto imb = makeImbalanced(ds, cfg);
        QCOMPARE(imb.classCounts, (std::vector<int64_t>{6000, 3596, 2156, 1292, 774, 464, 278, 166, 100, 60}));
        QCOMPARE(countPerClass(imb.data.train, 10), imb.classCounts);
        QCOMPARE(countPerClass(imb.data.test, 10), std::vector<int64_t>(10, 1000));  // test untouched
    }
};

QTEST_APPLESS_MAIN(TestFashionMnist)
#include "tst_fashion_mnist.moc"
