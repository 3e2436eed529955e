// The dataset panel driven like a user: sliders, profile, log toggle, hover text.
#include "charts/class_counts_chart.h"
#include "panels/dataset_panel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QSignalSpy>
#include <QSlider>
#include <QtTest>

using namespace imblab::ui;

class TestDatasetPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultsShowFashionMnistLt() {
        DatasetPanel panel;
        QCOMPARE(panel.countsChart()->displayedCounts(),
                 (QVector<double>{6000, 3596, 2156, 1292, 774, 464, 278, 166, 100, 60}));
        QCOMPARE(panel.countsChart()->displayedMinority(),
                 (QVector<bool>{false, false, false, false, false, true, true, true, true, true}));
    }

    void movingRhoUpdatesCountsInstantly() {
        DatasetPanel panel;
        panel.show();
        QSignalSpy spy(&panel, &DatasetPanel::configChanged);
        // The log slider: position 100 ↔ ρ = 10^1.
        panel.rhoSlider()->setValue(100);
        QCOMPARE(panel.rhoSpin()->value(), 10.0);
        QCOMPARE(panel.countsChart()->displayedCounts(),
                 (QVector<double>{6000, 4645, 3596, 2784, 2156, 1669, 1292, 1000, 774, 600}));
        QVERIFY(spy.count() >= 1);
        // Keyboard on the slider: End → ρ = 1000, the rarest class keeps ⌊6000/1000⌋ = 6.
        panel.rhoSlider()->setFocus();
        QTest::keyClick(panel.rhoSlider(), Qt::Key_End);
        QCOMPARE(panel.rhoSpin()->value(), 1000.0);
        QCOMPARE(panel.countsChart()->displayedCounts().back(), 6.0);
        // Typing in the spin box moves the slider.
        panel.rhoSpin()->setValue(1);
        QCOMPARE(panel.rhoSlider()->value(), 0);
        QCOMPARE(panel.countsChart()->displayedCounts(), QVector<double>(10, 6000));
    }

    void stepProfileWithMu() {
        DatasetPanel panel;
        panel.profileCombo()->setCurrentIndex(panel.profileCombo()->findData(QStringLiteral("step")));
        QVERIFY(panel.muSlider()->isEnabled());
        panel.rhoSpin()->setValue(10);
        panel.muSlider()->setValue(20);  // μ = 0.2 → 2 of 10 classes are minority
        QCOMPARE(panel.countsChart()->displayedCounts(),
                 (QVector<double>{6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 600, 600}));
        QCOMPARE(panel.config().mu, 0.2);
        QCOMPARE(panel.config().profile, std::string("step"));
    }

    void hoverAndLogScale() {
        DatasetPanel panel;
        QVERIFY(panel.countsChart()->hoverText(9).contains("Ankle boot"));
        QVERIFY(panel.countsChart()->hoverText(9).contains("60 training examples"));
        QVERIFY(panel.countsChart()->hoverText(9).contains("minority"));
        QVERIFY(!panel.countsChart()->hoverText(0).contains("minority"));
        QVERIFY(!panel.countsChart()->logScale());
        auto* box = panel.findChild<QCheckBox*>();
        QVERIFY(box);
        for (auto* b : panel.findChildren<QCheckBox*>())
            if (b->text().contains("log")) box = b;
        box->click();
        QVERIFY(panel.countsChart()->logScale());
        QCOMPARE(panel.countsChart()->yAxis->scaleType(), QCPAxis::stLogarithmic);
    }

    void invalidRhoTypedIsRefusedByTheSpinBox() {
        DatasetPanel panel;
        panel.rhoSpin()->setValue(0.2);  // below the minimum: clamped to 1, never a crash
        QCOMPARE(panel.rhoSpin()->value(), 1.0);
        QVERIFY(panel.errorLabel()->isHidden());
    }
};

QTEST_MAIN(TestDatasetPanel)
#include "tst_dataset_panel.moc"
