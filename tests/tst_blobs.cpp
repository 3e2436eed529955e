// The seeded Gaussian blobs.
#include "data/blobs.h"
#include "errors.h"

#include <QtTest>

using namespace imblab;

class TestBlobs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shapeAndDeterminism() {
        BlobsSpec s;
        s.numClasses = 3;
        s.perClass = 400;
        s.testPerClass = 50;
        s.separation = 5;
        s.spread = 0.5;
        s.seed = 11;
        const Dataset a = makeBlobs(s), b = makeBlobs(s);
        QCOMPARE(a.train.size(), int64_t(1200));
        QCOMPARE(a.test.size(), int64_t(150));
        QCOMPARE(a.featureDim, 2);
        QCOMPARE(a.train.features, b.train.features);
        // Class 1 is centred at 5·(cos 120°, sin 120°) = (−2.5, 4.33); the sample mean is near it.
        double mx = 0, my = 0;
        int n = 0;
        for (int64_t i = 0; i < a.train.size(); ++i)
            if (a.train.labels[size_t(i)] == 1) {
                mx += a.train.features[size_t(2 * i)];
                my += a.train.features[size_t(2 * i + 1)];
                ++n;
            }
        QVERIFY(std::abs(mx / n + 2.5) < 0.1);
        QVERIFY(std::abs(my / n - 4.330127) < 0.1);
        s.seed = 12;
        QVERIFY(makeBlobs(s).train.features != a.train.features);
    }
    void rejectsBadSpec() {
        BlobsSpec s;
        s.numClasses = 11;
        QVERIFY_THROWS_EXCEPTION(ConfigError, makeBlobs(s));
        s.numClasses = 2;
        s.spread = 0;
        QVERIFY_THROWS_EXCEPTION(ConfigError, makeBlobs(s));
    }
};

QTEST_APPLESS_MAIN(TestBlobs)
#include "tst_blobs.moc"
