// Writers of small text datasets in the real layouts (aclImdb's folders, tables, the SpamAssassin
// npm package's JSON mails, apt's package lists), for the tests.
#pragma once

#include "util/rng.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QString>
#include <QStringList>

#include <string>

namespace imblab::test {

inline std::string writeFile(const QString& path, const QByteArray& bytes) {
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
    f.write(bytes);
    return path.toStdString();
}

// aclImdb's layout: train/{neg,pos}, test/{neg,pos}, and its extras (unsup/, *.feat, urls_*.txt,
// imdb.vocab, README) that are neither classes nor texts. Review i of a class says its class
// word ("awful" or "great") and its number.
inline void writeImdbLike(const QString& root, int trainPerClass, int testPerClass) {
    for (const char* split : {"train", "test"})
        for (const char* cls : {"neg", "pos"}) {
            const int n = QString(split) == "train" ? trainPerClass : testPerClass;
            for (int i = 0; i < n; ++i)
                writeFile(QStringLiteral("%1/%2/%3/%4_%5.txt").arg(root, split, cls).arg(i).arg(i % 10 + 1),
                          QByteArray(QString(cls) == "pos" ? "A great film,<br /><br />truly great. " : "An awful film. Awful. ") +
                              "Review " + QByteArray::number(i) + ".");
            writeFile(QStringLiteral("%1/%2/urls_%3.txt").arg(root, split, cls), "http://www.imdb.com/title/tt0000000/\n");
            writeFile(QStringLiteral("%1/%2/labeledBow.feat").arg(root, split), "0 0:1 1:2\n");
        }
    writeFile(root + "/train/unsup/0_0.txt", "An unlabelled review.");
    writeFile(root + "/imdb.vocab", "the\nand\n");
    writeFile(root + "/README", "Large Movie Review Dataset v1.0\n");
}

// One mail of the SpamAssassin package: DIR/<group>/<n>.<hash>.json with its raw text.
inline void writeMail(const QString& dir, const QString& group, int n, const std::string& mail) {
    nlohmann::json j{{"id", std::to_string(n)}, {"group", group.toStdString()}, {"text", mail}};
    writeFile(QStringLiteral("%1/%2/%3.abc.json").arg(dir, group).arg(n, 5, 10, QChar('0')), QByteArray::fromStdString(j.dump()));
    // The package has the raw mail beside each record: not a record, never read.
    writeFile(QStringLiteral("%1/%2/%3.abc.txt").arg(dir, group).arg(n, 5, 10, QChar('0')), QByteArray::fromStdString(mail));
}

// Two classes of texts with words of their own and shared ones (a tenth of the words from the
// other class), 3:1 in training: train/ and test/, as aclImdb keeps them.
inline void writeTwoTopics(const QString& root, int trainFruit, int testFruit) {
    const QStringList fruit = QString("apple banana cherry grape lemon mango peach pear plum kiwi").split(' ');
    const QStringList tools = QString("hammer wrench drill saw chisel pliers level ruler tape clamp").split(' ');
    const QStringList common = QString("the a of and to in is it that with for on as").split(' ');
    Rng rng(7);
    for (const char* split : {"train", "test"})
        for (int c = 0; c < 2; ++c) {
            const int n = QString(split) == "train" ? (c == 0 ? trainFruit : trainFruit / 3) : testFruit;
            for (int i = 0; i < n; ++i) {
                QStringList words;
                const int length = 3 + int(rng.below(30));
                for (int w = 0; w < length; ++w) {
                    const QStringList& own = c == 0 ? fruit : tools;
                    const QStringList& pool = rng.uniform() < 0.1 ? (c == 0 ? tools : fruit) : rng.uniform() < 0.5 ? common : own;
                    words << pool[int(rng.below(uint64_t(pool.size())))];
                }
                writeFile(QStringLiteral("%1/%2/%3/%4.txt").arg(root, split, c == 0 ? "fruit" : "tools").arg(i),
                                words.join(' ').toUtf8() + ".");
            }
        }
}

} // namespace imblab::test
