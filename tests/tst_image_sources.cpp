// The large benchmarks' own layouts, on small copies the test writes: iNaturalist's annotation
// JSON (categories in id order, named; the validation file as the test split; read as a stream)
// and Tiny ImageNet as it unpacks (train/<wnid>/images, val/val_annotations.txt, words.txt); every
// malformed file the issue names an error naming the file (and record or line), a missing image a
// listed skip.
#include "data/dataset_loader.h"
#include "data/decoded_cache.h"
#include "data/inat_json.h"
#include "data/tiny_imagenet.h"
#include "errors.h"
#include "test_errors.h"
#include "test_images.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace imblab;
using imblab::test::errorOf;
using imblab::test::writeGreyPng;

namespace {

void writeText(const QString& path, const QByteArray& text) {
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

// Categories 9 "Zea mays", 2 "Bufo bufo", 5 "Quercus robur" (not in id order in the file); three
// images of 2, two of 5, one of 9; the validation file one image of each.
QByteArray trainJson() {
    return R"({"info": {"year": 2018}, "images": [
        {"id": 1, "file_name": "train/2/a.png", "width": 8, "height": 8},
        {"id": 2, "file_name": "train/2/b.png", "width": 8, "height": 8},
        {"id": 3, "file_name": "train/2/c.png", "width": 8, "height": 8},
        {"id": 4, "file_name": "train/5/a.png", "width": 8, "height": 8},
        {"id": 5, "file_name": "train/5/b.png", "width": 8, "height": 8},
        {"id": 6, "file_name": "train/9/a.png", "width": 8, "height": 8}],
      "annotations": [
        {"id": 11, "image_id": 1, "category_id": 2, "bbox": [0, 0, 1, 1]},
        {"id": 12, "image_id": 2, "category_id": 2},
        {"id": 13, "image_id": 3, "category_id": 2},
        {"id": 14, "image_id": 4, "category_id": 5},
        {"id": 15, "image_id": 5, "category_id": 5},
        {"id": 16, "image_id": 6, "category_id": 9}],
      "categories": [{"id": 9, "name": "Zea mays", "supercategory": "Plantae"},
                     {"id": 2, "name": "Bufo bufo", "supercategory": "Amphibia"},
                     {"id": 5, "name": "Quercus robur", "supercategory": "Plantae"}]})";
}

QByteArray valJson() {
    return R"({"images": [{"id": 101, "file_name": "val/2.png"}, {"id": 102, "file_name": "val/5.png"},
                          {"id": 103, "file_name": "val/9.png"}],
               "annotations": [{"image_id": 101, "category_id": 2}, {"image_id": 102, "category_id": 5},
                               {"image_id": 103, "category_id": 9}],
               "categories": [{"id": 2, "name": "Bufo bufo"}, {"id": 5, "name": "Quercus robur"}, {"id": 9, "name": "Zea mays"}]})";
}

} // namespace

class TestImageSources : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { setDecodedCacheFolder(""); }

    void inaturalistJsonInIdOrder() {
        QTemporaryDir dir;
        writeText(dir.filePath("train2018.json"), trainJson());
        writeText(dir.filePath("val2018.json"), valJson());
        for (const char* f : {"train/2/a.png", "train/2/b.png", "train/2/c.png", "train/5/a.png", "train/5/b.png",
                              "train/9/a.png", "val/2.png", "val/5.png"})  // val/9.png is missing: a listed skip
            writeGreyPng(dir.filePath(f), 40);
        const InatSource src{dir.filePath("train2018.json").toStdString(), dir.filePath("val2018.json").toStdString(), ""};
        const ClassFolderListing l = listInatJson(src, 0.2, 0);
        QCOMPARE(l.classNames, (std::vector<std::string>{"Bufo bufo", "Quercus robur", "Zea mays"}));
        QCOMPARE(l.trainFiles[0].size(), size_t(3));
        QCOMPARE(l.trainFiles[2], (std::vector<std::string>{dir.filePath("train/9/a.png").toStdString()}));
        QVERIFY(l.ownSplits);
        QCOMPARE(l.testFiles[1], (std::vector<std::string>{dir.filePath("val/5.png").toStdString()}));
        DatasetConfig cfg;
        cfg.id = "inat";
        cfg.path = src.trainFile;
        cfg.testPath = src.testFile;
        cfg.profile = "none";
        cfg.imageSize = 8;
        const Dataset ds = loadDataset(cfg);
        QCOMPARE(ds.id, std::string("inat"));
        QCOMPARE(countPerClass(ds.train, 3), (std::vector<int64_t>{3, 2, 1}));
        QCOMPARE(countPerClass(ds.test, 3), (std::vector<int64_t>{1, 1, 0}));
        QCOMPARE(int(ds.skipped.size()), 1);
        QVERIFY(ds.skipped[0].path.find("val/9.png") != std::string::npos);
        QCOMPARE(previewCounts(cfg).classCounts, (std::vector<int64_t>{3, 2, 1}));
        // A root of their own for the file names.
        QTemporaryDir other;
        writeText(other.filePath("t.json"), trainJson());
        const InatSource rooted{other.filePath("t.json").toStdString(), "", dir.path().toStdString()};
        QCOMPARE(listInatJson(rooted, 0.2, 0).trainFiles[2][0], dir.filePath("train/9/a.png").toStdString());
    }

    void malformedAnnotationFilesAreNamed_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");  // after "<file>: "
        QByteArray text = trainJson();
        QTest::newRow("category id missing from categories")
            << QByteArray(text).replace("\"image_id\": 6, \"category_id\": 9", "\"image_id\": 6, \"category_id\": 7")
            << "annotation 6 names category id 7, which \"categories\" lacks";
        QTest::newRow("image id without a file")
            << QByteArray(text).replace("\"image_id\": 6,", "\"image_id\": 60,") << "annotation 6 names image id 60, which \"images\" lacks";
        QTest::newRow("a file listed twice") << QByteArray(text).replace("train/5/b.png", "train/5/a.png")
                                             << "lists the file train/5/a.png twice (images 4 and 5)";
        QTest::newRow("an image annotated twice")
            << QByteArray(text).replace("{\"id\": 16, \"image_id\": 6, \"category_id\": 9}", "{\"id\": 16, \"image_id\": 5, \"category_id\": 9}")
            << "annotates image id 5 twice";
        QTest::newRow("an image without an annotation")
            << QByteArray(text).replace(",\n        {\"id\": 16, \"image_id\": 6, \"category_id\": 9}", "")
            << "image id 6 (train/9/a.png) has no annotation";
        QTest::newRow("truncated") << text.left(300) << "is not valid JSON at byte ";
        QTest::newRow("a class without a training image")
            << QByteArray(text).replace("\"image_id\": 6, \"category_id\": 9", "\"image_id\": 6, \"category_id\": 5")
            << "(category 9, 'Zea mays'): has no training image: every class needs at least one";
        QTest::newRow("no categories") << QByteArray(R"({"images": [], "annotations": []})")
                                       << "has no \"images\" or no \"categories\" section";
    }
    void malformedAnnotationFilesAreNamed() {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        QTemporaryDir dir;
        writeText(dir.filePath("train.json"), json);
        const QString got = errorOf([&] { listInatJson({dir.filePath("train.json").toStdString(), "", ""}, 0.2, 0); });
        QVERIFY2(got.contains(error), qPrintable(got));
        QVERIFY2(got.startsWith(dir.filePath("train.json")), qPrintable(got));
    }

    void testFilesNeedLabelsAndKnownCategories() {
        QTemporaryDir dir;
        writeText(dir.filePath("train.json"), trainJson());
        writeText(dir.filePath("test.json"), R"({"images": [{"id": 1, "file_name": "x.png"}], "categories": []})");
        QCOMPARE(errorOf([&] { listInatJson({dir.filePath("train.json").toStdString(), dir.filePath("test.json").toStdString(), ""}, 0.2, 0); }),
                 dir.filePath("test.json") + ": has no annotations: its images have no classes (iNaturalist's test files are "
                                             "unlabelled; use the validation file as the test split)");
        writeText(dir.filePath("val.json"), QByteArray(valJson()).replace("\"category_id\": 9", "\"category_id\": 4"));
        QCOMPARE(errorOf([&] { listInatJson({dir.filePath("train.json").toStdString(), dir.filePath("val.json").toStdString(), ""}, 0.2, 0); }),
                 dir.filePath("val.json") + ": annotation 3 names category id 4, which the training file's categories lack");
    }

    // tiny-imagenet-200/: classes by sorted wnid, named from words.txt; val/ is the test split.
    void tinyImageNetAsItUnpacks() {
        QTemporaryDir dir;
        const QString root = dir.path();
        for (const char* wnid : {"n02", "n01"})
            for (int i = 0; i < 3; ++i) writeGreyPng(QStringLiteral("%1/train/%2/images/%2_%3.JPEG").arg(root, wnid).arg(i), 30);
        writeText(root + "/train/n01/n01_boxes.txt", "n01_0.JPEG\t0\t0\t8\t8\n");
        writeGreyPng(root + "/val/images/val_0.JPEG", 50);
        writeGreyPng(root + "/val/images/val_1.JPEG", 60);
        writeText(root + "/val/val_annotations.txt", "val_0.JPEG\tn02\t0\t0\t8\t8\nval_1.JPEG\tn01\t1\t1\t7\t7\n");
        writeText(root + "/words.txt", "n01\tgoldfish, Carassius auratus\nn02\tEuropean fire salamander, Salamandra salamandra\n");
        writeText(root + "/wnids.txt", "n01\nn02\n");
        const ClassFolderListing l = listTinyImageNet(root.toStdString());
        QCOMPARE(l.classNames, (std::vector<std::string>{"goldfish", "European fire salamander"}));
        QCOMPARE(l.trainFiles[0].size(), size_t(3));  // the boxes file is no image
        QCOMPARE(l.testFiles[0], (std::vector<std::string>{(root + "/val/images/val_1.JPEG").toStdString()}));
        DatasetConfig cfg;
        cfg.id = "tiny-imagenet";
        cfg.path = root.toStdString();
        cfg.profile = "none";
        cfg.imageSize = 8;
        const Dataset ds = loadDataset(cfg);
        QCOMPARE(countPerClass(ds.test, 2), (std::vector<int64_t>{1, 1}));
        writeText(root + "/val/val_annotations.txt", "val_0.JPEG\tn02\t0\t0\t8\t8\nval_1.JPEG\tn09\t1\t1\t7\t7\n");
        QCOMPARE(errorOf([&] { listTinyImageNet(root.toStdString()); }),
                 root + "/val/val_annotations.txt:2: names wnid 'n09', which train/ has no folder for");
        QFile::remove(root + "/val/val_annotations.txt");
        QVERIFY(errorOf([&] { listTinyImageNet(root.toStdString()); }).endsWith("val_annotations.txt: missing: Tiny ImageNet's labelled test split (val/images) is named there"));
        QVERIFY(errorOf([&] { listTinyImageNet((root + "/val").toStdString()); }).contains("has no train/ folder"));
    }
};

QTEST_GUILESS_MAIN(TestImageSources)
#include "tst_image_sources.moc"
