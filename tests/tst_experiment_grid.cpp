// The grid rule shared by `imblab-cli sweep` and the app's queue, the comma lists it is typed
// in, the loss-kind table and the validation of settings that could never take effect.
#include "api/engine.h"
#include "api/experiment_grid.h"
#include "api/loss_kinds.h"
#include "api/methods.h"
#include "errors.h"

#include <QtTest>

using namespace imblab;

class TestExperimentGrid : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void expandsProfileRhoMethodSeedInOrder() {
        ExperimentConfig base;
        base.dataset.rho = 100;
        const auto configs = expandGrid(base, ExperimentGrid{{"erm", "ldam-drw"}, {0, 7}, {10, 100}}, {"exp", "step"});
        QCOMPARE(int(configs.size()), 2 * 2 * 2 * 2);
        // Innermost the seed, then the method, then ρ, then the profile.
        QCOMPARE(configs[0].dataset.profile, std::string("exp"));
        QCOMPARE(configs[0].dataset.rho, 10.0);
        QCOMPARE(methodIdOf(configs[0]), std::string("erm"));
        QCOMPARE(configs[1].train.seed, uint64_t(7));
        QCOMPARE(configs[1].dataset.seed, uint64_t(7));  // the seed draws the subset too
        QCOMPARE(methodIdOf(configs[2]), std::string("ldam-drw"));
        QCOMPARE(configs[4].dataset.rho, 100.0);
        QCOMPARE(configs[8].dataset.profile, std::string("step"));
        QVERIFY(configs[2].rebalance.deferred);
        QCOMPARE(configs[2].rebalance.deferEpoch, -1);
    }

    void emptyRhosKeepTheBase() {
        ExperimentConfig base;
        base.dataset.rho = 37;
        const auto configs = expandGrid(base, ExperimentGrid{{"erm"}, {0}, {}});
        QCOMPARE(int(configs.size()), 1);
        QCOMPARE(configs[0].dataset.rho, 37.0);
    }

    void aBadMethodOrSettingIsNamedBeforeAnythingRuns() {
        try {
            expandGrid(ExperimentConfig{}, ExperimentGrid{{"erm", "nope"}, {0}, {}});
            QFAIL("an unknown method was accepted");
        } catch (const ConfigError& e) {
            QCOMPARE(QString::fromStdString(e.field()), QString("methods"));
        }
        try {
            expandGrid(ExperimentConfig{}, ExperimentGrid{{"erm"}, {0}, {0.5}});
            QFAIL("rho 0.5 was accepted");
        } catch (const ConfigError&) {
        }
    }

    void parsesCommaLists() {
        QCOMPARE(splitList(" a, b,,c "), (std::vector<std::string>{"a", "b", "c"}));
        QCOMPARE(parseNumberList("1, 2.5,10", "--rhos", 1), (std::vector<double>{1, 2.5, 10}));
        QCOMPARE(parseSeedList("0,1, 2", "--seeds"), (std::vector<uint64_t>{0, 1, 2}));
        for (const char* bad : {"1,x", "", "0.5", "1e"}) {
            try {
                parseNumberList(bad, "--rhos", 1);
                QFAIL(qPrintable(QString("'%1' was accepted").arg(bad)));
            } catch (const ConfigError& e) {
                QCOMPARE(QString::fromStdString(e.field()), QString("--rhos"));
            }
        }
    }

    void lossKindTableDrivesHeadAndScale() {
        QCOMPARE(lossKindList(), std::string("ce, focal, ldam, ldam-hg, margin, la, bsm or vs"));
        LossConfig l;
        for (const LossKind& k : lossKinds()) {
            l.type = k.id;
            QCOMPARE(l.usesNormalizedHead(), k.id == "ldam" || k.id == "ldam-hg" || k.id == "margin");
            QCOMPARE(k.usesScale, k.id == "ldam" || k.id == "margin");  // they predict with s·z
            ExperimentConfig c;
            c.loss.type = k.id;
            validateConfig(c);  // every kind in the table has a loss
        }
        QVERIFY(findLossKind("nope") == nullptr);
        QVERIFY(findLossKind("vs")->usesGamma && findLossKind("vs")->usesTau);
    }

    void aSwitchAfterTheLastEpochIsRefused() {
        ExperimentConfig c;
        c.train.epochs = 4;
        c.rebalance.type = "cb-rw";
        c.rebalance.deferred = true;
        c.rebalance.deferEpoch = 3;  // the last epoch: still inside the run
        validateConfig(c);
        c.rebalance.deferEpoch = 4;
        try {
            validateConfig(c);
            QFAIL("a switch after the last epoch was accepted");
        } catch (const ConfigError& e) {
            QCOMPARE(QString::fromStdString(e.field()), QString("rebalance.defer_epoch"));
            QVERIFY(QString(e.what()).contains("after the last epoch"));
        }
        c.rebalance.deferEpoch = -1;  // the first LR decay
        validateConfig(c);
        c.rebalance.type = "none";  // nothing to switch to: the epoch means nothing
        c.rebalance.deferEpoch = 9;
        validateConfig(c);
    }
};

QTEST_APPLESS_MAIN(TestExperimentGrid)
#include "tst_experiment_grid.moc"
