// CSV tables: header, quoting, the label column's default, class order, the standardisation
// with training statistics (values computed by hand below), the hold-out, and every malformed
// table the issue names, each an error naming file:line.
#include "data/csv_table.h"
#include "errors.h"
#include "test_errors.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace imblab;
using imblab::test::errorOf;

namespace {

std::string writeText(const QTemporaryDir& dir, const QString& name, const QByteArray& text) {
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
    f.write(text);
    return path.toStdString();
}

} // namespace

class TestCsvTable : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // height 1, 3, 5, 7: mean 4, σ = √((9+1+1+9)/4) = √5; the constant weight column is only
    // centred. The test row (2, 12) uses the same statistics: (2−4)/√5 and 12−10.
    void standardisesWithTrainingStatistics() {
        QTemporaryDir dir;
        const auto train = writeText(dir, "train.csv", "height,\"weight, kg\",species\n1,10,cat\n3,10,dog\n5,10,cat\n7,10,dog\n");
        const auto test = writeText(dir, "test.csv", "species,height,\"weight, kg\"\ndog,2,12\n");
        CsvTableOptions o;
        o.testFile = test;
        const Dataset d = loadCsvTable(train, o);
        QCOMPARE(d.id, std::string("csv"));
        QCOMPARE(d.classNames, (std::vector<std::string>{"cat", "dog"}));
        QCOMPARE(d.featureNames, (std::vector<std::string>{"height", "weight, kg"}));
        QCOMPARE(d.featureDim, 2);
        QVERIFY(!d.isImage());
        QCOMPARE(d.train.labels, (std::vector<int64_t>{0, 1, 0, 1}));
        const double s5 = std::sqrt(5.0);
        const std::vector<double> heights{-3 / s5, -1 / s5, 1 / s5, 3 / s5};
        for (size_t i = 0; i < 4; ++i) {
            QVERIFY(std::abs(d.train.features[2 * i] - heights[i]) < 1e-6);
            QCOMPARE(d.train.features[2 * i + 1], 0.0f);
        }
        QCOMPARE(d.test.labels, (std::vector<int64_t>{1}));
        QVERIFY(std::abs(d.test.features[0] - (-2 / s5)) < 1e-6);
        QCOMPARE(d.test.features[1], 2.0f);
        QCOMPARE(d.mean, (std::vector<double>{4.0, 10.0}));
        QVERIFY(std::abs(d.std[0] - s5) < 1e-12);
        QCOMPARE(d.std[1], 1.0);
    }

    // A column named "label" wins over the last column; integer labels sort as numbers; a
    // semicolon table (spreadsheets in many locales) reads the same; 5 rows per class hold out 1.
    void labelColumnClassOrderAndHoldOut() {
        QTemporaryDir dir;
        QByteArray text = "a;Label;b\n";
        for (int i = 0; i < 5; ++i)
            for (const char* label : {"10", "2", "1"}) text += QByteArray::number(i) + ";" + label + ";" + QByteArray::number(i * 2) + "\n";
        const auto file = writeText(dir, "t.csv", text);
        QCOMPARE(chooseLabelColumn(readCsvHeader(file), "", file), std::string("Label"));
        const Dataset d = loadCsvTable(file, {});
        QCOMPARE(d.classNames, (std::vector<std::string>{"1", "2", "10"}));
        QCOMPARE(d.featureNames, (std::vector<std::string>{"a", "b"}));
        QCOMPARE(countPerClass(d.train, 3), (std::vector<int64_t>{4, 4, 4}));
        QCOMPARE(countPerClass(d.test, 3), (std::vector<int64_t>{1, 1, 1}));
        // An explicit column; the last column is the default without a known name.
        CsvTableOptions byB;
        byB.labelColumn = "a";
        QCOMPARE(loadCsvTable(file, byB).featureNames, (std::vector<std::string>{"Label", "b"}));
        QCOMPARE(chooseLabelColumn({"x", "z"}, "", file), std::string("z"));
    }

    void malformedTablesNameFileAndLine() {
        QTemporaryDir dir;
        auto errorFor = [&](const QByteArray& text, const std::string& labelColumn = {}) {
            const auto file = writeText(dir, "bad.csv", text);
            CsvTableOptions o;
            o.labelColumn = labelColumn;
            return errorOf([&] { loadCsvTable(file, o); });
        };
        const QString f = dir.filePath("bad.csv");
        QCOMPARE(errorFor("x,y\n1,a\n2\n"), f + ":3: has 1 cells, the header has 2 columns");
        QCOMPARE(errorFor("x,y\n1,a\n,b\n"), f + ":3: column 'x' is empty (fill or drop missing values first)");
        QCOMPARE(errorFor("x,y\n1,a\nabc,b\n"), f + ":3: column 'x' holds 'abc', not a number");
        QCOMPARE(errorFor("x,y\n1,a\nnan,b\n"), f + ":3: column 'x' holds 'nan', not a finite number");
        QCOMPARE(errorFor("x,y\n1,a\n2,a\n"), f + ": has only one class in column 'y' ('a'): a classifier needs two or more");
        QCOMPARE(errorFor("x,y\n1,a\n2,b\n", "kind"), f + ": has no column 'kind' (columns: x, y)");
        QCOMPARE(errorFor("x,y\n1,a\n\"2,b\n"), f + ":3: has a quote that never closes (the quoted cell opened here runs to the end of the file)");
        QCOMPARE(errorFor("x,y\n1,\n2,b\n"), f + ":2: has an empty label (column 'y')");
        QCOMPARE(errorFor(""), f + ": is empty: expected a header row of column names");
        QCOMPARE(errorFor("x,y\n"), f + ": has a header but no data rows");
        QCOMPARE(errorFor("x,x\n1,2\n"), f + ":1: names column 'x' twice");
        QCOMPARE(errorFor("y\na\nb\n"), f + ": needs at least one feature column and one label column");
        QVERIFY(errorOf([&] { loadCsvTable(dir.filePath("none.csv").toStdString(), {}); }).endsWith("none.csv: no such CSV file"));
        // A test table with a label the training table lacks, or without a feature column.
        const auto train = writeText(dir, "train.csv", "x,y\n1,a\n2,b\n");
        CsvTableOptions o;
        o.testFile = writeText(dir, "test.csv", "x,y\n1,c\n");
        QCOMPARE(errorOf([&] { loadCsvTable(train, o); }),
                 dir.filePath("test.csv") + ":2: label 'c' is not a class of the training table " + QString::fromStdString(train));
        o.testFile = writeText(dir, "test2.csv", "z,y\n1,a\n");
        QCOMPARE(errorOf([&] { loadCsvTable(train, o); }), dir.filePath("test2.csv") + ": has no column 'x' (the training table has)");
    }
};

QTEST_GUILESS_MAIN(TestCsvTable)
#include "tst_csv_table.moc"
