// Texts in the app, driven as a user would: open a text folder (or drop it), the model that fits,
// the sample strip's lines of text, a run whose status speaks of texts, the confusion drill-down
// listing the misclassified texts, a table's columns offered in the Dataset panel, and the text
// settings round-tripping through the panel.
#include "charts/confusion_map_chart.h"
#include "main_window.h"
#include "panels/confusion_examples_dialog.h"
#include "panels/dataset_panel.h"
#include "panels/sample_strip.h"
#include "panels/training_panel.h"
#include "test_texts.h"

#include <QAction>
#include <QComboBox>
#include <QImage>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QtTest>

using namespace imblab;
using namespace imblab::ui;

class TestTextApp : public QObject {
    Q_OBJECT
private:
    QTemporaryDir dir_;
    QString topics_;

private Q_SLOTS:
    void initTestCase() {
        qputenv("IMBLAB_CACHE_DIR", "off");
        topics_ = dir_.filePath("topics");
        test::writeTwoTopics(topics_, 90, 20);
    }

    void textFolderTrainsAndShowsItsTexts() {
        MainWindow w(false);
        w.show();
        QVERIFY(w.findChild<QAction*>("openTextFolder"));
        QVERIFY(w.findChild<QAction*>("openTextTable"));
        QCOMPARE(w.openTextData(topics_), QString());
        QTRY_VERIFY_WITH_TIMEOUT(w.isDataLoaded(), 20000);
        // Texts take a text model, with Adam: chosen for the user, not refused at Train.
        TrainingPanel* t = w.trainingPanel();
        QCOMPARE(t->modelCombo()->currentData().toString(), QString("textbag"));
        DatasetPanel* d = w.datasetPanel();
        QCOMPARE(d->datasetCombo()->currentData().toString(), QString("text"));
        QVERIFY(d->maxTokensSpin()->isVisibleTo(d));
        QVERIFY(!d->textColumnCombo()->isVisibleTo(d));  // a folder has no columns
        QVERIFY(d->classOrderEdit()->isVisibleTo(d));
        // The strip shows lines of text for both classes, the minority (tools) included.
        QVERIFY(d->sampleStrip()->shownImages(0) > 0);
        QVERIFY(d->sampleStrip()->shownImages(1) > 0);
        DatasetSplit lines;
        lines.texts = {"first  line\nsecond", "0123456789"};
        QCOMPARE(datasetTextLine(lines, 0), QString("first line second"));  // one line, spaces folded
        QCOMPARE(datasetTextLine(lines, 1, 5), QString("0123") + QChar(0x2026));
        QCOMPARE(datasetTextLine(lines, 2), QString());
        QSignalSpy done(&w, &MainWindow::runFinished);
        w.trainAction()->trigger();
        QVERIFY(done.wait(120000));
        const RunRecord* run = w.run(1);
        QVERIFY(run && run->summary.hasFinalReport);
        QCOMPARE(run->config.train.model, std::string("textbag"));
        QCOMPARE(run->config.train.optimizer, std::string("adam"));
        QVERIFY(!run->info.vocabulary.empty());
        QVERIFY2(w.statusText().contains("texts/s"), qPrintable(w.statusText()));
        // The drill-down lists the texts of a cell, with where each came from.
        const MetricsReport* last = run->lastEpoch();
        int trueClass = 1, predicted = 1;  // a non-empty cell: the diagonal if nothing was confused
        if (last->confusion.at(1, 0) > 0) predicted = 0;
        QTest::mouseClick(w.confusionChart(), Qt::LeftButton, {}, w.confusionChart()->cellCenter(trueClass, predicted));
        const auto dialogs = w.findChildren<ConfusionExamplesDialog*>();
        QCOMPARE(dialogs.size(), 1);
        QCOMPARE(int64_t(dialogs.first()->matchCount()), last->confusion.at(trueClass, predicted));
        auto* texts = dialogs.first()->findChild<QTextBrowser*>("confusionTexts");
        QVERIFY(texts);
        QVERIFY2(texts->toPlainText().contains("/test/tools/"), qPrintable(texts->toPlainText().left(300)));
        QVERIFY(dialogs.first()->windowTitle().startsWith("Test texts: true tools"));
    }

    void tableColumnsAndTextSettingsInThePanel() {
        const std::string table = test::writeFile(dir_.filePath("reviews.csv"),
                                                  "id,review,stars\n1,\"Great, great film\",good\n2,awful film,bad\n"
                                                  "3,\"Fine\nfilm\",good\n4,bad bad,bad\n5,nice one,good\n6,dull one,bad\n");
        MainWindow w(false);
        w.show();
        QCOMPARE(w.openTextData(QString::fromStdString(table)), QString());
        QTRY_VERIFY_WITH_TIMEOUT(w.isDataLoaded(), 20000);
        DatasetPanel* d = w.datasetPanel();
        QVERIFY(d->textColumnCombo()->isVisibleTo(d));
        QCOMPARE(d->textColumnCombo()->itemText(0), QString("auto (review)"));
        QCOMPARE(d->labelColumnCombo()->itemText(0), QString("auto (stars)"));
        QCOMPARE(d->textColumnCombo()->count(), 4);  // auto and the three columns
        d->maxTokensSpin()->setValue(8);
        d->classOrderEdit()->setText("good, bad");
        DatasetConfig c = d->config();
        QCOMPARE(c.maxTokens, 8);
        QCOMPARE(c.classOrder, (std::vector<std::string>{"good", "bad"}));
        c.vocabSize = 50;
        c.minCount = 1;
        c.textColumn = "review";
        d->setConfig(c);
        const DatasetConfig back = d->config();
        QCOMPARE(back.vocabSize, 50);
        QCOMPARE(back.minCount, 1);
        QCOMPARE(back.textColumn, std::string("review"));
        QCOMPARE(back.classOrder, c.classOrder);
    }

    void droppedPathsOpenAsWhatTheyHold() {
        MainWindow w(false);
        QCOMPARE(w.openDropped(topics_), QString());
        QCOMPARE(w.datasetPanel()->config().id, std::string("text"));
        QTemporaryDir images;
        for (const char* c : {"cat", "dog"}) {
            QDir().mkpath(images.filePath(c));
            QImage(8, 8, QImage::Format_RGB32).save(images.filePath(QString(c) + "/0.png"));
        }
        QCOMPARE(w.openDropped(images.path()), QString());
        QCOMPARE(w.datasetPanel()->config().id, std::string("folder"));
        const auto jsonl = test::writeFile(dir_.filePath("t.jsonl"), "{\"text\": \"a\", \"label\": \"x\"}\n");
        QCOMPARE(w.openDropped(QString::fromStdString(jsonl)), QString());
        QCOMPARE(w.datasetPanel()->config().id, std::string("text"));
        const auto numbers = test::writeFile(dir_.filePath("n.csv"), "height,weight,label\n1,2,a\n3,4,b\n");
        QCOMPARE(w.openDropped(QString::fromStdString(numbers)), QString());
        QCOMPARE(w.datasetPanel()->config().id, std::string("csv"));
        const auto words = test::writeFile(dir_.filePath("w.csv"), "text,label\nhello there,a\nbye now,b\n");
        QCOMPARE(w.openDropped(QString::fromStdString(words)), QString());
        QCOMPARE(w.datasetPanel()->config().id, std::string("text"));
    }
};

QTEST_MAIN(TestTextApp)
#include "tst_text_app.moc"
