// Texts as data: decoding (BOMs, UTF-16, CRLF, bad bytes), ICU's words, folders in aclImdb's
// layout with its extras, tables (CSV with quoted commas and line breaks, TSV, JSON Lines), the
// SpamAssassin package's mails, apt's package lists, the vocabulary of the training split, the
// class order, the cache, and every hostile input the issue names: each a listed skip or an
// error naming the file (and line).
#include "data/dataset_loader.h"
#include "data/debian_packages.h"
#include "data/decoded_cache.h"
#include "data/mail_body.h"
#include "data/spam_assassin.h"
#include "data/text_corpus.h"
#include "data/text_dataset.h"
#include "data/text_decode.h"
#include "data/text_folder.h"
#include "data/text_table.h"
#include "data/vocabulary.h"
#include "data/word_tokenizer.h"
#include "errors.h"
#include "test_errors.h"
#include "test_texts.h"

#include <lz4frame.h>
#include <zlib.h>

#include <QTemporaryDir>
#include <QFileInfo>
#include <QtTest>

#include <set>

using namespace imblab;
using imblab::test::errorOf;
using imblab::test::writeFile;

namespace {

std::vector<std::string> words(const std::string& text, size_t max = 0, bool* truncated = nullptr) {
    WordTokenizer t;
    std::vector<std::string> out;
    const bool cut = t.forEachWord(text, max, [&](std::string_view w) { out.emplace_back(w); });
    if (truncated) *truncated = cut;
    return out;
}

std::vector<std::string> wordsOf(const Dataset& ds, const DatasetSplit& split, int64_t i) { return exampleWords(ds, split, i); }

DatasetConfig textConfig(const std::string& path) {
    DatasetConfig c;
    c.id = "text";
    c.path = path;
    c.profile = "none";
    return c;
}

QByteArray utf16le(const QString& s, bool bom = true) {
    QByteArray out = bom ? QByteArray("\xFF\xFE", 2) : QByteArray();
    for (QChar c : s) {
        out.append(char(c.unicode() & 0xFF));
        out.append(char(c.unicode() >> 8));
    }
    return out;
}

std::string sourceOfSkip(const Dataset& ds, size_t i) { return QFileInfo(QString::fromStdString(ds.skipped[i].path)).fileName().toStdString(); }

} // namespace

class TestTextData : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { setDecodedCacheFolder(""); }  // each test reads its files; the cache has its own test

    void tokenizerKeepsWordsAndNumbers_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("punctuation, apostrophe, decimals, hyphen, case")
            << QStringLiteral("Hello, World! It's 3.5 km — a well-known naïve CAFÉ") << QStringList{"hello", "world", "it's", "3.5", "km", "a", "well", "known", "naïve", "café"};
        QTest::newRow("full case mapping keeps ß") << QStringLiteral("Straße ÉCOLE") << QStringList{"straße", "école"};
        QTest::newRow("only symbols") << QStringLiteral("!!! ... ???") << QStringList{};
    }
    void tokenizerKeepsWordsAndNumbers() {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        std::vector<std::string> want;
        for (const auto& w : expected) want.push_back(w.toStdString());
        QCOMPARE(words(text.toStdString()), want);
    }

    void tokenizerStopsAtMaxWords() {
        bool cut = false;
        QCOMPARE(words("one two, three four", 3, &cut), (std::vector<std::string>{"one", "two", "three"}));
        QVERIFY(cut);
        QCOMPARE(words("one two three", 3, &cut).size(), size_t(3));
        QVERIFY(!cut);
    }

    void decodesAndRefuses_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("problem");
        QTest::newRow("UTF-8 mark dropped") << QByteArray("\xEF\xBB\xBFhello") << "hello" << "";
        QTest::newRow("UTF-16 LE with mark") << utf16le("hé there") << "hé there" << "";
        QTest::newRow("UTF-16 BE with mark") << QByteArray("\xFE\xFF\x00h\x00i", 6) << "hi" << "";
        QTest::newRow("CRLF and CR") << QByteArray("a\r\nb\rc") << "a\nb\nc" << "";
        QTest::newRow("IMDB's <br /> tags") << QByteArray("x<br /><br />y<BR>z<br/>") << "x  y z " << "";
        QTest::newRow("Latin-1 bytes") << QByteArray("caf\xE9!") << ""
                                       << "is not valid UTF-8 (byte 0xE9 at offset 3); convert it, e.g. iconv -f latin1 -t utf-8";
        QTest::newRow("overlong slash") << QByteArray("\xC0\xAF") << ""
                                        << "is not valid UTF-8 (byte 0xC0 at offset 0); convert it, e.g. iconv -f latin1 -t utf-8";
        QTest::newRow("surrogate") << QByteArray("ok \xED\xA0\x80") << ""
                                   << "is not valid UTF-8 (byte 0xED at offset 3); convert it, e.g. iconv -f latin1 -t utf-8";
        QTest::newRow("binary") << QByteArray("\x89PNG\r\n\x1a\n\x00\x00", 10) << ""
                                << "holds binary data (a NUL byte at offset 8); text files must be UTF-8, or UTF-16 with a byte-order mark";
        QTest::newRow("UTF-16 without a mark") << utf16le("hi", false) << ""
                                               << "holds binary data (a NUL byte at offset 1); text files must be UTF-8, or UTF-16 with a byte-order mark";
        QTest::newRow("broken UTF-16") << QByteArray("\xFF\xFE\x00\xD8", 4) << ""
                                       << "is not valid UTF-16 (little-endian, broken at byte 2)";
        QTest::newRow("empty") << QByteArray() << "" << "is empty (0 bytes)";
        QTest::newRow("white space") << QByteArray(" \n\t") << "" << "holds no text (only white space)";
    }
    void decodesAndRefuses() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, text);
        QFETCH(QString, problem);
        const DecodedText d = decodeTextBytes(std::string_view(bytes.constData(), size_t(bytes.size())));
        QCOMPARE(QString::fromStdString(d.text), text);
        QCOMPARE(QString::fromStdString(d.problem), problem);
    }

    // train/{neg,pos} and test/{neg,pos}; unsup/, *.feat, urls_*.txt, imdb.vocab, README ignored.
    void readsAclImdbAsItIs() {
        QTemporaryDir dir;
        test::writeImdbLike(dir.path(), 4, 2);
        const TextSource listing = listTextFolder(dir.path().toStdString(), 0.2, 0);
        QCOMPARE(listing.classNames, (std::vector<std::string>{"neg", "pos"}));
        QCOMPARE(documentCounts(listing, false), (std::vector<int64_t>{4, 4}));
        QCOMPARE(documentCounts(listing, true), (std::vector<int64_t>{2, 2}));
        const Dataset ds = loadDataset(textConfig(dir.path().toStdString()));
        QVERIFY(ds.isText() && !ds.isImage());
        QCOMPARE(ds.maxTokens, 256);
        QCOMPARE(countPerClass(ds.train, 2), (std::vector<int64_t>{4, 4}));
        QCOMPARE(countPerClass(ds.test, 2), (std::vector<int64_t>{2, 2}));
        QVERIFY(ds.skipped.empty());
        // The first pos review (0_1.txt): its <br /> tags are gone from the text and the words.
        const int64_t pos0 = 4;
        QCOMPARE(ds.train.labels[size_t(pos0)], int64_t(1));
        QCOMPARE(wordsOf(ds, ds.train, pos0), (std::vector<std::string>{"a", "great", "film", "truly", "great", "review", "0"}));
        QCOMPARE(ds.train.texts[size_t(pos0)], std::string("A great film,  truly great. Review 0."));
        QVERIFY(ds.train.textSources[size_t(pos0)].find("train/pos/0_1.txt") != std::string::npos);
    }

    // One class folder holding every hostile file the issue names; the readable ones are kept,
    // the others listed with the reason, in path order; --strict refuses the first.
    void hostileFilesAreSkippedAndListed() {
        QTemporaryDir dir;
        const QString a = dir.path() + "/train/a/";
        writeFile(a + "binary.txt", QByteArray("\x89PNG\r\n\x1a\n\x00\x00", 10));
        writeFile(a + "bom.txt", "\xEF\xBB\xBFmarked text");
        writeFile(a + "crlf.txt", "line one\r\nline two\r\n");
        writeFile(a + "empty.txt", "");
        writeFile(a + "latin1.txt", "caf\xE9 au lait");
        writeFile(a + "punct.txt", "!!! ... ???");
        writeFile(a + "utf16.txt", utf16le("wide words"));
        {
            // One 50 MB line: read whole, only its first max_tokens words kept.
            QFile f(a + "long.txt");
            QVERIFY(f.open(QIODevice::WriteOnly));
            const QByteArray chunk = QByteArray("word ").repeated(100000);
            for (int i = 0; i < 100; ++i) f.write(chunk);
        }
        for (int i = 0; i < 3; ++i) writeFile(dir.path() + "/train/b/" + QString::number(i) + ".txt", "plain b words");
        writeFile(dir.path() + "/test/a/t.txt", "test a");
        writeFile(dir.path() + "/test/b/t.txt", "test b");
        DatasetConfig cfg = textConfig(dir.path().toStdString());
        cfg.maxTokens = 16;
        const Dataset ds = loadDataset(cfg);
        QCOMPARE(countPerClass(ds.train, 2), (std::vector<int64_t>{4, 3}));
        QCOMPARE(int(ds.skipped.size()), 4);
        QCOMPARE(sourceOfSkip(ds, 0), std::string("binary.txt"));
        QCOMPARE(ds.skipped[0].reason, std::string("holds binary data (a NUL byte at offset 8); text files must be UTF-8, or UTF-16 with a byte-order mark"));
        QCOMPARE(sourceOfSkip(ds, 1), std::string("empty.txt"));
        QCOMPARE(ds.skipped[1].reason, std::string("is empty (0 bytes)"));
        QCOMPARE(sourceOfSkip(ds, 2), std::string("latin1.txt"));
        QCOMPARE(ds.skipped[2].reason, std::string("is not valid UTF-8 (byte 0xE9 at offset 3); convert it, e.g. iconv -f latin1 -t utf-8"));
        QCOMPARE(sourceOfSkip(ds, 3), std::string("punct.txt"));
        QCOMPARE(ds.skipped[3].reason, std::string("holds no words (only punctuation or symbols)"));
        // Kept, in path order: bom, crlf, long, utf16 (class b after them).
        QCOMPARE(wordsOf(ds, ds.train, 0), (std::vector<std::string>{"marked", "text"}));
        QCOMPARE(ds.train.texts[1], std::string("line one\nline two\n"));
        QCOMPARE(wordsOf(ds, ds.train, 2).size(), size_t(16));
        QCOMPARE(int(ds.train.textTruncated[2]), 1);
        QCOMPARE(int(ds.train.textTruncated[1]), 0);
        QVERIFY(ds.train.texts[2].size() <= kTextPreviewBytes + 3);  // the preview, not 50 MB
        QCOMPARE(wordsOf(ds, ds.train, 3), (std::vector<std::string>{"wide", "words"}));
        // --strict: the first unreadable file is the error.
        cfg.strict = true;
        QCOMPARE(errorOf([&] { loadDataset(cfg); }),
                 a + "binary.txt: holds binary data (a NUL byte at offset 8); text files must be UTF-8, or UTF-16 with a "
                     "byte-order mark (strict: no text may be skipped)");
    }

    void structuralFolderProblemsAreErrors() {
        QTemporaryDir dir;
        const QString root = dir.path();
        writeFile(root + "/train/a/x.txt", "fine");
        writeFile(root + "/train/c/empty.txt", "");
        writeFile(root + "/test/a/y.txt", "fine");
        QCOMPARE(errorOf([&] { loadDataset(textConfig(root.toStdString())); }),
                 root + "/train/c: has no readable text (class 'c')");
        writeFile(root + "/test/d/z.txt", "unknown");
        QCOMPARE(errorOf([&] { loadDataset(textConfig(root.toStdString())); }), root + "/test/d: is a class the training folder does not have");
        QTemporaryDir other;
        writeFile(other.path() + "/a/x.txt", "fine");
        writeFile(other.path() + "/b/notes.md", "no .txt here");
        QCOMPARE(errorOf([&] { loadDataset(textConfig(other.path().toStdString())); }), other.path() + "/b: has no text files (.txt)");
        QCOMPARE(errorOf([&] { loadDataset(textConfig((root + "/none").toStdString())); }), root + "/none: no such folder or table");
    }

    void readsCsvTsvAndJsonLines() {
        QTemporaryDir dir;
        // Quoted commas and a quoted line break; an empty text cell is a listed skip.
        const auto train = writeFile(dir.filePath("train.csv"),
                                     "label,text\npos,\"Great, really great\"\nneg,\"Bad\nvery bad\"\npos,\"\"\nneg,plain words\n");
        const auto testTable = writeFile(dir.filePath("test.csv"), "text,label\nfine film,pos\nworse,neg\n");
        DatasetConfig cfg = textConfig(train);
        cfg.testPath = testTable;
        const Dataset ds = loadDataset(cfg);
        QCOMPARE(ds.classNames, (std::vector<std::string>{"neg", "pos"}));
        QCOMPARE(ds.train.labels, (std::vector<int64_t>{1, 0, 0}));
        QCOMPARE(wordsOf(ds, ds.train, 0), (std::vector<std::string>{"great", "really", "great"}));
        QCOMPARE(wordsOf(ds, ds.train, 1), (std::vector<std::string>{"bad", "very", "bad"}));
        QCOMPARE(ds.train.textSources[1], train + ":3");
        QCOMPARE(ds.test.labels, (std::vector<int64_t>{1, 0}));
        QCOMPARE(int(ds.skipped.size()), 1);
        QCOMPARE(ds.skipped[0].path, train + ":5");
        QCOMPARE(ds.skipped[0].reason, std::string("has an empty text cell (column 'text')"));

        const auto tsv = writeFile(dir.filePath("t.tsv"), "sentence\tcategory\nhello, there\tx\nbye now\ty\nhi\tx\nyo\ty\n");
        const Dataset t = loadDataset(textConfig(tsv));
        QCOMPARE(t.classNames, (std::vector<std::string>{"x", "y"}));
        QCOMPARE(countPerClass(t.train, 2) , (std::vector<int64_t>{1, 1}));  // one of two per class held out

        const auto jsonl = writeFile(dir.filePath("t.jsonl"),
                                     "{\"text\": \"good one\", \"label\": 10}\n\n{\"text\": \"bad one\", \"label\": 2}\n"
                                     "{\"text\": \"good two\", \"label\": 10}\n{\"text\": \"bad two\", \"label\": 2}\n");
        const Dataset j = loadDataset(textConfig(jsonl));
        QCOMPARE(j.classNames, (std::vector<std::string>{"2", "10"}));  // integer labels in numeric order
        QCOMPARE(j.train.size() + j.test.size(), int64_t(4));
    }

    void malformedTablesNameFileAndLine_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("error");  // after "<file>"
        QTest::newRow("quote never closes") << "q.csv" << QByteArray("label,text\npos,ok\nneg,\"never closes\nmore\n")
                                            << ":3: has a quote that never closes (the quoted cell opened here runs to the end of the file)";
        QTest::newRow("label cell missing") << "m.csv" << QByteArray("label,text\npos\n") << ":2: has 1 cells, the header has 2 columns";
        QTest::newRow("empty label") << "e.csv" << QByteArray("label,text\n,hello\n") << ":2: has an empty label (column 'label')";
        QTest::newRow("no known text column") << "c.csv" << QByteArray("a,label\nx,y\n")
                                              << ": has no text column by a known name (columns: a, label): name it with --text-column";
        QTest::newRow("JSON Lines row not JSON") << "j.jsonl" << QByteArray("{\"text\": \"a\", \"label\": \"x\"}\nnot json\n")
                                                 << ":2: is not JSON (";
        QTest::newRow("JSON Lines row not an object") << "a.jsonl" << QByteArray("[1, 2]\n")
                                                      << ":1: is not a JSON object (JSON Lines: one {\"text\": …, \"label\": …} per line)";
        QTest::newRow("JSON Lines label missing") << "l.jsonl" << QByteArray("{\"text\": \"a\", \"label\": \"x\"}\n{\"text\": \"b\"}\n")
                                                  << ":2: has no 'label' field (its label)";
        QTest::newRow("UTF-16 table") << "u.csv" << utf16le("label,text\nx,y\n")
                                      << ": is UTF-16 text: save the table as UTF-8 (e.g. iconv -f utf-16 -t utf-8)";
        QTest::newRow("one class") << "o.csv" << QByteArray("label,text\nx,a\nx,b\n")
                                   << ": has only one class in column 'label' ('x'): a classifier needs two or more";
    }
    void malformedTablesNameFileAndLine() {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, error);
        QTemporaryDir dir;
        const auto file = writeFile(dir.filePath(name), bytes);
        const QString got = errorOf([&] { loadDataset(textConfig(file)); });
        QVERIFY2(got.startsWith(QString::fromStdString(file) + error), qPrintable(got));
    }

    void testTableLabelUnknownToTraining() {
        QTemporaryDir dir;
        const auto train = writeFile(dir.filePath("train.csv"), "label,text\na,x\nb,y\n");
        DatasetConfig cfg = textConfig(train);
        cfg.testPath = writeFile(dir.filePath("test.csv"), "label,text\na,x\nzzz,y\n");
        QCOMPARE(errorOf([&] { loadDataset(cfg); }),
                 dir.filePath("test.csv") + ":3: label 'zzz' is not a class of the training table " + QString::fromStdString(train));
    }

    // Training texts "b a a", "c b a", "d"; test "a e": counts a 3, b 2, c 1, d 1. Ties by word.
    void vocabularyFromTheTrainingSplitOnly() {
        std::vector<TextDocument> docs;
        for (const char* t : {"b a a", "c b a", "d"}) docs.push_back({"", t, "", 0, false});
        docs[2].label = 1;
        docs.push_back({"", "a e", "", 0, true});
        docs.push_back({"", "d", "", 1, true});
        const Dataset ds = tokenizeDocuments("text", {"x", "y"}, {"x", "y"}, docs, {});
        const Vocabulary all = buildVocabulary(ds, {100, 1});
        QCOMPARE(all.words, (std::vector<std::string>{"<pad>", "<unk>", "a", "b", "c", "d"}));
        QCOMPARE(all.counts, (std::vector<int64_t>{0, 0, 3, 2, 1, 1}));
        QCOMPARE(vocabularyIds(all, ds.test, 0), (std::vector<int64_t>{2, kUnknownToken}));  // "e" is test-only
        QCOMPARE(buildVocabulary(ds, {100, 2}).words, (std::vector<std::string>{"<pad>", "<unk>", "a", "b"}));
        QCOMPARE(buildVocabulary(ds, {3, 1}).words, (std::vector<std::string>{"<pad>", "<unk>", "a"}));
        QCOMPARE(vocabularyIds(buildVocabulary(ds, {3, 1}), ds.train, 1), (std::vector<int64_t>{1, 1, 2}));
        const TextStatistics s = textStatistics(ds, all);
        QCOMPARE(s.testUnknownRate, 1.0 / 3.0);  // of a, e, d only e
        QCOMPARE(s.maxTokens, int64_t(3));
        QCOMPARE(s.meanTokens, 10.0 / 5.0);
        QCOMPARE(errorOf([&] { buildVocabulary(ds, {2, 1}); }),
                 QStringLiteral("dataset.vocab_size: must lie in 3..10000000 (two entries are <pad> and <unk>)"));
    }

    // Corpus ids by first appearance, whatever the number of threads.
    void corpusIdsDoNotDependOnThreads() {
        std::vector<TextDocument> docs;
        for (int i = 0; i < 700; ++i) docs.push_back({"", "w" + std::to_string(i % 97) + " common w" + std::to_string(i), "", i % 2, i % 5 == 0});
        TextCorpusOptions one, two;
        one.threads = 1;
        two.threads = 2;
        const Dataset a = tokenizeDocuments("text", {"x", "y"}, {"x", "y"}, docs, one);
        const Dataset b = tokenizeDocuments("text", {"x", "y"}, {"x", "y"}, docs, two);
        QCOMPARE(a.corpusTokens, b.corpusTokens);
        QCOMPARE(a.train.tokens, b.train.tokens);
        QCOMPARE(a.test.tokens, b.test.tokens);
        QCOMPARE(a.corpusTokens[0], std::string("w0"));
        QCOMPARE(a.corpusTokens[1], std::string("common"));
    }

    void classOrderPutsTheMinorityLast() {
        QTemporaryDir dir;
        test::writeImdbLike(dir.path(), 10, 2);
        DatasetConfig cfg = textConfig(dir.path().toStdString());
        cfg.classOrder = {"pos", "neg"};
        cfg.profile = "step";
        cfg.rho = 5;
        const Dataset ds = loadDataset(cfg);
        QCOMPARE(ds.classNames, (std::vector<std::string>{"pos", "neg"}));
        QCOMPARE(wordsOf(ds, ds.train, 0).at(1), std::string("awful"));  // neg/0_1.txt, now class 1
        QCOMPARE(ds.train.labels[0], int64_t(1));
        QCOMPARE(makeImbalanced(ds, cfg).classCounts, (std::vector<int64_t>{10, 2}));  // the negatives are the minority
        QCOMPARE(previewCounts(cfg).classCounts, (std::vector<int64_t>{10, 2}));
        cfg.classOrder = {"pos", "bad"};
        QCOMPARE(errorOf([&] { loadDataset(cfg); }), QStringLiteral("dataset.class_order: names 'bad', which is not a class (classes: neg, pos)"));
        cfg.classOrder = {"pos"};
        QCOMPARE(errorOf([&] { loadDataset(cfg); }), QStringLiteral("dataset.class_order: leaves out class 'neg' (classes: neg, pos)"));
    }

    void secondOpenReadsTheCache() {
        QTemporaryDir dir, cache;
        test::writeImdbLike(dir.path(), 3, 1);
        writeFile(dir.path() + "/train/neg/bad.txt", "\xE9t\xE9");
        setDecodedCacheFolder(cache.path().toStdString());
        const DatasetConfig cfg = textConfig(dir.path().toStdString());
        const Dataset first = loadDataset(cfg);
        const Dataset second = loadDataset(cfg);
        setDecodedCacheFolder("");
        QVERIFY(!first.fromDecodedCache);
        QVERIFY(second.fromDecodedCache);
        QCOMPARE(second.corpusTokens, first.corpusTokens);
        QCOMPARE(second.train.tokens, first.train.tokens);
        QCOMPARE(second.train.tokenOffsets, first.train.tokenOffsets);
        QCOMPARE(second.test.texts, first.test.texts);
        QCOMPARE(second.train.textSources, first.train.textSources);
        QCOMPARE(int(second.skipped.size()), 1);
        QCOMPARE(second.skipped[0].reason, first.skipped[0].reason);
        // A changed file is a miss; another max_tokens too.
        setDecodedCacheFolder(cache.path().toStdString());
        QTest::qSleep(10);
        writeFile(dir.path() + "/train/pos/0_1.txt", "changed words");
        const Dataset third = loadDataset(cfg);
        DatasetConfig shorter = cfg;
        shorter.maxTokens = 2;
        const Dataset fourth = loadDataset(shorter);
        setDecodedCacheFolder("");
        QVERIFY(!third.fromDecodedCache);
        QVERIFY(!fourth.fromDecodedCache);
        QCOMPARE(fourth.maxTokens, 2);
    }

    void mailBodiesLoseTheirHeaders() {
        QCOMPARE(decodeQuotedPrintable("a=3Db=\nc=E9"), std::string("a=bc\xE9"));
        QCOMPARE(decodeBase64("aGVs\nbG8="), std::string("hello"));
        QCOMPARE(htmlToText("<p>a&amp;b</p><script>x()</script>c&#233;<!-- hidden -->d"), std::string(" a&b  c\xC3\xA9" "d"));
        // Latin-1 after quoted-printable decoding is read as Latin-1.
        QCOMPARE(mailBodyText("Subject: hi\nContent-Transfer-Encoding: quoted-printable\n\ncaf=E9"), std::string("caf\xC3\xA9"));
        // An alternative whose plain part is blank falls back to its HTML.
        const std::string alt = "Content-Type: multipart/alternative; boundary=\"XX\"\n\n--XX\nContent-Type: text/plain\n\n \n"
                                "--XX\nContent-Type: text/html\n\n<b>Bold</b> offer\n--XX--\n";
        QCOMPARE(mailBodyText(alt), std::string(" Bold  offer"));
        // Attachments are dropped; a boundary that never occurs leaves the body as it is.
        const std::string mixed = "Content-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: text/plain\n\nsee attached\n"
                                  "--B\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0=\n--B--\n";
        QCOMPARE(mailBodyText(mixed), std::string("see attached"));
        QCOMPARE(mailBodyText("Content-Type: multipart/alternative; boundary=\"=A B\"\n\n--= A B\nbody text\n"),
                 std::string("--= A B\nbody text\n"));
    }

    void spamAssassinMailsAsHamAndSpam() {
        QTemporaryDir dir;
        const QString d = dir.path();
        test::writeMail(d, "easy-ham-1", 1, "From a@b  Mon\nSubject: meeting\nX-Spam-Flag: NO\n\nLet us meet tomorrow.");
        test::writeMail(d, "easy-ham-1", 2, "Subject: notes\n\nThe notes are attached.");
        test::writeMail(d, "spam-1", 1,
                        "Subject: OFFER\nContent-Type: text/html\nContent-Transfer-Encoding: quoted-printable\n\n"
                        "<html><body>Buy=20now &amp; save</body></html>");
        test::writeMail(d, "spam-1", 2, "Subject: pills\nContent-Transfer-Encoding: base64\n\nQ2hlYXAgcGlsbHM=\n");
        DatasetConfig cfg;
        cfg.id = "spamassassin";
        cfg.path = d.toStdString();
        cfg.profile = "none";
        const Dataset ds = loadDataset(cfg);
        QCOMPARE(ds.classNames, (std::vector<std::string>{"ham", "spam"}));
        QCOMPARE(countPerClass(ds.train, 2), (std::vector<int64_t>{1, 1}));
        QCOMPARE(countPerClass(ds.test, 2), (std::vector<int64_t>{1, 1}));
        std::set<std::string> seen;
        for (const DatasetSplit* s : {&ds.train, &ds.test})
            for (int64_t i = 0; i < s->size(); ++i)
                for (const auto& w : wordsOf(ds, *s, i)) seen.insert(w);
        // Only the bodies' words: no header ever reaches the model.
        QCOMPARE(seen, (std::set<std::string>{"let", "us", "meet", "tomorrow", "the", "notes", "are", "attached", "buy", "now",
                                              "save", "cheap", "pills"}));
        cfg.spamClasses = "groups";
        QCOMPARE(loadDataset(cfg).classNames, (std::vector<std::string>{"easy-ham-1", "spam-1"}));
        cfg.path = (d + "/missing").toStdString();
        QVERIFY(errorOf([&] { loadDataset(cfg); }).contains("the SpamAssassin corpus is not installed here: run packaging/install-deps.sh"));
    }

    void debianPackageListsAsSections() {
        QTemporaryDir dir;
        const QByteArray list =
            "Package: liba1\nSection: libs\nDescription: library for a\n nothing more\n .\n last line\n\n"
            "Package: libb1\nSection: libs\nDescription: library for b\n\n"
            "Package: python3-c\nSection: python\nDescription: Python module c\n\n"
            "Package: tool\nSection: contrib/utils\nDescription: a small tool\n";
        writeFile(dir.filePath("a_Packages"), list);
        // The same package in a second list (lz4, as apt keeps them) counts once; new ones add.
        const QByteArray more = "Package: liba1\nSection: libs\nDescription: another copy\n\nPackage: libd1\nSection: libs\nDescription: library for d\n\n"
                                "Package: python3-e\nSection: python\nDescription: Python module e\n";
        std::string lz4(LZ4F_compressFrameBound(size_t(more.size()), nullptr), '\0');
        lz4.resize(LZ4F_compressFrame(lz4.data(), lz4.size(), more.constData(), size_t(more.size()), nullptr));
        writeFile(dir.filePath("b_Packages.lz4"), QByteArray::fromStdString(lz4));
        const QByteArray gz = "Package: tool2\nSection: utils\nDescription: second tool\n";
        gzFile f = gzopen(dir.filePath("c_Packages.gz").toUtf8().constData(), "wb");
        gzwrite(f, gz.constData(), unsigned(gz.size()));
        gzclose(f);
        writeFile(dir.filePath("d_Packages.xz"), "not read");
        DatasetConfig cfg;
        cfg.id = "debian-packages";
        cfg.path = dir.path().toStdString();
        cfg.profile = "none";
        const Dataset ds = loadDataset(cfg);
        QCOMPARE(ds.classNames, (std::vector<std::string>{"libs", "python", "utils"}));  // 3, 2, 2 packages
        QCOMPARE(countPerClass(ds.train, 3), (std::vector<int64_t>{2, 1, 1}));
        QCOMPARE(countPerClass(ds.test, 3), (std::vector<int64_t>{1, 1, 1}));
        QCOMPARE(int(ds.skipped.size()), 1);
        QCOMPARE(ds.skipped[0].path, dir.filePath("d_Packages.xz").toStdString());
        std::set<std::string> seen;
        for (const DatasetSplit* s : {&ds.train, &ds.test})
            for (int64_t i = 0; i < s->size(); ++i) {
                const auto w = wordsOf(ds, *s, i);
                seen.insert(w.begin(), w.end());
                QVERIFY(s->textSources[size_t(i)] != "liba1" || w == (std::vector<std::string>{"library", "for", "a", "nothing", "more", "last", "line"}));
            }
        QVERIFY(!seen.count("another"));  // the second copy of liba1 is not read
        QVERIFY(!seen.count("liba1"));    // nor are package names
        QTemporaryDir empty;
        QVERIFY(errorOf([&] { readDebianPackages(empty.path().toStdString(), 0.2, 0); }).endsWith("holds no package lists (*_Packages): run 'sudo apt-get update', or choose a folder of such lists (--data DIR)"));
    }
};

QTEST_GUILESS_MAIN(TestTextData)
#include "tst_text_data.moc"
