// List-file datasets: "relative/path label" lines, a root folder, a test list or the hold-out,
// class names from a file or the label numbers; missing files skipped and listed; every
// malformed line an error naming file:line. The images are written by the test with Qt.
#include "data/image_list.h"
#include "errors.h"
#include "test_errors.h"
#include "test_images.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

using namespace imblab;
using imblab::test::writeGreyPng;
using imblab::test::errorOf;

namespace {


void writeText(const QString& path, const QByteArray& text) {
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

ImageFolderOptions small() {
    ImageFolderOptions o;
    o.imageSize = 8;
    o.threads = 2;
    return o;
}

} // namespace

class TestImageList : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Three classes named by a file, paths relative to --root (one with a space), a test list:
    // every image lands in its class with its pixel value, and the test split is the list's.
    void listWithRootNamesAndTestList() {
        QTemporaryDir dir;
        const QString root = dir.filePath("images");
        writeGreyPng(root + "/a/1.png", 10);
        writeGreyPng(root + "/a/2.png", 11);
        writeGreyPng(root + "/b/one image.png", 20);
        writeGreyPng(root + "/c/1.png", 30);
        writeGreyPng(root + "/t/a.png", 12);
        writeGreyPng(root + "/t/c.png", 31);
        writeText(dir.filePath("train.txt"), "# comment\na/1.png 0\r\na/2.png 0\n\nb/one image.png 1\nc/1.png\t2\n");
        writeText(dir.filePath("test.txt"), "t/c.png 2\nt/a.png 0\n");
        writeText(dir.filePath("names.txt"), "shirt\nbag\ncoat\n");
        ImageListSource src{dir.filePath("train.txt").toStdString(), root.toStdString(), dir.filePath("test.txt").toStdString(),
                            dir.filePath("names.txt").toStdString()};
        const ImageFolderData d = loadImageList(src, small());
        QCOMPARE(d.data.id, std::string("list"));
        QCOMPARE(d.data.classNames, (std::vector<std::string>{"shirt", "bag", "coat"}));
        QVERIFY(d.ownSplits);
        QCOMPARE(d.data.channels, 1);
        QCOMPARE(d.data.train.labels, (std::vector<int64_t>{0, 0, 1, 2}));
        QCOMPARE(d.data.test.labels, (std::vector<int64_t>{0, 2}));
        // Train images in class order, each 8×8 of its one value; test in class order too.
        QCOMPARE(int(d.data.train.images[0]), 10);
        QCOMPARE(int(d.data.train.images[64]), 11);
        QCOMPARE(int(d.data.train.images[128]), 20);
        QCOMPARE(int(d.data.train.images[192]), 30);
        QCOMPARE(int(d.data.test.images[0]), 12);
        QCOMPARE(int(d.data.test.images[64]), 31);
        QVERIFY(d.skipped.empty());
    }

    // No names file: the label numbers; no root: the list's own folder; no test list: the
    // stratified hold-out (one of a class's three files, none of a single-file class).
    void numbersAndHoldOut() {
        QTemporaryDir dir;
        QByteArray list;
        for (int i = 0; i < 3; ++i) {
            writeGreyPng(dir.filePath(QStringLiteral("x%1.png").arg(i)), 50 + i);
            list += QStringLiteral("x%1.png 1\n").arg(i).toUtf8();
        }
        writeGreyPng(dir.filePath("y.png"), 90);
        list += "y.png 0\n";
        writeText(dir.filePath("all.txt"), list);
        ImageFolderOptions o = small();
        o.testSplit = 0.2;
        const ImageFolderListing l = listImageList({dir.filePath("all.txt").toStdString(), "", "", ""}, o);
        QCOMPARE(l.classNames, (std::vector<std::string>{"0", "1"}));
        QVERIFY(!l.ownSplits);
        QCOMPARE(l.trainFiles[0].size(), size_t(1));
        QCOMPARE(l.testFiles[0].size(), size_t(0));
        QCOMPARE(l.trainFiles[1].size(), size_t(2));  // round(3·0.2) = 1, at least one
        QCOMPARE(l.testFiles[1].size(), size_t(1));
        QVERIFY(QFileInfo::exists(QString::fromStdString(l.trainFiles[0][0])));
    }

    // A listed file that does not exist is skipped with the reason, and --strict makes it an
    // error; the class keeps its other images.
    void missingFilesAreSkipped() {
        QTemporaryDir dir;
        writeGreyPng(dir.filePath("a.png"), 1);
        writeGreyPng(dir.filePath("b.png"), 2);
        writeGreyPng(dir.filePath("t.png"), 3);
        writeText(dir.filePath("l.txt"), "a.png 0\ngone.png 0\nb.png 1\n");
        writeText(dir.filePath("t.txt"), "t.png 0\nt.png 1\n");
        ImageListSource src{dir.filePath("l.txt").toStdString(), "", dir.filePath("t.txt").toStdString(), ""};
        const ImageFolderData d = loadImageList(src, small());
        QCOMPARE(d.skipped.size(), size_t(1));
        QVERIFY(QString::fromStdString(d.skipped[0].path).endsWith("gone.png"));
        QCOMPARE(QString::fromStdString(d.skipped[0].reason), QStringLiteral("does not exist"));
        QCOMPARE(d.data.train.size(), int64_t(2));
        ImageFolderOptions strict = small();
        strict.strict = true;
        QVERIFY(errorOf([&] { loadImageList(src, strict); }).contains("gone.png: does not exist"));
    }

    void malformedListsNameFileAndLine() {
        QTemporaryDir dir;
        writeGreyPng(dir.filePath("a.png"), 1);
        const std::string l = dir.filePath("l.txt").toStdString();
        auto load = [&](const QByteArray& text, const QByteArray& names = {}) {
            writeText(dir.filePath("l.txt"), text);
            std::string namesFile;
            if (!names.isNull()) {
                writeText(dir.filePath("n.txt"), names);
                namesFile = dir.filePath("n.txt").toStdString();
            }
            return errorOf([&] { listImageList({l, "", "", namesFile}, small()); });
        };
        const QString file = QString::fromStdString(l);
        QCOMPARE(load("a.png 0\nonlyapath\n"), file + ":2: expected 'relative/path label', found no label in 'onlyapath'");
        QCOMPARE(load("a.png 0\na.png cat\n"), file + ":2: label 'cat' is not a class number (0, 1, 2, ...)");
        QCOMPARE(load("a.png -1\n"), file + ":1: label '-1' is not a class number (0, 1, 2, ...)");
        QVERIFY(load("a.png 0\na.png 5\n", "x\ny\n").startsWith(file + ":2: label 5 is out of range 0..1"));
        QCOMPARE(load("a.png 0\na.png 0\n"), file + ": names only one class: a classifier needs two or more");
        QVERIFY(load("a.png 0\na.png 2\n").contains("has no line for class '1' (label 1)"));
        QVERIFY(load("a.png 0\na.png 1\n", "x\n\ny\n").contains("n.txt:2: is empty"));
        QVERIFY(load("a.png 0\na.png 1\n", "x\nx\n").contains("names class 'x' a second time"));
        QCOMPARE(load("# only a comment\n"), file + ": has no 'relative/path label' line");
        QVERIFY(errorOf([&] { listImageList({dir.filePath("none.txt").toStdString(), "", "", ""}, small()); })
                    .endsWith("none.txt: no such list file"));
        QVERIFY(errorOf([&] { listImageList({l, dir.filePath("nowhere").toStdString(), "", ""}, small()); })
                    .endsWith("nowhere: no such folder (the root of the listed paths)"));
    }

    // A test list whose label the training list lacks, and a class whose every file is
    // unreadable: errors naming the list.
    void testLabelsAndUnreadableClass() {
        QTemporaryDir dir;
        writeGreyPng(dir.filePath("a.png"), 1);
        writeText(dir.filePath("bad.png"), QByteArray());  // zero bytes
        writeText(dir.filePath("l.txt"), "a.png 0\nbad.png 1\n");
        writeText(dir.filePath("t.txt"), "a.png 0\na.png 3\n");
        const std::string l = dir.filePath("l.txt").toStdString();
        QCOMPARE(errorOf([&] { listImageList({l, "", dir.filePath("t.txt").toStdString(), ""}, small()); }),
                 dir.filePath("t.txt") + ":2: label 3 does not occur in the training list " + QString::fromStdString(l));
        QCOMPARE(errorOf([&] { loadImageList({l, "", "", ""}, small()); }),
                 QString::fromStdString(l) + " (class '1', label 1): has no readable image (1 skipped)");
    }
};

QTEST_GUILESS_MAIN(TestImageList)
#include "tst_image_list.moc"
