// Aggregation over seeds and the table formats.
#include "io/results_table.h"

#include "api/methods.h"

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

    // Many / medium / few-shot accuracy: averaged over the runs that have the group, a second
    // Markdown table and CSV columns; a group no run has stays empty ("–", blank in CSV).
    void shotAccuracies() {
        RunResultRow a{"erm", "ERM", "exp", 100, 0.5, 0, 0.30, 0.5, 0.1, 1};
        a.manyShot = 0.90, a.mediumShot = 0.60, a.fewShot = 0.20;
        RunResultRow b = a;
        b.seed = 1, b.manyShot = 0.80, b.mediumShot = 0.70, b.fewShot = kNoValue;  // no few-shot class
        const auto g = aggregateRuns({a, b});
        QCOMPARE(g.size(), size_t(1));
        QVERIFY(std::abs(g[0].meanManyShot - 0.85) < 1e-12);
        QVERIFY(std::abs(g[0].meanMediumShot - 0.65) < 1e-12);
        QVERIFY(std::abs(g[0].meanFewShot - 0.20) < 1e-12);  // the one run that has few-shot classes
        const QString md = QString::fromStdString(resultsMarkdown({a, b}));
        QVERIFY2(md.contains("| ERM | 85.0 / 65.0 / 20.0 |"), qPrintable(md));
        const QString csv = QString::fromStdString(resultsCsv({a, b}));
        QVERIFY2(csv.contains(",many_shot_accuracy_mean,medium_shot_accuracy_mean,few_shot_accuracy_mean,collapsed_runs,top5_error_mean,"
                              "worst_class_error_mean,gmean_recall_mean,macro_f1_mean\n"), qPrintable(csv));
        QVERIFY2(csv.contains(",0.850000,0.650000,0.200000,0,,,,\n"), qPrintable(csv));
        const QString runs = QString::fromStdString(runsCsv({b}));
        QVERIFY2(runs.contains(",0.800000,0.700000,,1.000000,0,,,,\n"), qPrintable(runs));
        RunResultRow none{"erm", "ERM", "exp", 100, 0.5, 0, 0.30, 0.5, 0.1, 1};
        QVERIFY(!QString::fromStdString(resultsMarkdown({none})).contains("few-shot"));  // nothing reported, no table
    }

    // A cell holding a collapsed run is marked † in every format, with how many under the table;
    // the run's own row says which.
    void collapsedRunsAreMarked() {
        RunResultRow fine{"erm", "ERM", "exp", 100, 0.5, 0, 0.30, 0.5, 0.1, 1};
        RunResultRow stuck = fine;
        stuck.seed = 1, stuck.balancedError = 0.90, stuck.collapsed = true;
        RunResultRow other{"ldam-drw", "LDAM-DRW", "exp", 100, 0.5, 0, 0.20, 0.3, 0.1, 1};
        const auto a = aggregateRuns({fine, stuck, other});
        QCOMPARE(a[0].collapsedRuns, 1);
        QCOMPARE(a[1].collapsedRuns, 0);
        const QString md = QString::fromStdString(resultsMarkdown({fine, stuck, other}));
        QVERIFY2(md.contains("| ERM | 60.00 ± 42.43 † |"), qPrintable(md));  // (30 + 90) / 2, √((30² + 30²) / 1)
        QVERIFY2(md.contains("| LDAM-DRW | 20.00 |"), qPrintable(md));
        QVERIFY2(md.contains("† 1 of the 3 runs collapsed"), qPrintable(md));
        QVERIFY(!QString::fromStdString(resultsMarkdown({fine, other})).contains("†"));
        QVERIFY(QString::fromStdString(resultsLatex({fine, stuck, other})).contains("60.00 $\\pm$ 42.43$^\\dagger$ \\\\"));
        const QString csv = QString::fromStdString(resultsCsv({fine, stuck, other}));
        QVERIFY2(csv.section('\n', 0, 0).endsWith(",collapsed_runs,top5_error_mean,worst_class_error_mean,gmean_recall_mean,macro_f1_mean"),
                 qPrintable(csv));
        QVERIFY2(csv.section('\n', 1, 1).endsWith(",1,,,,") && csv.section('\n', 2, 2).endsWith(",0,,,,"), qPrintable(csv));
        const QStringList runs = QString::fromStdString(runsCsv({fine, stuck})).split('\n');
        QVERIFY(runs[0].endsWith(",collapsed,top5_error,worst_class_error,gmean_recall,macro_f1"));
        QVERIFY(runs[1].endsWith(",0,,,,") && runs[2].endsWith(",1,,,,"));
    }

    // Top-5 beside the top-1 for more than 10 classes: mean ± std over the seeds, in every format.
    void topFiveForManyClasses() {
        RunResultRow a{"erm", "ERM", "exp", 100, 0.5, 0, 0.40, 0.5, 0.3, 1};
        a.classNames.assign(20, "c");
        a.top5Error = 0.10;
        RunResultRow b = a;
        b.seed = 1, b.top5Error = 0.20;
        const QString md = QString::fromStdString(resultsMarkdown({a, b}));
        QVERIFY2(md.contains("Top-5 test error (%)"), qPrintable(md));
        QVERIFY2(md.contains("| ERM | 15.00 ± 7.07 |"), qPrintable(md));  // √((5² + 5²) / 1)
        QVERIFY(QString::fromStdString(resultsCsv({a, b})).contains(",0,0.150000,,,\n"));
        QVERIFY(QString::fromStdString(runsCsv({a})).endsWith(",0,0.100000,,,\n"));
        RunResultRow ten = a;
        ten.classNames.assign(10, "c");
        QVERIFY(!QString::fromStdString(resultsMarkdown({ten})).contains("Top-5"));  // near zero at 10 classes: not shown
    }

    // The measures since the paper: the seeds' means in a table of their own and CSV columns;
    // no table when no run reports them.
    void measuresSinceThePaper() {
        RunResultRow a{"erm", "ERM", "exp", 100, 0.5, 0, 0.30, 0.5, 0.1, 1};
        a.worstClassError = 0.70, a.geometricMeanRecall = 0.60, a.macroF1 = 0.65;
        RunResultRow b = a;
        b.seed = 1, b.worstClassError = 0.90, b.geometricMeanRecall = 0.40, b.macroF1 = 0.55;
        const auto g = aggregateRuns({a, b});
        QVERIFY(std::abs(g[0].meanWorstClass - 0.80) < 1e-12 && std::abs(g[0].meanGeometricRecall - 0.50) < 1e-12);
        const QString md = QString::fromStdString(resultsMarkdown({a, b}));
        QVERIFY2(md.contains("Worst-class error / geometric mean of the recalls / macro-F1") && md.contains("| ERM | 80.0 / 50.0 / 60.0 |"),
                 qPrintable(md));
        QVERIFY(QString::fromStdString(resultsCsv({a, b})).endsWith(",0.800000,0.500000,0.600000\n"));
        RunResultRow none{"erm", "ERM", "exp", 100, 0.5, 0, 0.30, 0.5, 0.1, 1};
        QVERIFY(!QString::fromStdString(resultsMarkdown({none})).contains("Worst-class"));
    }

    // Only runs that differ in nothing but their seed (and how they executed) pool as seeds; a
    // 2-epoch and a 1-epoch LDAM-DRW run of one seed are two rows named by their epochs.
    void poolsOnlyRunsThatDifferInTheirSeed() {
        const ExperimentConfig base = applyMethod(ExperimentConfig{}, findMethod("ldam-drw"));
        auto row = [](ExperimentConfig c, double error) {
            RunResultRow r = resultRowFor(c);
            r.balancedError = error;
            return r;
        };
        ExperimentConfig twoEpochs = base, oneEpoch = base, otherSeed = base, otherLr = base;
        twoEpochs.train.epochs = 2;
        oneEpoch.train.epochs = 1;
        otherSeed.train.epochs = 2;
        otherSeed.train.seed = otherSeed.dataset.seed = 7;
        otherSeed.train.device = "cpu";
        otherSeed.train.threads = 1;
        otherSeed.name = "another name";
        otherLr.train.epochs = 2;
        otherLr.train.lr = 0.05;
        const std::vector<RunResultRow> rows = {row(twoEpochs, 0.40), row(oneEpoch, 0.60), row(otherSeed, 0.44),
                                                row(otherLr, 0.50)};
        const auto a = aggregateRuns(rows);
        QCOMPARE(a.size(), size_t(3));
        QCOMPARE(a[0].runs, 2);  // two epochs, seeds 0 and 7: std √((.02² + .02²)/1) = 2.83 %
        QVERIFY(std::abs(a[0].meanError - 0.42) < 1e-12);
        QCOMPARE(QString::fromStdString(a[0].label), QString("LDAM-DRW (epochs 2, lr 0.1)"));
        QCOMPARE(a[1].runs, 1);
        QCOMPARE(QString::fromStdString(a[1].label), QString("LDAM-DRW (epochs 1, lr 0.1)"));
        QCOMPARE(QString::fromStdString(a[2].label), QString("LDAM-DRW (epochs 2, lr 0.05)"));
        const QString md = QString::fromStdString(resultsMarkdown(rows));
        QVERIFY2(md.contains("| LDAM-DRW (epochs 2, lr 0.1) | 42.00 ± 2.83 |"), qPrintable(md));
        QVERIFY2(md.contains("| LDAM-DRW (epochs 1, lr 0.1) | 60.00 |"), qPrintable(md));
        // One method run one way keeps its plain label, whatever else is in the table.
        const auto single = aggregateRuns({row(twoEpochs, 0.4), row(otherSeed, 0.5)});
        QCOMPARE(single.size(), size_t(1));
        QCOMPARE(QString::fromStdString(single[0].label), QString("LDAM-DRW"));
    }
};

QTEST_APPLESS_MAIN(TestResultsTable)
#include "tst_results_table.moc"
