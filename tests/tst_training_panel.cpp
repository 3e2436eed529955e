// The training panel's speed choice: each mode writes its precision, layout and determinism; a
// loaded combination that no mode names is shown as such and kept; other settings are untouched.
#include "io/config_json.h"
#include "panels/training_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QToolButton>
#include <QtTest>

using namespace imblab;
using namespace imblab::ui;

namespace {

ExperimentConfig applied(const TrainingPanel& panel) {
    ExperimentConfig c;
    panel.applyTo(c);
    return c;
}

void choose(QComboBox* combo, const QString& data) {
    const int i = combo->findData(data);
    QVERIFY2(i >= 0, qPrintable(data));
    combo->setCurrentIndex(i);
}

} // namespace

class TestTrainingPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void saysWhenATypedValueIsClamped() {
        TrainingPanel p;
        p.show();
        QSignalSpy clamped(&p, &TrainingPanel::clamped);
        QDoubleSpinBox* lr = p.lrSpin();
        lr->setFocus();
        lr->selectAll();
        QTest::keyClicks(lr, "1000");
        QTest::keyClick(lr, Qt::Key_Return);
        QCOMPARE(lr->value(), 10.0);  // the box's maximum
        QCOMPARE(clamped.size(), 1);
        const QString message = clamped.first().first().toString();
        QVERIFY2(message.startsWith("Learning rate: 1000 is above the allowed"), qPrintable(message));
        QVERIFY2(message.endsWith("so it was set to 10."), qPrintable(message));
        // A value inside the range says nothing.
        lr->selectAll();
        QTest::keyClicks(lr, "0.5");
        QTest::keyClick(lr, Qt::Key_Return);
        QCOMPARE(lr->value(), 0.5);
        QCOMPARE(clamped.size(), 1);
    }

    void saysWhereTheScheduleFalls() {
        TrainingPanel panel;
        ExperimentConfig c;
        c.rebalance.type = "cb-rw";
        c.rebalance.deferred = true;
        c.train.epochs = 20;
        panel.setFrom(c);
        QCOMPARE(panel.scheduleNote(), QString("LR ×0.01 after epoch 16, ×0.0001 after epoch 18; deferred re-balancing with the first decay"));
        panel.epochsSpin()->setValue(2);  // too short for epoch points: placed by step
        QVERIFY2(panel.scheduleNote().contains("80 %") && panel.scheduleNote().contains("DRW switches"), qPrintable(panel.scheduleNote()));
    }

    void speedModesWriteTheirSettings_data() {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("precision");
        QTest::addColumn<bool>("channelsLast");
        QTest::addColumn<bool>("deterministic");
        QTest::newRow("fp32") << "fp32" << "fp32" << false << true;
        QTest::newRow("fast") << "fast" << "bf16" << true << true;
        QTest::newRow("fastest") << "fastest" << "bf16" << true << false;
        QTest::newRow("auto") << "auto" << "auto" << false << true;
    }
    void speedModesWriteTheirSettings() {
        QFETCH(QString, mode);
        QFETCH(QString, precision);
        QFETCH(bool, channelsLast);
        QFETCH(bool, deterministic);
        TrainingPanel panel;
        QCOMPARE(panel.speedCombo()->currentData().toString(), QString("fp32"));  // the preset's default
        QSignalSpy changed(&panel, &TrainingPanel::changed);
        choose(panel.speedCombo(), mode);
        const auto c = applied(panel);
        QCOMPARE(QString::fromStdString(c.train.precision), precision);
        QCOMPARE(c.train.channelsLast, channelsLast);
        QCOMPARE(c.train.deterministic, deterministic);
        QCOMPARE(c.train.model, std::string("cnn"));  // the rest is the quick preset's
        QCOMPARE(c.train.pipeline, std::string("auto"));
        if (mode != "fp32") QCOMPARE(changed.count(), 1);
    }

    // "auto" is chosen by a loaded config and, once a run has measured, says what it chose.
    void autoSpeedSaysWhatWasChosen() {
        TrainingPanel panel;
        auto c = loadPreset("fmnist-lt-quick");
        c.train.precision = "auto";
        panel.setFrom(c);
        QCOMPARE(panel.speedCombo()->currentData().toString(), QString("auto"));
        const QString note = "fast: bf16 + channels-last 7900 vs fp32 2300 img/s (3.43x), measured now for cnn on cpu";
        panel.setSpeedNote(note);
        QCOMPARE(panel.speedCombo()->currentText(), QString("auto: fast for this model here"));
        QCOMPARE(panel.speedCombo()->itemData(panel.speedCombo()->currentIndex(), Qt::ToolTipRole).toString(), note);
        QCOMPARE(applied(panel).train.precision, std::string("auto"));
    }

    void loadedSettingsSelectTheirMode() {
        TrainingPanel panel;
        auto c = loadPreset("fmnist-lt-resnet32");
        c.train.precision = "bf16";
        c.train.channelsLast = true;
        c.train.deterministic = false;
        panel.setFrom(c);
        QCOMPARE(panel.speedCombo()->currentData().toString(), QString("fastest"));
        QCOMPARE(panel.speedCombo()->count(), 4);  // auto, fp32, fast, fastest
    }

    void aCombinationNoModeNamesIsKept() {
        TrainingPanel panel;
        auto c = loadPreset("fmnist-lt-resnet32");
        c.train.channelsLast = true;  // fp32 + channels-last: none of the four modes
        c.train.deterministic = false;
        c.train.pipeline = "device";
        panel.setFrom(c);
        QCOMPARE(panel.speedCombo()->currentData().toString(), QString("custom"));
        QCOMPARE(panel.speedCombo()->currentText(), QString("as loaded: fp32, channels-last, autotuned"));
        auto out = applied(panel);
        QCOMPARE(out.train.precision, std::string("fp32"));
        QVERIFY(out.train.channelsLast);
        QVERIFY(!out.train.deterministic);
        QCOMPARE(out.train.pipeline, std::string("device"));  // no widget: kept from what was loaded

        // Choosing a mode overrides it; choosing "as loaded" again brings the loaded values back.
        choose(panel.speedCombo(), "fast");
        out = applied(panel);
        QCOMPARE(out.train.precision, std::string("bf16"));
        QVERIFY(out.train.deterministic);
        choose(panel.speedCombo(), "custom");
        out = applied(panel);
        QCOMPARE(out.train.precision, std::string("fp32"));
        QVERIFY(!out.train.deterministic);

        // Loading a named mode afterwards removes the "as loaded" entry.
        panel.setFrom(loadPreset("fmnist-lt-quick"));
        QCOMPARE(panel.speedCombo()->count(), 4);
        QCOMPARE(panel.speedCombo()->currentData().toString(), QString("fp32"));
    }

    void lockingDisablesTheSpeedChoice() {
        TrainingPanel panel;
        panel.setLocked(true);
        QVERIFY(!panel.speedCombo()->isEnabled());
        panel.setLocked(false);
        QVERIFY(panel.speedCombo()->isEnabled());
    }

    // Mixing, SAM and MaxNorm show only their own parameter, write their fields, and a loaded
    // config selects them again.
    void methodsSince2019ShowOnlyTheirParameters() {
        TrainingPanel panel;
        panel.show();
        panel.advancedToggle()->setChecked(true);
        QVERIFY(!panel.isParameterVisible("alpha"));
        QVERIFY(!panel.isParameterVisible("rho"));
        QCOMPARE(applied(panel).train.mixup, 0.0);
        choose(panel.mixingCombo(), "cutmix");
        QVERIFY(panel.isParameterVisible("alpha"));
        panel.mixingAlphaSpin()->setValue(0.5);
        QCOMPARE(applied(panel).train.cutmix, 0.5);
        QCOMPARE(applied(panel).train.mixup, 0.0);
        choose(panel.samCombo(), "imbsam");
        QVERIFY(panel.isParameterVisible("rho"));
        panel.samRhoSpin()->setValue(0.1);
        auto c = applied(panel);
        QCOMPARE(c.train.sam, 0.1);
        QVERIFY(c.train.imbsam);
        choose(panel.samCombo(), "off");
        QVERIFY(!panel.isParameterVisible("rho"));
        QCOMPARE(applied(panel).train.sam, 0.0);

        choose(panel.lossCombo(), "ce");
        QVERIFY(panel.maxNormCheck()->isEnabled());
        panel.maxNormCheck()->setChecked(true);
        panel.maxNormSpin()->setValue(2.5);
        QCOMPARE(applied(panel).train.maxNorm, 2.5);
        choose(panel.lossCombo(), "ldam");  // a cosine head: nothing to bound, and it says why
        QVERIFY(!panel.maxNormCheck()->isEnabled());
        QVERIFY(panel.maxNormCheck()->toolTip().contains("cosine head"));
        QCOMPARE(applied(panel).train.maxNorm, 0.0);

        choose(panel.lossCombo(), "ce");
        choose(panel.stage2Combo(), "crt");
        QVERIFY(panel.stage2EpochsSpin()->isVisibleTo(&panel));
        panel.stage2EpochsSpin()->setValue(4);
        QCOMPARE(applied(panel).train.stage2, std::string("crt"));
        QCOMPARE(applied(panel).train.stage2Epochs, 4);
        choose(panel.stage2Combo(), "tau-norm");
        QVERIFY(!panel.stage2EpochsSpin()->isVisibleTo(&panel));  // no training, no epochs
        choose(panel.lossCombo(), "ldam");
        QVERIFY(!panel.stage2Combo()->isEnabled());
        QCOMPARE(applied(panel).train.stage2, std::string("none"));

        ExperimentConfig loaded = loadPreset("fmnist-lt-quick");
        loaded.train.mixup = 0.2;
        loaded.train.sam = 0.8;
        panel.setFrom(loaded);
        QCOMPARE(panel.mixingCombo()->currentData().toString(), QString("mixup"));
        QCOMPARE(panel.mixingAlphaSpin()->value(), 0.2);
        QCOMPARE(panel.samCombo()->currentData().toString(), QString("sam"));
        c = applied(panel);
        QCOMPARE(c.train.mixup, 0.2);
        QCOMPARE(c.train.sam, 0.8);
        QVERIFY(!c.train.imbsam);
    }

    // The advanced settings start closed, open on a click, and the closed section still names the
    // methods that are on.
    void advancedSettingsCollapseAndNameWhatIsOn() {
        TrainingPanel panel;
        panel.show();
        QVERIFY(!panel.advancedToggle()->isChecked());
        QVERIFY(!panel.speedCombo()->isVisibleTo(&panel));
        QVERIFY(!panel.stage2Combo()->isVisibleTo(&panel));
        QVERIFY(panel.lrSpin()->isVisibleTo(&panel));  // the everyday settings stay in view
        QCOMPARE(panel.advancedToggle()->text(), QString("Advanced settings"));
        ExperimentConfig c = loadPreset("fmnist-lt-quick");
        c.train.mixup = 1.0;
        c.train.stage2 = "crt";
        panel.setFrom(c);
        QCOMPARE(panel.advancedToggle()->text(), QString("Advanced settings · mixup, cRT"));
        QTest::mouseClick(panel.advancedToggle(), Qt::LeftButton);
        QVERIFY(panel.advancedToggle()->isChecked());
        QVERIFY(panel.speedCombo()->isVisibleTo(&panel));
        QVERIFY(panel.stage2EpochsSpin()->isVisibleTo(&panel));
        panel.setLocked(true);  // a run locks the advanced settings too
        QVERIFY(!panel.stage2Combo()->isEnabled());
        QVERIFY(panel.advancedToggle()->isEnabled());
    }
};

QTEST_MAIN(TestTrainingPanel)
#include "tst_training_panel.moc"
