// The config schema: round trips, presets, and rejections that name the field.
#include "errors.h"
#include "io/config_json.h"
#include "training/trainer.h"

#include <QtTest>

using namespace imblab;

class TestConfigJson : public QObject {
    Q_OBJECT

    template <typename F>
    void expectConfigError(F&& f, const std::string& field, const QString& fragment = {}) {
        try {
            f();
            QFAIL("expected a ConfigError");
        } catch (const ConfigError& e) {
            QCOMPARE(QString::fromStdString(e.field()), QString::fromStdString(field));
            QVERIFY2(QString::fromStdString(e.what()).contains(fragment), e.what());
        }
    }

private Q_SLOTS:
    void roundTripIsExact() {
        ExperimentConfig c;
        c.name = "LDAM-DRW ρ=50";
        c.dataset.rho = 50;
        c.dataset.profile = "step";
        c.dataset.seed = 42;
        c.loss.type = "ldam";
        c.loss.s = 10;
        c.loss.gamma = 0.7;
        c.rebalance.type = "cb-rw";
        c.rebalance.deferred = true;
        c.rebalance.deferEpoch = 12;
        c.train.epochs = 3;
        c.train.lr = 0.05;
        const std::string text = configToJson(c);
        const ExperimentConfig back = parseConfig(text, "mem");
        QCOMPARE(configToJson(back), text);
        QCOMPARE(back.loss.gamma.value(), 0.7);
        QVERIFY(!back.loss.tau.has_value());
        QCOMPARE(back.rebalance.deferEpoch, 12);
    }

    void missingFieldsKeepTheBase() {
        ExperimentConfig base;
        base.train.epochs = 99;
        const auto c = parseConfig(R"({"version": 1, "dataset": {"rho": 10}})", "mem", base);
        QCOMPARE(c.train.epochs, 99);
        QCOMPARE(c.dataset.rho, 10.0);
        QCOMPARE(c.dataset.id, std::string("fashion-mnist"));
    }

    void unknownFieldNamed() {
        expectConfigError([] { parseConfig(R"({"loss": {"type": "ldam", "max_margin": 1}})", "mem"); }, "loss.max_margin",
                          "unknown field");
        expectConfigError([] { parseConfig(R"({"trainer": {}})", "mem"); }, "trainer");
    }

    void wrongTypeNamed() {
        expectConfigError([] { parseConfig(R"({"train": {"epochs": "ten"}})", "mem"); }, "train.epochs", "integer");
        expectConfigError([] { parseConfig(R"({"train": {"epochs": 2.5}})", "mem"); }, "train.epochs");
        expectConfigError([] { parseConfig(R"({"dataset": {"rho": "big"}})", "mem"); }, "dataset.rho", "number");
        expectConfigError([] { parseConfig(R"({"train": {"augment": 1}})", "mem"); }, "train.augment");
        expectConfigError([] { parseConfig(R"({"dataset": {"seed": -1}})", "mem"); }, "dataset.seed");
        expectConfigError([] { parseConfig(R"({"dataset": 5})", "mem"); }, "dataset", "object");
    }

    void newerVersionRefused() {
        expectConfigError([] { parseConfig(R"({"version": 2})", "mem"); }, "version", "newer");
    }

    void brokenJsonNamesTheFile() {
        try {
            parseConfig("{\"version\": 1,", "session.imblab");
            QFAIL("expected DataError");
        } catch (const DataError& e) {
            QCOMPARE(e.file(), std::string("session.imblab"));
        }
    }

    void hugeNumberNamesTheFile() {
        // Found by fuzz_config: a number beyond double's range threw nlohmann's out_of_range,
        // which escaped as an untyped error.
        try {
            parseConfig("{\"version\": 1, \"train\": {\"lr\": 1E999}}", "big.imblab");
            QFAIL("expected DataError");
        } catch (const DataError& e) {
            QCOMPARE(e.file(), std::string("big.imblab"));
            QVERIFY(QString(e.what()).contains("number overflow"));
        }
    }

    void outOfRangeValuesNamed() {
        ExperimentConfig c;
        c.dataset.rho = 0.5;
        expectConfigError([&] { validateConfig(c); }, "rho");
        c = {};
        c.train.epochs = 0;
        expectConfigError([&] { validateConfig(c); }, "train.epochs");
        c = {};
        c.train.model = "vgg";
        expectConfigError([&] { validateConfig(c); }, "train.model", "vgg");
        c = {};
        c.loss.type = "ldam";
        c.loss.maxM = 0;
        expectConfigError([&] { validateConfig(c); }, "loss.max_m");
        c = {};
        c.dataset.id = "imagenet";
        expectConfigError([&] { validateConfig(c); }, "dataset", "imagenet");
        c = {};
        c.train.batchSize = 0;
        expectConfigError([&] { validateConfig(c); }, "train.batch_size");
        c = {};
        c.train.lrDecayEpochs = {3};  // the official schedule has its own decays
        expectConfigError([&] { validateConfig(c); }, "train.lr_decay_epochs", "official");
        c.train.schedule = "step";
        c.train.epochs = 6;
        c.train.lrDecayEpochs = {4, 2};
        expectConfigError([&] { validateConfig(c); }, "train.lr_decay_epochs", "must rise");
        c.train.lrDecayEpochs = {2, 6};
        expectConfigError([&] { validateConfig(c); }, "train.lr_decay_epochs", "outside the run's 1..5");
        c = {};
        c.dataset.pipeline = "stream";  // Fashion-MNIST is read whole
        expectConfigError([&] { validateConfig(c); }, "dataset.pipeline", "fashion-mnist");
        c.dataset.id = "folder";
        c.dataset.crop = "center";
        expectConfigError([&] { validateConfig(c); }, "dataset.crop", "center");
        c.dataset.crop = "random";
        c.dataset.resize = 16;  // below the 32 px crop
        expectConfigError([&] { validateConfig(c); }, "dataset.resize", "32..128");
    }

    void presets() {
        const auto names = presetNames();
        for (const char* n : {"fmnist-lt-quick", "fmnist-lt-resnet32", "paper-cifar10-lt", "blobs-teaching"})
            QVERIFY2(std::find(names.begin(), names.end(), n) != names.end(), n);
        const auto paper = loadPreset("paper-cifar10-lt");
        QCOMPARE(paper.train.epochs, 200);
        QCOMPARE(paper.loss.type, std::string("ldam"));
        QCOMPARE(paper.rebalance.type, std::string("cb-rw"));
        QVERIFY(paper.rebalance.deferred);
        QCOMPARE(paper.train.weightDecay, 2e-4);
        const auto r32 = loadPreset("fmnist-lt-resnet32");
        QCOMPARE(r32.train.model, std::string("resnet32"));
        QCOMPARE(r32.train.epochs, 20);
        // The large-scale recipes (docs/scale.md): the LDAM paper's iNaturalist run (Appendix B:
        // ResNet-50, 90 epochs, LR 0.1 decayed at 30 and 60, DRW from 60, max margin 0.3), Kang et
        // al.'s ImageNet-LT one (batch 512, LR 0.2, cosine, weight decay 5e-4) and the paper's Tiny
        // ImageNet one (ResNet-18 at 64 px, 120 epochs, decay at 90, 8-pixel crop padding).
        const auto inat = loadPreset("inat2018-resnet50");
        QCOMPARE(inat.dataset.pipeline, std::string("stream"));
        QCOMPARE(inat.dataset.crop, std::string("random"));
        QCOMPARE(inat.dataset.imageSize, 224);
        QCOMPARE(inat.train.schedule, std::string("step"));
        QCOMPARE(inat.train.lrDecayEpochs, (std::vector<int>{30, 60}));
        QCOMPARE(inat.loss.maxM, 0.3);
        QCOMPARE(inat.train.weightDecay, 1e-4);
        const auto lt = loadPreset("imagenet-lt-resnet50");
        QCOMPARE(lt.train.batchSize, 512);
        QCOMPARE(lt.train.lr, 0.2);
        QCOMPARE(lt.train.schedule, std::string("cosine"));
        QCOMPARE(loadPreset("imagenet-lt-resnet10").train.model, std::string("resnet10"));
        const auto tiny = loadPreset("tiny-imagenet-lt");
        QCOMPARE(tiny.train.cropPad, 8);
        QCOMPARE(tiny.train.lrDecayEpochs, (std::vector<int>{90}));
        for (const auto& n : names) validateConfig(loadPreset(n));
        // A config round trip keeps the new fields.
        const ExperimentConfig back = parseConfig(configToJson(inat), "inat.json");
        QCOMPARE(back.dataset.crop, inat.dataset.crop);
        QCOMPARE(back.dataset.resize, 256);
        QCOMPARE(back.train.lrDecayEpochs, inat.train.lrDecayEpochs);
        expectConfigError([] { loadPreset("nope"); }, "preset");
    }
};

QTEST_APPLESS_MAIN(TestConfigJson)
#include "tst_config_json.moc"
