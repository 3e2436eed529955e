// Aggregation over seeds and the table formats.
#include "io/results_table.h"

#include <QtTest>

using namespace imblab;

class TestResultsTable : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void meanAndStd() {
        std::vector<RunResultRow> rows;
        for (double e : {0.20, 0.22, 0.24}) rows.push_back({"erm", "ERM", "exp", 100, 0.5, 0, e, 0.3, 0.1, 1});
        rows.push_back({"ldam-drw", "LDAM-DRW", "exp", 100, 0.5, 0, 0.15, 0.2, 0.1, 1});
        rows.push_back({"erm", "ERM", "step", 10, 0.5, 0, 0.30, 0.4, 0.2, 1});
        const auto a = aggregateRuns(rows);
        QCOMPARE(a.size(), size_t(3));
        QCOMPARE(a[0].runs, 3);
        QVERIFY(std::abs(a[0].meanError - 0.22) < 1e-12);
        QVERIFY(std::abs(a[0].stdError - 0.02) < 1e-12);  // sample std of (.20, .22, .24)
        const std::string md = resultsMarkdown(rows);
        QVERIFY(QString::fromStdString(md).contains("| Method | exp ρ=100 | step ρ=10 |"));
        QVERIFY(QString::fromStdString(md).contains("| ERM | 22.00 ± 2.00 | 30.00 |"));
        QVERIFY(QString::fromStdString(md).contains("| LDAM-DRW | 15.00 | – |"));
        const std::string csv = resultsCsv(rows);
        QVERIFY(QString::fromStdString(csv).startsWith("method,label,setting,runs,balanced_error_mean"));
        QVERIFY(QString::fromStdString(csv).contains("erm,ERM,\"exp ρ=100\",3,0.220000,0.020000"));
        QVERIFY(QString::fromStdString(resultsLatex(rows)).contains("ERM & 22.00 $\\pm$ 2.00 & 30.00 \\\\"));
    }
};

QTEST_APPLESS_MAIN(TestResultsTable)
#include "tst_results_table.moc"
