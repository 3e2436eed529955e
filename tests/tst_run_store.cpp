// The run store: ids, reports kept bounded, one change signal, replacement by a session.
#include "runs/run_store.h"

#include <QSignalSpy>
#include <QtTest>

using namespace imblab;
using namespace imblab::ui;

namespace {
MetricsReport stepReport(int64_t step) {
    MetricsReport r;
    r.step = step;
    return r;
}
MetricsReport epochReport(int epoch) {
    MetricsReport r;
    r.epoch = epoch;
    r.epochEnd = true;
    r.testPredictions = {1, 2, 3};
    return r;
}
} // namespace

class TestRunStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void createsRunsWithIncreasingIds() {
        RunStore store;
        QSignalSpy changed(&store, &RunStore::changed);
        ExperimentConfig c;
        c.train.seed = 5;
        const int a = store.create(c).id;
        const int b = store.create(c).id;
        QCOMPARE(a, 1);
        QCOMPARE(b, 2);
        QCOMPARE(changed.count(), 2);
        QCOMPARE(store.find(b)->config.train.seed, uint64_t(5));
        QVERIFY(store.find(3) == nullptr);
        QVERIFY(store.checkpointPath(a) != store.checkpointPath(b));
        QVERIFY(store.checkpointPath(a).endsWith("run-1.pt"));
    }

    void addsReportsAndSignalsOnce() {
        RunStore store;
        const int id = store.create({}).id;
        QSignalSpy changed(&store, &RunStore::changed);
        store.addReports(id, {stepReport(10), epochReport(0), stepReport(20), epochReport(1)});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().first().toInt(), id);
        const RunRecord* run = store.find(id);
        QCOMPARE(int(run->stepReports.size()), 2);
        QCOMPARE(int(run->epochReports.size()), 2);
        // Only the newest evaluation keeps its test predictions.
        QVERIFY(run->epochReports[0].testPredictions.empty());
        QCOMPARE(int(run->epochReports[1].testPredictions.size()), 3);
        store.addReports(99, {stepReport(1)});  // an unknown run: nothing happens
        QCOMPARE(changed.count(), 1);
    }

    void stepReportsStayBounded() {
        RunStore store;
        const int id = store.create({}).id;
        std::vector<MetricsReport> many;
        for (int i = 0; i < int(RunRecord::kMaxStepReports) + 1; ++i) many.push_back(stepReport(i));
        store.addReports(id, many);
        QVERIFY(store.find(id)->stepReports.size() <= RunRecord::kMaxStepReports);
        QCOMPARE(store.find(id)->stepReports.front().step, int64_t(0));
    }

    void replaceAllKeepsIdsAndContinuesAfterTheLargest() {
        RunStore store;
        store.create({});
        QSignalSpy reset(&store, &RunStore::reset);
        RunRecord a, b;
        a.id = 4;
        b.id = 9;
        store.replaceAll({a, b});
        QCOMPARE(reset.count(), 1);
        QCOMPARE(int(store.all().size()), 2);
        QVERIFY(store.find(1) == nullptr);
        QCOMPARE(store.create({}).id, 10);
    }
};

QTEST_MAIN(TestRunStore)
#include "tst_run_store.moc"
