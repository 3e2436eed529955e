// The decoded-dataset cache: a second open reads the cache and gives the same bytes; a changed
// file, another image size or a damaged entry is a miss; an unwritable folder costs nothing but
// speed; the folder is trimmed. Folders written by the test with Qt's PNG writer.
#include "data/decoded_cache.h"
#include "data/image_list.h"
#include "test_images.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

using namespace imblab;
using imblab::test::writeGreyPng;

namespace {


// Two classes of three images and one unreadable file.
QString makeFolder(const QTemporaryDir& dir) {
    const QString root = dir.filePath("data");
    for (int i = 0; i < 3; ++i) {
        writeGreyPng(root + QString("/a/%1.png").arg(i), 10 + i, 10);
        writeGreyPng(root + QString("/b/%1.png").arg(i), 200 + i, 10);
    }
    QFile bad(root + "/b/bad.png");
    bad.open(QIODevice::WriteOnly);
    bad.write("no");
    return root;
}

ImageFolderOptions withCache(const QTemporaryDir& dir) {
    ImageFolderOptions o;
    o.imageSize = 8;
    o.threads = 2;
    o.cacheFolder = dir.filePath("cache").toStdString();
    return o;
}

int entries(const QTemporaryDir& dir) { return int(QDir(dir.filePath("cache")).entryList({"*.decoded"}, QDir::Files).size()); }

void sameData(const ImageFolderData& a, const ImageFolderData& b) {
    QCOMPARE(a.data.classNames, b.data.classNames);
    QCOMPARE(a.data.channels, b.data.channels);
    QCOMPARE(a.data.height, b.data.height);
    QCOMPARE(a.data.mean, b.data.mean);
    QCOMPARE(a.data.std, b.data.std);
    QCOMPARE(a.data.train.images, b.data.train.images);
    QCOMPARE(a.data.train.labels, b.data.train.labels);
    QCOMPARE(a.data.test.images, b.data.test.images);
    QCOMPARE(a.data.test.labels, b.data.test.labels);
    QCOMPARE(a.skipped.size(), b.skipped.size());
    QCOMPARE(a.skipped[0].path, b.skipped[0].path);
    QCOMPARE(a.skipped[0].reason, b.skipped[0].reason);
    QCOMPARE(a.data.skipped.size(), b.data.skipped.size());
    QCOMPARE(a.ownSplits, b.ownSplits);
}

} // namespace

class TestDecodedCache : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void secondOpenReadsTheCache() {
        QTemporaryDir dir;
        const QString root = makeFolder(dir);
        const ImageFolderOptions o = withCache(dir);
        const ImageFolderData first = loadImageFolder(root.toStdString(), o);
        QVERIFY(!first.data.fromDecodedCache);
        QCOMPARE(entries(dir), 1);
        const ImageFolderData second = loadImageFolder(root.toStdString(), o);
        QVERIFY(second.data.fromDecodedCache);
        sameData(first, second);
        QCOMPARE(second.data.id, std::string("folder"));
        // Nothing was written into the data folder.
        QCOMPARE(QDir(root).entryList(QDir::Files | QDir::NoDotAndDotDot).size(), 0);
        // A list file of the same images is another listing: its own entry, the id its own.
        QFile list(dir.filePath("l.txt"));
        QVERIFY(list.open(QIODevice::WriteOnly));
        list.write("data/a/0.png 0\ndata/b/0.png 1\n");
        list.close();
        const ImageListSource src{dir.filePath("l.txt").toStdString(), "", "", ""};
        QVERIFY(!loadImageList(src, o).data.fromDecodedCache);
        const ImageFolderData listed = loadImageList(src, o);
        QVERIFY(listed.data.fromDecodedCache);
        QCOMPARE(listed.data.id, std::string("list"));
        QCOMPARE(entries(dir), 2);
    }

    // A rewritten file (new modification time), a new file, another image size: all misses.
    void changesAreMisses() {
        QTemporaryDir dir;
        const QString root = makeFolder(dir);
        ImageFolderOptions o = withCache(dir);
        loadImageFolder(root.toStdString(), o);
        const auto path = (root + "/a/0.png").toStdString();
        std::filesystem::last_write_time(path, std::filesystem::last_write_time(path) + std::chrono::seconds(2));
        QVERIFY(!loadImageFolder(root.toStdString(), o).data.fromDecodedCache);
        QVERIFY(loadImageFolder(root.toStdString(), o).data.fromDecodedCache);
        writeGreyPng(root + "/a/3.png", 99, 10);
        const ImageFolderData added = loadImageFolder(root.toStdString(), o);
        QVERIFY(!added.data.fromDecodedCache);
        QCOMPARE(added.data.train.size() + added.data.test.size(), int64_t(7));
        o.imageSize = 9;
        QVERIFY(!loadImageFolder(root.toStdString(), o).data.fromDecodedCache);
    }

    // A damaged entry (cut short, or garbage of the right name) is a miss, and replaced.
    void damagedEntriesAreMisses() {
        QTemporaryDir dir;
        const QString root = makeFolder(dir);
        const ImageFolderOptions o = withCache(dir);
        const ImageFolderData first = loadImageFolder(root.toStdString(), o);
        const QString entry = QDir(dir.filePath("cache")).entryInfoList({"*.decoded"}).first().filePath();
        const qint64 size = QFileInfo(entry).size();
        QVERIFY(QFile::resize(entry, size / 2));
        const ImageFolderData again = loadImageFolder(root.toStdString(), o);
        QVERIFY(!again.data.fromDecodedCache);
        sameData(first, again);
        QCOMPARE(QFileInfo(entry).size(), size);  // rewritten whole
        QFile f(entry);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(int(size), '\xff'));
        f.close();
        QVERIFY(!loadImageFolder(root.toStdString(), o).data.fromDecodedCache);
        QVERIFY(loadImageFolder(root.toStdString(), o).data.fromDecodedCache);
    }

    // A cache folder that cannot be created (a file is in its way): the data still loads.
    void unwritableFolderOnlyCostsSpeed() {
        QTemporaryDir dir;
        const QString root = makeFolder(dir);
        QFile blocker(dir.filePath("cache"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const ImageFolderOptions o = withCache(dir);
        QVERIFY(!loadImageFolder(root.toStdString(), o).data.fromDecodedCache);
        const ImageFolderData second = loadImageFolder(root.toStdString(), o);
        QVERIFY(!second.data.fromDecodedCache);
        QCOMPARE(second.data.train.size() + second.data.test.size(), int64_t(6));
    }

    void folderFromTheEnvironment() {
        qputenv("IMBLAB_CACHE_DIR", "/some/where");
        QCOMPARE(decodedCacheFolder(), std::string("/some/where"));
        qputenv("IMBLAB_CACHE_DIR", "off");
        QCOMPARE(decodedCacheFolder(), std::string());
        qunsetenv("IMBLAB_CACHE_DIR");
        qputenv("XDG_CACHE_HOME", "/xdg");
        QCOMPARE(decodedCacheFolder(), std::string("/xdg/imblab/decoded"));
        setDecodedCacheFolder("");
        QCOMPARE(decodedCacheFolder(), std::string());
    }
};

QTEST_GUILESS_MAIN(TestDecodedCache)
#include "tst_decoded_cache.moc"
