// The dataset panel driven like a user: sliders, profile, log toggle, hover text.
#include "charts/class_counts_chart.h"
#include "panels/dataset_panel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QSignalSpy>
#include <QSlider>
#include <QDir>
#include <QImage>
#include <QTemporaryDir>
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

    // Each source keeps its own folder: a folder chosen for the image-folder source does not go
    // with a switch back to Fashion-MNIST (which then loads from its default location again).
    void eachSourceRemembersItsFolder() {
        DatasetPanel panel;
        QTemporaryDir dir;
        for (const char* c : {"ants", "bees"})
            for (int i = 0; i < (c[0] == 'a' ? 3 : 1); ++i) {
                QImage img(4, 4, QImage::Format_Grayscale8);
                img.fill(i * 50);
                QDir().mkpath(dir.filePath(c));
                QVERIFY(img.save(dir.filePath(QString("%1/%2.png").arg(c).arg(i))));
            }
        QComboBox* source = panel.datasetCombo();
        source->setCurrentIndex(source->findData("folder"));
        panel.setFolder(dir.path());
        QCOMPARE(panel.config().id, std::string("folder"));
        QCOMPARE(panel.config().path, dir.path().toStdString());
        // Its natural counts (profile none), class names from the folder names, no error.
        panel.profileCombo()->setCurrentIndex(panel.profileCombo()->findData("none"));
        QVERIFY2(panel.errorLabel()->isHidden(), qPrintable(panel.errorLabel()->text()));
        QCOMPARE(panel.countsChart()->displayedCounts(), (QVector<double>{2, 1}));  // ants: one of 3 held out for test
        source->setCurrentIndex(source->findData("fashion-mnist"));
        QCOMPARE(panel.config().path, std::string());
        QVERIFY(panel.errorLabel()->isHidden());
        source->setCurrentIndex(source->findData("folder"));
        QCOMPARE(panel.config().path, dir.path().toStdString());
        // Settings the panel does not show survive a round trip.
        imblab::DatasetConfig c = panel.config();
        c.imageSize = 64;
        c.testSplit = 0.3;
        panel.setConfig(c);
        QCOMPARE(panel.config().imageSize, 64);
        QCOMPARE(panel.config().testSplit, 0.3);
    }

    // A list file's source shows "List file" and the test-split row; a table's also offers its
    // columns for the label (auto names the one it would pick); the test path stays with its source.
    void listAndTableSourcesShowTheirRows() {
        QTemporaryDir dir;
        QFile table(dir.filePath("t.csv"));
        QVERIFY(table.open(QIODevice::WriteOnly));
        table.write("size,weight,kind\n1,2,a\n3,4,b\n");
        table.close();
        DatasetPanel panel;
        panel.show();
        QComboBox* source = panel.datasetCombo();
        QVERIFY(panel.testPathEdit()->parentWidget()->isHidden());
        QVERIFY(panel.labelColumnCombo()->isHidden());
        source->setCurrentIndex(source->findData("list"));
        QVERIFY(!panel.testPathEdit()->parentWidget()->isHidden());
        QVERIFY(panel.labelColumnCombo()->isHidden());
        QCOMPARE(panel.folderEdit()->placeholderText(), QString("lines 'relative/path label'"));
        panel.testPathEdit()->setText("/data/test.txt");
        QCOMPARE(panel.config().testPath, std::string("/data/test.txt"));

        source->setCurrentIndex(source->findData("csv"));
        QCOMPARE(panel.config().testPath, std::string());  // the list's test file stays with the list
        QVERIFY(!panel.labelColumnCombo()->isHidden());
        panel.setFolder(dir.filePath("t.csv"));
        QComboBox* label = panel.labelColumnCombo();
        QCOMPARE(label->count(), 4);
        QCOMPARE(label->itemText(0), QString("auto (kind)"));
        QCOMPARE(panel.config().labelColumn, std::string());
        label->setCurrentIndex(label->findData("size"));
        QCOMPARE(panel.config().labelColumn, std::string("size"));
        // Before the table is read, no counts are guessed; a session's column survives a round trip.
        imblab::DatasetConfig c = panel.config();
        panel.setConfig(c);
        QCOMPARE(panel.config().labelColumn, std::string("size"));
        QCOMPARE(panel.config().path, dir.filePath("t.csv").toStdString());
        source->setCurrentIndex(source->findData("list"));
        QCOMPARE(panel.config().testPath, std::string("/data/test.txt"));
    }

    // iNaturalist's annotation files: the training file, the validation file as the test split
    // and the images' root, each in its row and in the config; Tiny ImageNet is a folder.
    void inaturalistTakesItsAnnotationFiles() {
        DatasetPanel panel;
        panel.show();
        QComboBox* source = panel.datasetCombo();
        source->setCurrentIndex(source->findData("inat"));
        QVERIFY(source->currentText().endsWith("(choose file)"));
        QVERIFY(!panel.testPathEdit()->parentWidget()->isHidden());
        QVERIFY(!panel.findChild<QLineEdit*>("listRoot")->parentWidget()->isHidden());
        QVERIFY(panel.findChild<QLineEdit*>("classNamesFile")->parentWidget()->isHidden());
        QVERIFY(panel.testPathEdit()->placeholderText().startsWith("val2018.json"));
        panel.folderEdit()->setText("/data/train2018.json");
        panel.testPathEdit()->setText("/data/val2018.json");
        panel.findChild<QLineEdit*>("listRoot")->setText("/data/images");
        const imblab::DatasetConfig c = panel.config();
        QCOMPARE(c.path, std::string("/data/train2018.json"));
        QCOMPARE(c.testPath, std::string("/data/val2018.json"));
        QCOMPARE(c.root, std::string("/data/images"));
        source->setCurrentIndex(source->findData("tiny-imagenet"));
        QVERIFY(source->currentText().endsWith("(choose folder)"));
        QVERIFY(panel.testPathEdit()->parentWidget()->isHidden());
        QCOMPARE(panel.config().testPath, std::string());
    }

    // A list whose images live elsewhere (the ImageNet-LT layout): the images root and the class
    // names file are set in the panel, reach the config, and the counts chart names the classes.
    void listFileTakesItsImagesRootAndClassNames() {
        QTemporaryDir lists, images;
        QFile list(lists.filePath("train.txt")), names(lists.filePath("names.txt"));
        QVERIFY(list.open(QIODevice::WriteOnly) && names.open(QIODevice::WriteOnly));
        for (int i = 0; i < 5; ++i) {  // label 0: 3 files, label 1: 2 files
            const QString rel = QString("img/%1.png").arg(i);
            QDir().mkpath(images.filePath("img"));
            QImage img(4, 4, QImage::Format_Grayscale8);
            img.fill(i * 40);
            QVERIFY(img.save(images.filePath(rel)));
            list.write(QString("%1 %2\n").arg(rel).arg(i < 3 ? 0 : 1).toUtf8());
        }
        list.close();
        names.write("sea urchin\nstarfish\n");
        names.close();

        DatasetPanel panel;
        panel.show();
        QComboBox* source = panel.datasetCombo();
        QVERIFY(panel.listRootEdit()->parentWidget()->isHidden());
        source->setCurrentIndex(source->findData("list"));
        QVERIFY(!panel.listRootEdit()->parentWidget()->isHidden());
        QVERIFY(!panel.classNamesFileEdit()->parentWidget()->isHidden());
        panel.profileCombo()->setCurrentIndex(panel.profileCombo()->findData("none"));
        panel.setFolder(lists.filePath("train.txt"));
        QSignalSpy reload(&panel, &DatasetPanel::dataSourceChanged);
        panel.setListRoot(images.path());
        panel.setClassNamesFile(lists.filePath("names.txt"));
        QCOMPARE(reload.count(), 2);
        QCOMPARE(panel.config().root, images.path().toStdString());
        QCOMPARE(panel.config().classNamesFile, lists.filePath("names.txt").toStdString());
        QVERIFY2(panel.errorLabel()->isHidden(), qPrintable(panel.errorLabel()->text()));
        QCOMPARE(panel.countsChart()->displayedCounts(), (QVector<double>{2, 1}));  // one of each held out
        QVERIFY(panel.countsChart()->hoverText(0).contains("sea urchin"));
        QVERIFY(panel.countsChart()->hoverText(1).contains("starfish"));
        // A round trip keeps both; another source neither shows nor sends them.
        panel.setConfig(panel.config());
        QCOMPARE(panel.listRootEdit()->text(), images.path());
        source->setCurrentIndex(source->findData("folder"));
        QVERIFY(panel.listRootEdit()->parentWidget()->isHidden());
        QCOMPARE(panel.config().root, std::string());
        QCOMPARE(panel.config().classNamesFile, std::string());
        // A names file with too few lines for the labels is an error naming it.
        source->setCurrentIndex(source->findData("list"));
        QFile shortNames(lists.filePath("one.txt"));
        QVERIFY(shortNames.open(QIODevice::WriteOnly));
        shortNames.write("sea urchin\n");
        shortNames.close();
        panel.setClassNamesFile(lists.filePath("one.txt"));
        QVERIFY(!panel.errorLabel()->isHidden());
        QVERIFY2(panel.errorLabel()->text().contains("train.txt") || panel.errorLabel()->text().contains("one.txt"),
                 qPrintable(panel.errorLabel()->text()));
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
