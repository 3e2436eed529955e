// The run queue: order, counts, failures, cancel, the end of a grid and its ETA.
#include "runs/run_queue.h"

#include <QSignalSpy>
#include <QtTest>

using namespace imblab;
using namespace imblab::ui;

namespace {
std::vector<ExperimentConfig> seeds(std::initializer_list<uint64_t> list) {
    std::vector<ExperimentConfig> out;
    for (uint64_t s : list) {
        ExperimentConfig c;
        c.train.seed = s;
        out.push_back(c);
    }
    return out;
}
} // namespace

class TestRunQueue : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void runsInOrderAndCountsFailures() {
        RunQueue q;
        QSignalSpy finished(&q, &RunQueue::finished);
        q.enqueue(seeds({0, 1, 2}));
        QVERIFY(q.isActive());
        QCOMPARE(q.total(), 3);
        QCOMPARE(q.etaSeconds(), -1.0);  // nothing known before the first run reports
        QCOMPARE(q.current(), 0);
        QCOMPARE(q.takeNext().train.seed, uint64_t(0));
        QCOMPARE(q.current(), 1);
        QCOMPARE(q.etaSeconds(), -1.0);
        // The first run's own pace: 10 s done, 30 s to go → 40 s a run, 2 more to start.
        q.runProgress(10, 30);
        QCOMPARE(q.etaSeconds(), 30.0 + 2 * 40.0);
        q.runEnded(false, 36);
        QCOMPARE(q.etaSeconds(), 2 * 36.0);  // the next not started yet
        QCOMPARE(q.takeNext().train.seed, uint64_t(1));
        QCOMPARE(q.current(), 2);
        QCOMPARE(q.etaSeconds(), 36.0 + 36.0);  // running, no report yet: a whole run at that pace
        q.runProgress(5, 20);
        QCOMPARE(q.etaSeconds(), 20.0 + 36.0);
        q.runEnded(true, 44);
        QCOMPARE(q.takeNext().train.seed, uint64_t(2));
        QVERIFY(!q.hasNext());
        QVERIFY(q.isActive());  // the last run is still going
        q.runProgress(30, 12);
        QCOMPARE(q.etaSeconds(), 12.0);
        q.runEnded(false, 40);
        QVERIFY(!q.isActive());
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.first().at(0).toInt(), 3);
        QCOMPARE(finished.first().at(1).toInt(), 1);
    }

    void appendingToAnActiveGridAddsToItsTotal() {
        RunQueue q;
        q.enqueue(seeds({0}));
        q.takeNext();
        q.enqueue(seeds({1, 2}));
        QCOMPARE(q.total(), 3);
        q.runEnded(false, 1);
        QCOMPARE(q.done(), 1);
        QCOMPARE(q.pending(), 2);
        // A new grid after the last one ended starts its counts afresh.
        q.takeNext();
        q.runEnded(false, 1);
        q.takeNext();
        q.runEnded(false, 1);
        QVERIFY(!q.isActive());
        q.enqueue(seeds({5}));
        QCOMPARE(q.total(), 1);
        QCOMPARE(q.done(), 0);
    }

    // Each queued config carries the id of the run listed as "queued" for it.
    void configsKeepTheirRunIds() {
        RunQueue q;
        q.enqueue(seeds({0, 1, 2}), {7, 8, 9});
        int id = 0;
        QCOMPARE(q.takeNext(&id).train.seed, uint64_t(0));
        QCOMPARE(id, 7);
        QCOMPARE(q.pendingRunIds(), (std::vector<int>{8, 9}));
        q.takeNext(&id);
        QCOMPARE(id, 8);
    }

    void cancelDropsWhatHasNotStarted() {
        RunQueue q;
        q.enqueue(seeds({0, 1, 2, 3}));
        q.takeNext();
        QCOMPARE(q.pendingRunIds().size(), size_t(3));
        QCOMPARE(q.cancel(), 3);
        QVERIFY(q.pendingRunIds().empty());
        QVERIFY(!q.hasNext());
        QVERIFY(!q.isActive());
    }
};

QTEST_MAIN(TestRunQueue)
#include "tst_run_queue.moc"
