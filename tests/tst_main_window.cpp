// The main window driven like a user: train, watch the curves fill, pause, stop, bad data,
// exports, sessions, confusion drill-down, closing mid-run.
#include "api/engine.h"
#include "charts/chart_export.h"
#include "charts/chart_style.h"
#include "charts/chart_export_dialog.h"
#include "charts/class_counts_chart.h"
#include "charts/class_error_bars_chart.h"
#include "charts/confusion_map_chart.h"
#include "charts/error_curves_chart.h"
#include "charts/margin_histogram_chart.h"
#include "charts/run_charts_view.h"
#include "charts/tau_norm_dialog.h"
#include "help/getting_started_dialog.h"
#include "panels/confusion_examples_dialog.h"
#include "panels/dataset_panel.h"
#include "panels/sample_strip.h"
#include "io/config_json.h"
#include "io/safetensors.h"
#include "io/onnx_export.h"
#include "util/blas_library.h"
#include "duration_text.h"
#include "progress_text.h"
#include "main_window.h"
#include "runs/queue_dialog.h"
#include "runs/run_folder_follower.h"
#include "runs/run_comparison_dialog.h"
#include "runs/runs_table_view.h"
#include "runs/runs_view.h"
#include "panels/training_panel.h"

#include <QAction>
#include <QApplication>
#include <QRegularExpression>
#include <QTimer>
#include <QMessageBox>
#include <QTableWidget>
#include <QTextBrowser>
#include <QElapsedTimer>
#include <QListWidget>
#include <QMimeData>
#include <QProcess>
#include <QDialog>
#include <QProgressBar>
#include <QToolButton>
#include <QPushButton>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

using namespace imblab;
using namespace imblab::ui;

namespace {

// 2 blobs, ρ = 20 → 500 and 25 training points, MLP: a run takes well under a second.
void useBlobs(MainWindow& w, int epochs) {
    ExperimentConfig c = loadPreset("blobs-teaching");
    c.train.epochs = epochs;
    w.applyConfig(c);
    QTRY_VERIFY_WITH_TIMEOUT(w.isDataLoaded(), 10000);
}

QByteArray head(const QString& path, int n) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.read(n) : QByteArray();
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void chartsNameTheRunTheyShow() {
        MainWindow w(false);
        w.show();
        for (int i = 0; i < 4; ++i) QVERIFY(w.runCharts()->runLabel(i).startsWith("No run yet: press Train (Ctrl+R)"));
        QCOMPARE(w.suggestedFileName("report.pdf"), QString("report.pdf"));
        useBlobs(w, 2);
        // Empty charts already show the dataset's classes on their class axes.
        QTRY_VERIFY(qSharedPointerDynamicCast<QCPAxisTickerText>(w.errorBars()->xAxis->ticker()));
        const auto ticks = qSharedPointerDynamicCast<QCPAxisTickerText>(w.errorBars()->xAxis->ticker())->ticks();
        QCOMPARE(ticks.values(), (QList<QString>{"A", "B"}));
        const auto rows = qSharedPointerDynamicCast<QCPAxisTickerText>(w.runCharts()->margins()->yAxis->ticker());
        QVERIFY(rows && rows->ticks().values() == (QList<QString>{"A", "B"}));
        QVERIFY(w.runCharts()->runLabel(3).startsWith("No run yet"));
        QSignalSpy done(&w, &MainWindow::runFinished);
        w.trainAction()->trigger();
        QVERIFY(done.wait(60000));
        for (int i = 0; i < 4; ++i)
            QVERIFY2(w.runCharts()->runLabel(i).startsWith("Run #1 ERM · blobs"), qPrintable(w.runCharts()->runLabel(i)));
        // Exports default to names that say which run they came from.
        QCOMPARE(w.suggestedFileName("report.pdf"), QString("run1_erm_blobs_exp-rho20_report.pdf"));
        QCOMPARE(w.runCharts()->charts()[0].first->property(kChartFileStemProperty).toString(), QString("run1_erm_blobs_exp-rho20"));
        // Where it trained and what a CPU run's numbers depend on besides its settings, as the
        // report and the Runs list's tooltip give it.
        const QString compute = w.run(1)->computeText();
        QVERIFY2(QRegularExpression(QString("^cpu \\(%1 threads?, LibTorch \\d+\\.\\d+\\.\\d+, %2\\), (host|device) pipeline, (fp32|bf16)")
                                        .arg(w.run(1)->info.cpuThreads)
                                        .arg(QRegularExpression::escape(QString::fromStdString(w.run(1)->info.blasLibrary))))
                     .match(compute).hasMatch() && w.run(1)->info.cpuThreads > 0 && !w.run(1)->info.blasLibrary.empty(),
                 qPrintable(compute));
        QVERIFY2(w.runsView()->item(0, RunsView::Name)->toolTip().contains(compute), qPrintable(w.runsView()->item(0, RunsView::Name)->toolTip()));
        // A second run, then back to the first: the charts, the names and the status bar follow.
        w.trainingPanel()->rebalanceCombo()->setCurrentIndex(w.trainingPanel()->rebalanceCombo()->findData("rw"));
        w.trainAction()->trigger();
        QVERIFY(done.wait(60000));
        QVERIFY(w.runCharts()->runLabel(2).startsWith("Run #2 RW"));
        w.runsView()->selectRun(1);
        QTRY_VERIFY(w.runCharts()->runLabel(0).startsWith("Run #1 ERM"));
        QVERIFY2(w.statusText().startsWith("Showing run #1 ERM"), qPrintable(w.statusText()));
        QVERIFY(w.suggestedFileName("metrics.csv").startsWith("run1_erm"));
        // Overlaid runs: run colours (never a class colour), named by run, and the label says so.
        w.runCharts()->setOverlays({w.run(1), w.run(2)});
        const QStringList names = w.errorCurves()->overlayNames();
        QCOMPARE(names.size(), 2);
        QVERIFY(names[0].startsWith("run #1 ERM") && names[1].startsWith("run #2 RW"));
        for (const QColor& c : w.errorCurves()->overlayColors())
            for (int k = 0; k < 10; ++k) QVERIFY(c != classColor(k));
        QVERIFY(w.errorCurves()->overlayColors()[0] != w.errorCurves()->overlayColors()[1]);
        QVERIFY2(w.runCharts()->runLabel(0).endsWith("overlaid: balanced error of runs #1, #2"), qPrintable(w.runCharts()->runLabel(0)));
        QVERIFY(w.runCharts()->runLabel(1).startsWith("Run #1 ERM"));  // the others show one run, and say which
        // A second seed of run #1's settings: overlaid together, the two are one group, drawn as
        // their mean with the min–max band behind it; RW stays a run of its own.
        ExperimentConfig seed1 = w.run(1)->config;
        seed1.train.seed = 1;
        w.applyConfig(seed1);
        w.trainAction()->trigger();
        QVERIFY(done.wait(60000));
        const int third = done.last().first().toInt();
        w.runCharts()->setOverlays({w.run(1), w.run(2), w.run(third)});
        const QStringList grouped = w.errorCurves()->overlayNames();
        QCOMPARE(grouped.size(), 2);
        QVERIFY2(grouped[0].startsWith(QString("runs #1, #%1 ERM: mean of 2 seeds").arg(third)), qPrintable(grouped[0]));
        QVERIFY(grouped[1].startsWith("run #2 RW"));
        const auto mean = w.errorCurves()->overlayCurve(0);
        const auto [lower, upper] = w.errorCurves()->overlayBand(0);
        QCOMPARE(mean.size(), 2);
        QCOMPARE(lower.size(), 2);
        for (int e = 0; e < 2; ++e) {
            const double a = w.run(1)->epochReports[size_t(e)].balancedError, b = w.run(third)->epochReports[size_t(e)].balancedError;
            QCOMPARE(mean[e].y(), (a + b) / 2);
            QCOMPARE(lower[e].y(), std::min(a, b));
            QCOMPARE(upper[e].y(), std::max(a, b));
        }
        QVERIFY(w.errorCurves()->overlayBand(1).first.isEmpty());  // one run: no band
        // A PDF report carries the run's name in its charts (their label row is part of them).
        QTemporaryDir dir;
        QCOMPARE(w.writeRunReport(1, dir.filePath("r.pdf")), QString());
        QVERIFY(QFileInfo(dir.filePath("r.pdf")).size() > 1000);
    }

    void runsListFitsTheFirstWindowSize() {
        MainWindow w(false);  // opens at 1280×800
        w.show();
        useBlobs(w, 2);
        QSignalSpy done(&w, &MainWindow::runFinished);
        w.trainAction()->trigger();
        QVERIFY(done.wait(60000));
        QTest::qWait(100);
        RunsView* v = w.runsView();
        QVERIFY2(v->horizontalScrollBar()->maximum() == 0, "the Runs list scrolls sideways at 1280 px");
        for (int c : {RunsView::Name, RunsView::Status, RunsView::Balanced, RunsView::Minority, RunsView::Frequent, RunsView::Epochs}) {
            QVERIFY(!v->isColumnHidden(c));
            const QString text = v->item(0, c)->text();
            QVERIFY2(v->fontMetrics().horizontalAdvance(text) <= v->columnWidth(c), qPrintable(text));
        }
        QVERIFY(v->item(0, RunsView::Name)->toolTip().contains("blobs"));  // the rest is in the tooltip
    }

    void aCollapsedRunIsNotASuccess() {
        MainWindow w(false);
        w.show();
        ExperimentConfig c = loadPreset("blobs-teaching");
        c.train.epochs = 10;
        c.train.lr = 10;  // Adam at 10: every test point predicted A
        w.applyConfig(c);
        QTRY_VERIFY_WITH_TIMEOUT(w.isDataLoaded(), 10000);
        QSignalSpy done(&w, &MainWindow::runFinished);
        w.trainAction()->trigger();
        QVERIFY(done.wait(60000));
        const int id = done.first().first().toInt();
        QCOMPARE(w.runsView()->cellText(id, RunsView::Status), QString("collapsed"));
        QVERIFY2(w.bannerText().contains("collapsed: predicts A for 100 % of the test examples"), qPrintable(w.bannerText()));
        QVERIFY(w.bannerText().contains("learning rate 10 is far above the usual"));
    }

    void trainingFillsEveryClassCurve() {
        MainWindow w(false);
        w.show();
        useBlobs(w, 4);
        QSignalSpy done(&w, &MainWindow::runFinished);
        w.trainAction()->trigger();
        QVERIFY(w.isTraining());
        QVERIFY(!w.trainAction()->isEnabled());
        QVERIFY(!w.datasetPanel()->rhoSlider()->isEnabled());  // locked while training
        QVERIFY(done.wait(60000));
        const int id = done.first().first().toInt();
        QTRY_VERIFY(!w.isTraining());
        const RunRecord* run = w.run(id);
        QVERIFY(run);
        QCOMPARE(run->info.classCounts, (std::vector<int64_t>{500, 25}));
        QCOMPARE(w.errorCurves()->classCount(), 2);
        // A 4-epoch run is tested twice an epoch: mid-epoch and at the end, said in the title.
        QCOMPARE(run->info.evaluationsPerEpoch, 2);
        QVERIFY2(w.errorCurves()->titleText().contains("2× per epoch"), qPrintable(w.errorCurves()->titleText()));
        for (int c = 0; c < 2; ++c) {
            const auto test = w.errorCurves()->testCurve(c);
            QCOMPARE(test.size(), 8);
            QVERIFY(test.front().x() > 0.3 && test.front().x() < 0.7);  // within the first epoch
            for (int e = 0; e < 4; ++e) {
                QCOMPARE(test[2 * e + 1].x(), e + 1.0);
                QCOMPARE(test[2 * e + 1].y(), run->epochReports[size_t(e)].testErrorPerClass[size_t(c)]);
            }
            QVERIFY(!w.errorCurves()->trainCurve(c).isEmpty());
        }
        QCOMPARE(w.errorCurves()->balancedCurve().size(), 8);
        // A click on a class's legend entry brings it to the front, the others faint; again: all.
        ErrorCurvesChart* curves = w.errorCurves();
        Q_EMIT curves->legendClick(curves->legend, curves->legend->itemWithPlottable(curves->testGraph(1)), nullptr);
        QCOMPARE(curves->soloedClass(), 1);
        QCOMPARE(curves->testGraph(0)->pen().color().alpha(), 40);
        QCOMPARE(curves->testGraph(1)->pen().color().alpha(), 255);
        Q_EMIT curves->legendClick(curves->legend, curves->legend->itemWithPlottable(curves->testGraph(1)), nullptr);
        QCOMPARE(curves->soloedClass(), -1);
        QCOMPARE(curves->testGraph(0)->pen().color().alpha(), 255);
        QVERIFY(curves->testGraph(0)->visible());  // a class entry never hides its class
        // Margin histograms hold every training example of each class.
        for (int c = 0; c < 2; ++c) {
            double total = 0;
            for (double v : w.marginChart()->drawnHistogram(c)) total += v;
            QCOMPARE(total, double(run->info.classCounts[size_t(c)]));
        }
        QCOMPARE(w.errorBars()->testBars().size(), 2);
        QCOMPARE(w.runsView()->cellText(id, RunsView::Status), QString("finished"));
        QCOMPARE(w.runsView()->cellText(id, RunsView::Balanced),
                 QString::number(100 * run->lastEpoch()->balancedError, 'f', 1));
        QCOMPARE(w.runsView()->cellText(id, RunsView::Name), QString("#%1 ERM").arg(id));
        QVERIFY(w.statusLabel()->text().contains("finished"));
        QVERIFY(w.trainAction()->isEnabled());

        // A linear head's run draws its τ-normalisation curve, τ = 0 … 2, with no training.
        QVERIFY(tauNormUnavailableReason(*run).isEmpty());
        TauNormDialog tau(*run);
        QCOMPARE(tau.plot()->graph(0)->dataCount(), 21);
        QCOMPARE(tau.plot()->graph(0)->data()->at(10)->key, 1.0);
        QCOMPARE(tau.plot()->graph(0)->data()->at(10)->value, 100 * run->summary.tauNormBalancedError[10]);
        QCOMPARE(tau.plot()->graph(1)->data()->at(0)->value, 100 * run->lastEpoch()->balancedError);  // as trained
        QVERIFY2(tau.summaryText().contains("τ = 1"), qPrintable(tau.summaryText()));
        QVERIFY(tau.windowTitle().contains(QString("#%1").arg(id)));
    }

    void helpHasAGettingStartedPage() {
        MainWindow w(false);
        auto* action = w.findChild<QAction*>("gettingStarted");
        QVERIFY(action);
        QCOMPARE(action->shortcut(), QKeySequence(QKeySequence::HelpContents));
        action->trigger();
        auto* dialog = w.findChild<GettingStartedDialog*>();
        QVERIFY(dialog);
        const QString text = dialog->page()->toPlainText();
        for (const char* key : {"Ctrl+R", "Ctrl+B", "Ctrl+D", "Ctrl+G", "Ctrl+T", "imblab-cli train"})
            QVERIFY2(text.contains(QString::fromUtf8(key)), key);
    }

    // The status bar's "finished after …": a run of 0.19 s on the GPU read "after 0 s".
    void durationsKeepTenthsUnderTenSeconds() {
        QCOMPARE(durationText(0.19), QStringLiteral("0.2 s"));
        QCOMPARE(durationText(3.04), QStringLiteral("3.0 s"));
        QCOMPARE(durationText(9.94), QStringLiteral("9.9 s"));
        QCOMPARE(durationText(9.96), QStringLiteral("10 s"));
        QCOMPARE(durationText(42.4), QStringLiteral("42 s"));
        QCOMPARE(durationText(185.0), QStringLiteral("3 min 5 s"));
        QCOMPARE(durationText(-1), QStringLiteral("–"));
    }

    // The status bar's progress: a second stage's reports carry no img/s (its head trains on feature
    // rows), which the line leaves out instead of reading "0 img/s".
    void progressLeavesOutAMissingSpeed() {
        MetricsReport r;
        r.epoch = 3;
        r.step = 350;
        r.totalSteps = 1800;
        r.imgPerSec = 8123.4;
        r.etaSeconds = 42.4;
        QCOMPARE(progressText(3, 20, r), QStringLiteral("Run #3 · epoch 4/20 · step 350/1800 · 8123 img/s · ETA 42 s"));
        r.imgPerSec = 0;
        r.etaSeconds = 3.04;
        QCOMPARE(progressText(3, 20, r), QStringLiteral("Run #3 · epoch 4/20 · step 350/1800 · ETA 3.0 s"));
    }

    // Help ▸ About names what computes here (LibTorch, CPU threads and BLAS, CUDA).
    void helpAboutSaysWhatComputes() {
        MainWindow w(false);
        auto* about = w.findChild<QAction*>("about");
        QVERIFY(about);
        QString text;
        QTimer closer;  // the box is modal: read and close it from inside its own event loop
        connect(&closer, &QTimer::timeout, [&] {
            if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
                text = box->text();
                box->accept();
            }
        });
        closer.start(20);
        about->trigger();
        closer.stop();
        const QString libraries = QString::fromStdString(computeLibraries());
        // The BLAS is named as the loader found it: "OpenBLAS 0.3.21 (OpenMP, Haswell)" here, "MKL
        // (linked into LibTorch)" with PyTorch's LibTorch on the GPU machine.
        static const QRegularExpression shape(
            QStringLiteral("^LibTorch \\S+ · CPU: \\d+ threads?, (.+) · CUDA: (not available|\\d+ GPUs?)$"));
        const auto m = shape.match(libraries);
        QVERIFY2(m.hasMatch(), qPrintable(libraries));
        QCOMPARE(m.captured(1), QString::fromStdString(blasLibrary()));
        QVERIFY2(text.contains(libraries.toHtmlEscaped()), qPrintable(text));
    }

    void secondStageContinuesAFinishedRun() {
        MainWindow w(false);
        useBlobs(w, 2);
        ExperimentConfig c = w.currentConfig();
        c.train.stage2Epochs = 3;
        w.applyConfig(c);
        QVERIFY(w.startSecondStage(99, "crt").contains("Select"));  // no such run
        QSignalSpy done(&w, &MainWindow::runFinished);
        w.startTraining();
        QVERIFY(done.wait(60000));
        const int first = done.first().first().toInt();
        QTRY_VERIFY(!w.isTraining());
        // Run ▸ Second Stage ▸ cRT: a new run on the first's model whose curves continue the first's.
        QVERIFY(w.findChild<QAction*>("secondStage-mislas"));
        const QString why = w.startSecondStage(first, "crt");
        QVERIFY2(why.isEmpty(), qPrintable(why));
        QVERIFY(done.wait(60000));
        const int second = done.last().first().toInt();
        QVERIFY(second != first);
        QTRY_VERIFY(!w.isTraining());
        const RunRecord* run = w.run(second);
        QCOMPARE(run->summary.status, RunStatus::Finished);
        QCOMPARE(run->config.train.stage2, std::string("crt"));
        QCOMPARE(run->epochReports.size(), size_t(5));  // the first's epochs 0 and 1, then cRT's 2, 3, 4
        QCOMPARE(run->epochReports[2].epoch, 2);
        QCOMPARE(run->epochReports[1].balancedError, w.run(first)->epochReports[1].balancedError);
        QCOMPARE(w.runsView()->cellText(second, RunsView::Name), QString("#%1 cRT").arg(second));
        // The first's two epochs were tested 4× each (6 within them) and its curves come along.
        const auto midTests = std::count_if(run->stepReports.begin(), run->stepReports.end(),
                                            [](const MetricsReport& r) { return r.midEpochTest; });
        QCOMPARE(midTests, 6);
        QCOMPARE(w.errorCurves()->balancedCurve().size(), 5 + 6);
        QCOMPARE(w.errorCurves()->xAxis->range().upper, 5.0);  // the stage's epochs are on the chart
        QVERIFY2(w.errorCurves()->markerLabels().contains("stage 2: cRT"), qPrintable(w.errorCurves()->markerLabels().join(", ")));
        QCOMPARE(w.runsView()->cellText(second, RunsView::Epochs), QString("5/5"));
        QVERIFY(run->model && !run->model->empty());
        // A run that ended with a second stage is not the start of another.
        QVERIFY(w.startSecondStage(second, "lws").contains("already"));
    }

    void ldamDrwShowsMarginsAndMarkers() {
        MainWindow w(false);
        useBlobs(w, 6);
        ExperimentConfig c = w.currentConfig();
        c.loss.type = "ldam";
        c.rebalance.type = "cb-rw";
        c.rebalance.deferred = true;
        c.rebalance.deferEpoch = 3;
        c.train.schedule = "official";
        w.applyConfig(c);
        QSignalSpy done(&w, &MainWindow::runFinished);
        w.startTraining();
        QVERIFY(done.wait(60000));
        QCOMPARE(w.marginChart()->deltaMarkCount(), 2);  // Δ_j marked for both classes
        QVERIFY(w.errorCurves()->markerLabels().contains("DRW"));
        // LDAM's cosine head has unit class vectors already: no τ curve, and the app says why.
        const RunRecord* run = w.run(done.first().first().toInt());
        QVERIFY(run->summary.tauNormTaus.empty());
        QVERIFY(tauNormUnavailableReason(*run).contains("cosine head"));
    }

    void pauseHoldsResumeContinuesStopKeeps() {
        MainWindow w(false);
        useBlobs(w, 5000);
        QSignalSpy done(&w, &MainWindow::runFinished);
        w.startTraining();
        QTRY_VERIFY_WITH_TIMEOUT(w.statusLabel()->text().contains("step"), 20000);
        w.pauseAction()->trigger();
        QVERIFY(w.pauseAction()->isChecked());
        QTest::qWait(300);  // let the reports in flight arrive
        const RunRecord* run = w.run(w.shownRunId());
        const size_t reportsWhilePaused = run->stepReports.size() + run->epochReports.size();
        QTest::qWait(500);
        QCOMPARE(run->stepReports.size() + run->epochReports.size(), reportsWhilePaused);
        w.pauseAction()->trigger();  // resume
        QTRY_VERIFY_WITH_TIMEOUT(run->stepReports.size() + run->epochReports.size() > reportsWhilePaused, 20000);
        w.stopAction()->trigger();
        QVERIFY(done.wait(20000));
        QCOMPARE(run->summary.status, RunStatus::Cancelled);
        QCOMPARE(w.runsView()->cellText(run->id, RunsView::Status), QString("stopped"));
        QCOMPARE(w.runsView()->rowCount(), 1);
    }

    void badDatasetFolderShowsErrorAndStaysUsable() {
        MainWindow w(false);
        w.show();
        auto* combo = w.datasetPanel()->datasetCombo();
        combo->setCurrentIndex(combo->findData(QStringLiteral("mnist")));
        w.datasetPanel()->setFolder(QStringLiteral("/nonexistent/mnist"));
        QTRY_VERIFY_WITH_TIMEOUT(!w.datasetPanel()->errorLabel()->isHidden(), 10000);
        QVERIFY(w.datasetPanel()->errorLabel()->text().contains("/nonexistent/mnist"));
        QVERIFY(w.bannerText().contains("Cannot load the dataset"));
        // The message speaks of the app's controls, not of CLI flags.
        QVERIFY2(!w.datasetPanel()->errorLabel()->text().contains("--data"), qPrintable(w.datasetPanel()->errorLabel()->text()));
        // Train is off, with the reason beside it; nothing is started, nothing lands in the list.
        QVERIFY(!w.trainAction()->isEnabled());
        QVERIFY(w.trainBlockedReason().contains("/nonexistent/mnist"));
        auto* why = w.findChild<QLabel*>("trainBlocked");
        QVERIFY(why && why->text().startsWith("Cannot train:"));
        QSignalSpy done(&w, &MainWindow::runFinished);
        w.startTraining();
        QCOMPARE(w.runsView()->rowCount(), 0);
        QVERIFY(w.bannerText().contains("/nonexistent/mnist"));
        // The app goes on: blobs load, Train comes back, and they train fine.
        useBlobs(w, 2);
        QTRY_VERIFY(w.trainAction()->isEnabled());
        QVERIFY(w.trainBlockedReason().isEmpty());
        QVERIFY(why->text().isEmpty());
        w.startTraining();
        QVERIFY(done.wait(60000));
        QCOMPARE(w.run(done.last().first().toInt())->summary.status, RunStatus::Finished);
    }

    void exportsEveryChart() {
        MainWindow w(false);
        useBlobs(w, 2);
        QSignalSpy done(&w, &MainWindow::runFinished);
        w.startTraining();
        QVERIFY(done.wait(60000));
        QTemporaryDir dir;
        QCOMPARE(w.exportAllCharts(dir.path()), QString());
        for (const char* name : {"error_curves", "margins", "class_errors", "confusion"}) {
            const QString base = dir.path() + "/" + name;
            QCOMPARE(head(base + ".png", 4), QByteArray("\x89PNG"));
            QCOMPARE(head(base + ".pdf", 4), QByteArray("%PDF"));
            QVERIFY(head(base + ".svg", 200).contains("<svg"));
            QImage png(base + ".png");
            QCOMPARE(png.size(), QSize(1600, 1000));
            // Not blank: more than one colour in the picture.
            QSet<QRgb> colours;
            for (int y = 0; y < png.height(); y += 7)
                for (int x = 0; x < png.width(); x += 7) colours.insert(png.pixel(x, y));
            QVERIFY(colours.size() > 5);
        }
        QVERIFY(w.exportAllCharts("/nonexistent/folder").contains("does not exist"));

        // The export dialog's choices: slide size at 2× and a transparent background.
        ChartExportDialog options(true, &w);
        options.widthBox()->setValue(960);
        options.heightBox()->setValue(540);
        options.scaleBox()->setCurrentIndex(options.scaleBox()->findData(2.0));
        options.backgroundBox()->setCurrentIndex(1);
        QCOMPARE(options.options().transparent, true);
        QTemporaryDir slides;
        QCOMPARE(w.exportAllCharts(slides.path(), options.options()), QString());
        const QImage clear(slides.path() + "/class_errors.png");
        QCOMPARE(clear.size(), QSize(1920, 1080));
        QVERIFY(clear.hasAlphaChannel());
        QCOMPARE(qAlpha(clear.pixel(2, 2)), 0);           // the corner shows through
        const QImage white(dir.path() + "/class_errors.png");
        QCOMPARE(qAlpha(white.pixel(2, 2)), 255);
        QCOMPARE(QColor(white.pixel(2, 2)), QColor(Qt::white));
        QVERIFY(head(slides.path() + "/class_errors.svg", 400).contains("960"));

        // The model and the metrics of the run.
        const int id = done.first().first().toInt();
        QCOMPARE(w.exportModel(id, dir.path() + "/m.safetensors"), QString());
        const SafetensorsFile st = readSafetensors((dir.path() + "/m.safetensors").toStdString());
        QCOMPARE(st.tensors.front().name, std::string("fc1.weight"));
        QCOMPARE(st.metadata.at("model"), std::string("mlp"));
        QCOMPARE(w.exportModel(id, dir.path() + "/m.pt"), QString());
        QVERIFY(QFileInfo(dir.path() + "/m.pt").size() > 1000);
        // ONNX: the same bytes the engine makes for this run's model (tst_onnx_export runs them).
        QCOMPARE(w.exportModel(id, dir.path() + "/m.onnx"), QString());
        QFile onnx(dir.path() + "/m.onnx");
        QVERIFY(onnx.open(QIODevice::ReadOnly));
        QCOMPARE(onnx.readAll(), QByteArray::fromStdString(onnxModelBytes(*w.run(id)->model)));
        const QString nowhere = dir.path() + "/no-such-folder/m.onnx";
        QVERIFY(w.exportModel(id, nowhere).startsWith("Cannot export the model: "));
        QVERIFY(!QFile::exists(nowhere));
        QCOMPARE(w.exportMetricsCsv(id, dir.path() + "/m.csv"), QString());
        QFile csv(dir.path() + "/m.csv");
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).trimmed().split('\n');
        const auto* last = w.run(id)->lastEpoch();
        QCOMPARE(lines.size(), 1 + 2 * 2 * 2);
        QCOMPARE(lines.last().split(',')[7].toDouble(), last->testErrorPerClass[1]);
        QVERIFY(w.exportModel(999, dir.path() + "/x.safetensors").contains("No finished run"));

        // The run report: one PDF, a settings/table page and one page per chart.
        QCOMPARE(w.writeRunReport(id, dir.path() + "/report.pdf"), QString());
        const QByteArray pdf = head(dir.path() + "/report.pdf", 10000000);
        QVERIFY(pdf.startsWith("%PDF"));
        QCOMPARE(pdf.count("/Type /Page\n") + pdf.count("/Type /Page\r") + pdf.count("/Type /Page "), 5);
        QVERIFY(w.writeRunReport(999, dir.path() + "/none.pdf").contains("No evaluated run"));
    }

    void sessionRoundTripAndBrokenFile() {
        MainWindow w(false);
        ExperimentConfig c = loadPreset("fmnist-lt-quick");
        c.dataset.rho = 50;
        c.loss.type = "vs";
        c.rebalance.type = "cb-rs";
        c.train.epochs = 3;
        w.applyConfig(c);
        QTemporaryDir dir;
        const QString a = dir.path() + "/a.imblab", b = dir.path() + "/b.imblab";
        QCOMPARE(w.saveSession(a), QString());
        MainWindow other(false);
        QCOMPARE(other.openSession(a), QString());
        QCOMPARE(other.saveSession(b), QString());
        QCOMPARE(head(a, 100000), head(b, 100000));  // byte-identical
        QCOMPARE(other.currentConfig().dataset.rho, 50.0);
        QCOMPARE(other.currentConfig().loss.type, std::string("vs"));
        // A broken or newer file: a message, settings unchanged.
        QFile bad(dir.path() + "/bad.imblab");
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write(R"({"version": 7, "train": {"epochs": 99}})");
        bad.close();
        QVERIFY(other.openSession(bad.fileName()).contains("newer"));
        QCOMPARE(other.currentConfig().train.epochs, 3);
        QCOMPARE(other.recentSessions().first(), QFileInfo(b).absoluteFilePath());

        // Dropping a session file on the window opens it.
        MainWindow third(false);
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(a)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&third, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&third, &drop);
        QCOMPARE(third.currentConfig().loss.type, std::string("vs"));
    }

    // A session remembers which examples its runs saw: reopened after its image folder changed it
    // says so, and after the folder moved it says where to choose it; unchanged, it says nothing.
    void sessionSaysWhenItsDataChangedOrMoved() {
        QTemporaryDir dir;
        const QString data = dir.path() + "/shapes";
        auto write = [&](int shade) {
            for (const char* c : {"dark", "light"})
                for (int i = 0; i < 6; ++i) {
                    QImage img(16, 16, QImage::Format_Grayscale8);
                    img.fill((c[0] == 'd' ? 30 : 200) + 3 * i + shade);
                    QDir().mkpath(data + "/" + c);
                    QVERIFY(img.save(data + QString("/%1/%2.png").arg(c).arg(i)));
                }
        };
        write(0);
        const QString session = dir.path() + "/s.imblab";
        {
            MainWindow w(false);
            ExperimentConfig c = loadPreset("fmnist-lt-quick");
            c.dataset.id = "folder";
            c.dataset.path = data.toStdString();
            c.dataset.profile = "none";
            c.dataset.imageSize = 16;
            c.train.model = "cnn";
            c.train.epochs = 1;
            c.train.batchSize = 4;
            w.applyConfig(c);
            QTRY_VERIFY_WITH_TIMEOUT(w.isDataLoaded(), 20000);
            QSignalSpy done(&w, &MainWindow::runFinished);
            w.startTraining();
            QVERIFY(done.wait(60000));
            QVERIFY(!w.run(1)->info.splitFingerprint.empty());
            QCOMPARE(w.saveSession(session), QString());
        }
        {
            MainWindow same(false);
            same.show();
            QCOMPARE(same.openSession(session), QString());
            QTRY_VERIFY_WITH_TIMEOUT(same.isDataLoaded(), 20000);
            QVERIFY2(same.bannerText().isEmpty(), qPrintable(same.bannerText()));
        }
        QTest::qWait(1100);  // a later modification time for the cache key
        write(7);            // the same files, other pixels
        {
            MainWindow changed(false);
            changed.show();
            QCOMPARE(changed.openSession(session), QString());
            QTRY_VERIFY_WITH_TIMEOUT(changed.isDataLoaded(), 20000);
            QVERIFY2(changed.bannerText().contains("has changed since it was saved"), qPrintable(changed.bannerText()));
        }
        QVERIFY(QDir().rename(data, dir.path() + "/elsewhere"));
        MainWindow moved(false);
        moved.show();
        QCOMPARE(moved.openSession(session), QString());
        QTRY_VERIFY_WITH_TIMEOUT(moved.bannerText().contains("its folder may have moved"), 20000);
        QVERIFY(!moved.trainAction()->isEnabled());
    }

    // Decoding a folder reports files done / total in the status bar, and Cancel stops it: the
    // data stays unloaded, Train off with the reason; choosing the folder again loads it.
    void folderDecodingShowsProgressAndCancels() {
        QTemporaryDir dir;
        for (const char* c : {"a", "b"})
            for (int i = 0; i < 30; ++i) {
                QImage img(20, 20, QImage::Format_Grayscale8);
                img.fill(c[0] == 'a' ? i : 200 + i);
                QDir().mkpath(dir.filePath(c));
                QVERIFY(img.save(dir.filePath(QString("%1/%2.png").arg(c).arg(i))));
            }
        MainWindow w(false);
        w.show();
        QTRY_VERIFY_WITH_TIMEOUT(w.isDataLoaded(), 20000);  // the default dataset first
        QSignalSpy values(w.loadProgress(), &QProgressBar::valueChanged);
        QCOMPARE(w.openImageFolder(dir.path()), QString());
        QTRY_VERIFY_WITH_TIMEOUT(w.isDataLoaded(), 20000);
        QVERIFY(!values.isEmpty());
        QCOMPARE(values.last().first().toInt(), 60);
        QCOMPARE(w.loadProgress()->maximum(), 60);
        QVERIFY(w.loadProgress()->isHidden());
        QVERIFY(w.cancelLoadButton()->isHidden());

        // Another folder, cancelled as soon as it starts: 400 noisy 256-pixel images, so that
        // decoding them takes longer than the click (60 small ones decoded within it, at times).
        QTemporaryDir other;
        QVERIFY(QDir().mkpath(other.filePath("x")) && QDir().mkpath(other.filePath("y")));
        for (int i = 0; i < 400; ++i) {
            QImage img(256, 256, QImage::Format_Grayscale8);
            for (int y = 0; y < 256; ++y)
                for (int x = 0; x < 256; ++x) img.scanLine(y)[x] = uchar((x * 7 + y * 13 + i * 31 + (x * y) % 17) & 0xFF);
            QVERIFY(img.save(other.filePath(QString("%1/%2.png").arg(i < 200 ? "x" : "y").arg(i))));
        }
        QCOMPARE(w.openImageFolder(other.path()), QString());
        w.cancelLoadButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(w.bannerText().contains("loading was cancelled"), 20000);
        QVERIFY(!w.isDataLoaded());
        QVERIFY(!w.trainAction()->isEnabled());
        QVERIFY(w.loadProgress()->isHidden());
        w.datasetPanel()->setFolder(other.path());
        QTRY_VERIFY_WITH_TIMEOUT(w.isDataLoaded(), 20000);
        QVERIFY(w.trainAction()->isEnabled());
    }

    // A CSV table dropped on the window: read on the loader's thread, its own long tail in the
    // counts chart, rows as feature bars in the sample strip, the model switched to the MLP, and a
    // run trains on it.
    void csvTableOpensAndTrains() {
        QTemporaryDir dir;
        const QString file = dir.path() + "/sensors.csv";
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("t1,t2,t3,state\n");
        for (int i = 0; i < 50; ++i) f.write(QString("%1,%2,%3,ok\n").arg(i % 5).arg(10 - i % 3).arg(i % 2).toUtf8());
        for (int i = 0; i < 10; ++i) f.write(QString("%1,%2,%3,fault\n").arg(20 + i).arg(1).arg(i % 2).toUtf8());
        f.close();
        MainWindow w(false);
        w.show();
        QVERIFY(w.findChild<QAction*>("openCsvTable"));
        QVERIFY(w.findChild<QAction*>("openListFile"));
        QVERIFY(w.openDataFile("csv", dir.path() + "/none.csv").contains("not a file"));
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(file)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &drop);
        QVERIFY2(w.bannerText().isEmpty(), qPrintable(w.bannerText()));
        QCOMPARE(QString::fromStdString(w.currentConfig().dataset.id), QString("csv"));
        QTRY_VERIFY_WITH_TIMEOUT(w.isDataLoaded(), 20000);
        QCOMPARE(w.currentConfig().train.model, std::string("mlp"));
        w.datasetPanel()->profileCombo()->setCurrentIndex(w.datasetPanel()->profileCombo()->findData("none"));
        QTRY_COMPARE(w.datasetPanel()->countsChart()->displayedCounts(), (QVector<double>{8, 40}));  // fault, ok: 20 % held out
        QCOMPARE(w.datasetPanel()->sampleStrip()->shownImages(0), 8);
        QVERIFY(w.datasetPanel()->sampleStrip()->toolTip().contains("t1, t2, t3"));
        ExperimentConfig c = w.currentConfig();
        c.train.epochs = 2;
        c.train.batchSize = 8;
        w.applyConfig(c);
        QTRY_VERIFY_WITH_TIMEOUT(w.isDataLoaded(), 20000);
        QSignalSpy done(&w, &MainWindow::runFinished);
        w.startTraining();
        QVERIFY(done.wait(60000));
        QVERIFY2(w.run(1)->error.isEmpty(), qPrintable(w.run(1)->error));
        QCOMPARE(w.run(1)->info.featureNames, (std::vector<std::string>{"t1", "t2", "t3"}));
    }

    // Your own images: Dataset ▸ Open Image Folder or a folder dropped on the window; an unreadable
    // file is left out and listed with its reason.
    void imageFolderOpensByDropAndListsSkippedFiles() {
        QTemporaryDir dir;
        const QString data = dir.path() + "/pets";
        for (const char* c : {"cats", "dogs"})
            for (int i = 0; i < 4; ++i) {
                QImage img(16, 16, QImage::Format_RGB32);
                img.fill(QColor(c[0] == 'c' ? 40 : 220, 60 + 20 * i, 90));
                QDir().mkpath(data + "/" + c);
                QVERIFY(img.save(data + QString("/%1/%2.png").arg(c).arg(i)));
            }
        QFile broken(data + "/dogs/broken.png");
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("not an image at all");
        broken.close();
        MainWindow w(false);
        w.show();
        QVERIFY(w.findChild<QAction*>("openImageFolder"));
        QVERIFY(w.openImageFolder(dir.path() + "/nothing").contains("not a folder"));
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(data)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&w, &drop);
        QCOMPARE(w.currentConfig().dataset.id, std::string("folder"));
        QCOMPARE(w.currentConfig().dataset.path, data.toStdString());
        QTRY_VERIFY_WITH_TIMEOUT(w.isDataLoaded(), 20000);
        QPushButton* skipped = w.datasetPanel()->skippedButton();
        QTRY_VERIFY(!skipped->isHidden());
        QVERIFY2(skipped->text().startsWith("1 unreadable file left out"), qPrintable(skipped->text()));
        QDialog* list = w.datasetPanel()->showSkippedFiles();
        auto* table = list->findChild<QTableWidget*>();
        QCOMPARE(table->rowCount(), 1);
        QVERIFY(table->item(0, 0)->text().endsWith("broken.png"));
        QVERIFY(!table->item(0, 1)->text().isEmpty());
        QVERIFY(w.trainAction()->isEnabled());
    }

    void sessionWithRunsRestoresTheScreen() {
        MainWindow w(false);
        useBlobs(w, 3);
        QSignalSpy done(&w, &MainWindow::runFinished);
        w.startTraining();
        QVERIFY(done.wait(60000));
        ExperimentConfig c = w.currentConfig();
        c.loss.type = "ldam";
        c.rebalance.type = "cb-rw";
        c.rebalance.deferred = true;
        w.applyConfig(c);
        w.startTraining();
        QCOMPARE(w.runsView()->selectedRunIds(), QList<int>{2});  // a new run becomes the selection
        QVERIFY(done.wait(60000));
        QTemporaryDir dir;
        const QString a = dir.path() + "/a.imblab", b = dir.path() + "/b.imblab";
        QCOMPARE(w.saveSession(a), QString());
        // The run on screen when a session is saved is the one on screen when it is reopened.
        w.runsView()->selectRun(1);
        QCOMPARE(w.shownRunId(), 1);
        const QString shown = dir.path() + "/shown.imblab";
        QCOMPARE(w.saveSession(shown), QString());
        MainWindow third(false);
        QCOMPARE(third.openSession(shown), QString());
        QCOMPARE(third.shownRunId(), 1);
        QCOMPARE(third.runsView()->selectedRunIds(), QList<int>{1});

        MainWindow other(false);
        QCOMPARE(other.openSession(a), QString());
        QCOMPARE(other.runsView()->rowCount(), 2);
        for (int id : {1, 2}) {
            QVERIFY(other.run(id));
            QCOMPARE(other.run(id)->title(), w.run(id)->title());
            QCOMPARE(other.run(id)->epochReports.size(), w.run(id)->epochReports.size());
            QCOMPARE(other.run(id)->lastEpoch()->testErrorPerClass, w.run(id)->lastEpoch()->testErrorPerClass);
            QCOMPARE(other.run(id)->lastEpoch()->testPredictions, w.run(id)->lastEpoch()->testPredictions);
        }
        QCOMPARE(other.shownRunId(), 2);
        QCOMPARE(other.currentConfig().loss.type, std::string("ldam"));
        QCOMPARE(other.runsTable()->markdown(), w.runsTable()->markdown());
        QTRY_COMPARE(other.errorBars()->testBars().size(), int(w.run(2)->info.classNames.size()));
        QCOMPARE(other.saveSession(b), QString());
        QCOMPARE(head(b, 1 << 24), head(a, 1 << 24));  // save → open → save: the same bytes
        // The next run gets a fresh id.
        other.startTraining();
        QSignalSpy otherDone(&other, &MainWindow::runFinished);
        QVERIFY(otherDone.wait(60000));
        QCOMPARE(otherDone.first().first().toInt(), 3);

        // A damaged run record: a message naming the file and the run; nothing changes.
        QFile f(a);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray text = f.readAll();
        f.close();
        text.replace("\"epochs_completed\"", "\"epochs_done\"");
        const QString broken = dir.path() + "/broken.imblab";
        QFile out(broken);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(text);
        out.close();
        const QString error = other.openSession(broken);
        QVERIFY2(error.contains("broken.imblab") && error.contains("runs[0]"), qPrintable(error));
        QCOMPARE(other.runsView()->rowCount(), 3);
        QVERIFY(other.run(3));
    }

    void queueRunsTheGridAndTheTableMatchesSweep() {
        // Two methods × two seeds queued from the app; the Table view then shows the numbers
        // `imblab-cli sweep` prints for the same grid.
        MainWindow w(false);
        useBlobs(w, 5);
        QueueDialog dialog(20, w.currentConfig().train.epochs, &w);
        QCOMPARE(dialog.epochsBox()->value(), 5);  // the current settings' epochs, to change here
        dialog.epochsBox()->setValue(3);
        for (int i = 0; i < dialog.methodList()->count(); ++i) {
            const QString id = dialog.methodList()->item(i)->data(Qt::UserRole).toString();
            dialog.methodList()->item(i)->setCheckState(id == "erm" || id == "cb-rs" ? Qt::Checked : Qt::Unchecked);
        }
        dialog.seedsEdit()->setText("0, 1");
        QCOMPARE(dialog.countText(), QString("4 run(s)"));  // 2 methods × 2 seeds × 1 ρ, said before OK
        QueueGrid grid;
        QString error;
        QVERIFY2(dialog.grid(grid, error), qPrintable(error));
        dialog.seedsEdit()->setText("0, x");
        QVERIFY(dialog.countText().startsWith("no runs yet: Seeds"));
        QueueGrid bad;
        QVERIFY(!dialog.grid(bad, error) && error.contains("Seeds"));
        QCOMPARE(w.queueGrid(grid, dialog.epochsBox()->value()), 4);
        QVERIFY(w.isTraining());
        // Every run of the grid is listed at once: the first running, the others queued.
        QCOMPARE(w.runsView()->rowCount(), 4);
        QCOMPARE(w.runsView()->cellText(1, RunsView::Status), QString("running"));
        for (int id = 2; id <= 4; ++id) QCOMPARE(w.runsView()->cellText(id, RunsView::Status), QString("queued"));
        QVERIFY(w.queueProgress()->isVisible() || !w.isVisible());
        QVERIFY2(w.queueProgress()->format().startsWith("Queue: run 1 of 4"), qPrintable(w.queueProgress()->format()));
        // An ETA as soon as the first run reports its pace, not only after it ends.
        QTRY_VERIFY_WITH_TIMEOUT(w.queueProgress()->format().contains(QRegularExpression("ETA [0-9]")), 60000);
        QTRY_COMPARE_WITH_TIMEOUT(w.queueDone(), 4, 120000);
        QTRY_VERIFY(!w.isTraining());
        QCOMPARE(w.runsView()->rowCount(), 4);
        for (int id = 1; id <= 4; ++id) {  // the dialog's epochs, not the window's 5
            QVERIFY(w.run(id));
            QCOMPARE(w.run(id)->config.train.epochs, 3);
        }

        QTemporaryDir dir;
        QProcess sweep;
        sweep.start(QStringLiteral(IMBLAB_CLI_PATH),
                    {"sweep", "--preset", "blobs-teaching", "--epochs", "3", "--methods", "erm,cb-rs", "--seeds", "0,1",
                     "--rhos", "20", "--device", "cpu", "--out", dir.path()});
        QVERIFY(sweep.waitForFinished(120000));
        QCOMPARE(sweep.exitCode(), 0);
        QFile md(dir.path() + "/results.md");
        QVERIFY(md.open(QIODevice::ReadOnly));
        const QString table = QString::fromUtf8(md.readAll());
        for (const QString& method : {QStringLiteral("ERM"), QStringLiteral("CB RS")}) {
            const QString cell = w.runsTable()->cellText(method, QString::fromUtf8("exp ρ=20"));
            QVERIFY2(cell.endsWith(" (2)"), qPrintable(cell));
            const QString value = cell.chopped(4);  // "a ± b"
            QVERIFY2(table.contains("| " + method + " | " + value + " |"), qPrintable(value + "\n" + table));
        }
    }

    void queueGoesOnPastAFailedRunAndStopCancelsTheRest() {
        // A CNN on 2-D blobs: every queued run fails as it starts; the grid still runs to its end.
        MainWindow w(false);
        w.show();
        ExperimentConfig c = loadPreset("blobs-teaching");
        c.train.epochs = 2;
        c.train.model = "cnn";
        w.applyConfig(c);
        QTRY_VERIFY_WITH_TIMEOUT(w.isDataLoaded(), 10000);
        QCOMPARE(w.currentConfig().train.model, std::string("mlp"));  // feature data: the load chose the MLP
        w.applyConfig(c);  // the CNN chosen again once the data is there (no reload, no switch)
        QCOMPARE(w.currentConfig().train.model, std::string("cnn"));
        QSignalSpy done(&w, &MainWindow::runFinished);
        QCOMPARE(w.queueGrid(QueueGrid{{"erm"}, {0, 1}, {c.dataset.rho}}), 2);
        QTRY_COMPARE_WITH_TIMEOUT(w.queueDone(), 2, 60000);
        QTRY_VERIFY(!w.isTraining());
        QCOMPARE(done.count(), 2);
        for (const auto& args : done) {
            const RunRecord* r = w.run(args.first().toInt());
            QCOMPARE(r->summary.status, RunStatus::Failed);
            QVERIFY2(QString::fromStdString(r->summary.message).contains("needs images"), r->summary.message.c_str());
        }
        QCOMPARE(w.queueDone(), 2);
        QVERIFY(!w.queueProgress()->isVisible());
        QVERIFY2(w.bannerText().startsWith("Run #2 could not run: model: 'cnn' needs images"), qPrintable(w.bannerText()));
        QCOMPARE(w.statusLabel()->text(), QString("Queue finished: 2 runs, 2 failed (see the Runs list)"));

        // A long grid: Stop ends the running run and starts none of the others.
        c.train.model = "mlp";
        c.train.epochs = 5000;
        w.applyConfig(c);
        QTRY_VERIFY_WITH_TIMEOUT(w.isDataLoaded(), 10000);
        done.clear();
        QCOMPARE(w.queueGrid(QueueGrid{{"erm", "cb-rs"}, {0, 1}, {c.dataset.rho}}), 4);
        QVERIFY(w.isTraining());
        QTest::qWait(300);
        w.stopTraining();
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 10000);
        QTest::qWait(1000);  // time enough for a next run to start, were one queued
        QCOMPARE(done.count(), 1);
        QVERIFY(!w.isTraining());
        QCOMPARE(w.run(done.first().first().toInt())->summary.status, RunStatus::Cancelled);
        QCOMPARE(w.runsView()->rowCount(), 3);  // the two failed runs and the stopped one; the queued ones are gone
        QCOMPARE(w.queueDone(), 0);
        QVERIFY(!w.queueProgress()->isVisible());
    }

    void confusionCellShowsItsExamples() {
        MainWindow w(false);
        w.show();
        useBlobs(w, 3);
        QSignalSpy done(&w, &MainWindow::runFinished);
        w.startTraining();
        QVERIFY(done.wait(60000));
        const auto* last = w.run(done.first().first().toInt())->lastEpoch();
        QTest::mouseClick(w.confusionChart(), Qt::LeftButton, {}, w.confusionChart()->cellCenter(1, 0));
        auto dialogs = w.findChildren<ConfusionExamplesDialog*>();
        QCOMPARE(dialogs.size(), 1);
        QCOMPARE(int64_t(dialogs.first()->matchCount()), last->confusion.at(1, 0));
        QCOMPARE(w.confusionChart()->shownRate(1, 1), double(last->confusion.at(1, 1)) / 500.0);
    }

    void tableAggregatesSeedsAndDuplicateKeepsSettings() {
        MainWindow w(false);
        useBlobs(w, 3);
        QSignalSpy done(&w, &MainWindow::runFinished);
        w.startTraining();
        QVERIFY(done.wait(60000));
        // Duplicate with one change: another seed.
        QVERIFY(w.duplicateRunSettings(done.last().first().toInt()));
        ExperimentConfig c = w.currentConfig();
        QCOMPARE(c.dataset.rho, 20.0);
        c.train.seed = 1;
        w.applyConfig(c);
        w.startTraining();
        QVERIFY(done.wait(60000));
        const auto rows = RunsTableView::resultRows({{1, *w.run(done.first().first().toInt())}, {2, *w.run(done.last().first().toInt())}});
        QCOMPARE(rows.size(), size_t(2));
        const double a = rows[0].balancedError, b = rows[1].balancedError;
        const double mean = (a + b) / 2, sd = std::abs(a - b) / std::sqrt(2.0);
        QCOMPARE(w.runsTable()->cellText("ERM", QString::fromUtf8("exp ρ=20")),
                 QStringLiteral("%1 ± %2 (2)").arg(100 * mean, 0, 'f', 2).arg(100 * sd, 0, 'f', 2));
        QVERIFY(w.runsTable()->markdown().contains("| ERM |"));
        // The cell's tooltip carries the rest: minority/frequent error and the shot-group accuracies.
        const QString tip = w.runsTable()->cellToolTip("ERM", QString::fromUtf8("exp ρ=20"));
        QVERIFY2(tip.contains("many / medium / few-shot accuracy") && tip.contains("2 seeds"), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("balanced error %1 %").arg(100 * mean, 0, 'f', 2)), qPrintable(tip));

        // A third run with fewer epochs is another experiment, not a third seed: two rows, named by epochs.
        c.train.seed = 0;
        c.train.epochs = 2;
        w.applyConfig(c);
        w.startTraining();
        QVERIFY(done.wait(60000));
        QCOMPARE(w.runsTable()->cellText("ERM (epochs 3)", QString::fromUtf8("exp ρ=20")),
                 QStringLiteral("%1 ± %2 (2)").arg(100 * mean, 0, 'f', 2).arg(100 * sd, 0, 'f', 2));
        const double short2 = w.run(done.last().first().toInt())->lastEpoch()->balancedError;
        QCOMPARE(w.runsTable()->cellText("ERM (epochs 2)", QString::fromUtf8("exp ρ=20")),
                 QStringLiteral("%1").arg(100 * short2, 0, 'f', 2));
        QCOMPARE(w.runsTable()->cellText("ERM", QString::fromUtf8("exp ρ=20")), QString());
    }

    void stopThenResumeEndsLikeAnUninterruptedRun() {
        MainWindow w(false);
        useBlobs(w, 120);
        QSignalSpy done(&w, &MainWindow::runFinished);
        // The uninterrupted reference.
        w.startTraining();
        QVERIFY(done.wait(120000));
        const RunRecord whole = *w.run(done.last().first().toInt());
        QCOMPARE(whole.summary.status, RunStatus::Finished);
        // The same settings, stopped after a few epochs, then resumed.
        w.startTraining();
        const int id = w.activeRunId();
        QTRY_VERIFY_WITH_TIMEOUT(w.run(id)->epochReports.size() >= 3, 60000);
        w.stopTraining();
        QVERIFY(done.wait(60000));
        QCOMPARE(w.run(id)->summary.status, RunStatus::Cancelled);
        QVERIFY(w.run(id)->summary.epochsCompleted < 120);  // really stopped early
        QVERIFY(!w.resumeRun(whole.id).isEmpty());          // a finished run does not resume
        QCOMPARE(w.resumeRun(id), QString());
        QVERIFY(w.isTraining());
        QVERIFY(done.wait(120000));
        const RunRecord& resumed = *w.run(id);
        QCOMPARE(resumed.summary.status, RunStatus::Finished);
        QCOMPARE(resumed.summary.finalReport.testErrorPerClass, whole.summary.finalReport.testErrorPerClass);
        QCOMPARE(resumed.summary.finalReport.trainLoss, whole.summary.finalReport.trainLoss);
        // One evaluation per epoch, none twice.
        QCOMPARE(resumed.epochReports.size(), whole.epochReports.size());
        for (size_t e = 0; e < resumed.epochReports.size(); ++e) QCOMPARE(resumed.epochReports[e].epoch, int(e));
    }

    void aStoppedRunResumesAfterReopeningItsSession() {
        QTemporaryDir dir;
        const QString path = dir.path() + "/stopped.imblab";
        RunRecord whole;
        int id = 0;
        {
            MainWindow w(false);
            useBlobs(w, 60);
            QSignalSpy done(&w, &MainWindow::runFinished);
            w.startTraining();
            QVERIFY(done.wait(120000));
            whole = *w.run(done.last().first().toInt());
            w.startTraining();
            id = w.activeRunId();
            QTRY_VERIFY_WITH_TIMEOUT(w.run(id)->epochReports.size() >= 3, 60000);
            w.stopTraining();
            QVERIFY(done.wait(60000));
            QCOMPARE(w.run(id)->summary.status, RunStatus::Cancelled);
            QCOMPARE(w.saveSession(path, true), QString());
            QVERIFY2(w.statusLabel()->text().contains("(1 stopped, resumable)"), qPrintable(w.statusLabel()->text()));
        }  // the app closes: its temporary checkpoints go with it
        const QString saved = path + ".checkpoints/run-" + QString::number(id) + ".pt";
        QVERIFY(QFile::exists(saved));

        MainWindow other(false);
        other.show();
        QCOMPARE(other.openSession(path), QString());
        QCOMPARE(other.bannerText(), QString());
        QSignalSpy done(&other, &MainWindow::runFinished);
        QCOMPARE(other.resumeRun(id), QString());
        QVERIFY(done.wait(120000));
        const RunRecord& resumed = *other.run(id);
        QCOMPARE(resumed.summary.status, RunStatus::Finished);
        QCOMPARE(resumed.summary.finalReport.testErrorPerClass, whole.summary.finalReport.testErrorPerClass);
        QCOMPARE(resumed.summary.finalReport.trainLoss, whole.summary.finalReport.trainLoss);

        // Without the checkpoint file the session still opens, and says which run cannot resume.
        QVERIFY(QFile::remove(saved));
        MainWindow third(false);
        third.show();
        QCOMPARE(third.openSession(path), QString());
        QVERIFY2(third.bannerText().contains(QString("run #%1, its checkpoint %2 is missing").arg(id).arg(saved)),
                 qPrintable(third.bannerText()));
        QVERIFY(third.resumeRun(id).contains("has no checkpoint"));
    }

    void abComparisonShowsPerClassDifferences() {
        MainWindow w(false);
        useBlobs(w, 3);
        QSignalSpy done(&w, &MainWindow::runFinished);
        w.startTraining();
        QVERIFY(done.wait(60000));
        const int a = done.last().first().toInt();
        QVERIFY(w.duplicateRunSettings(a));
        ExperimentConfig c = w.currentConfig();
        c.loss.type = "ldam";  // the one change
        w.applyConfig(c);
        w.startTraining();
        QVERIFY(done.wait(60000));
        const int b = done.last().first().toInt();
        QString error;
        RunComparisonDialog* dialog = w.compareRuns(a, b, &error);
        QVERIFY2(dialog, qPrintable(error));
        const RunRecord& ra = *w.run(a);
        const RunRecord& rb = *w.run(b);
        const int k = int(ra.info.classNames.size());
        QCOMPARE(dialog->table()->rowCount(), k);
        for (int j = 0; j < k; ++j) {
            const double ea = ra.lastEpoch()->testErrorPerClass[size_t(j)], eb = rb.lastEpoch()->testErrorPerClass[size_t(j)];
            QCOMPARE(dialog->table()->item(j, 2)->text(), QString::number(100 * ea, 'f', 2));
            QCOMPARE(dialog->table()->item(j, 3)->text(), QString::number(100 * eb, 'f', 2));
            QCOMPARE(dialog->table()->item(j, 4)->text().toDouble(), std::round(10000 * (eb - ea)) / 100);
        }
        // The one setting that changed is named (the LDAM head follows from the loss).
        QVERIFY2(dialog->changesLabel()->text().contains(QString::fromUtf8("loss.type: ce → ldam")),
                 qPrintable(dialog->changesLabel()->text()));
        // One bar per class across the two series.
        int bars = 0;
        for (int i = 0; i < dialog->chart()->plottableCount(); ++i)
            if (auto* bar = qobject_cast<QCPBars*>(dialog->chart()->plottable(i))) bars += bar->data()->size();
        QCOMPARE(bars, k);
        // γ_j of both runs, and Δ_j where the loss has one (LDAM's B; CE's A has none).
        for (int j = 0; j < k; ++j) {
            QCOMPARE(dialog->table()->item(j, 5)->text(), QString::number(ra.lastEpoch()->margins[size_t(j)].min, 'f', 3));
            QCOMPARE(dialog->table()->item(j, 6)->text(), QString::number(rb.lastEpoch()->margins[size_t(j)].min, 'f', 3));
            QCOMPARE(dialog->table()->item(j, 7)->text(), QString::fromUtf8("—"));
            QCOMPARE(dialog->table()->item(j, 8)->text(), QString::number(rb.lastEpoch()->deltas[size_t(j)], 'f', 3));
        }
        // Each class's margin histograms overlaid: A's and B's, as shares of the class (100 % each).
        for (int j = 0; j < k; ++j) {
            dialog->marginClassCombo()->setCurrentIndex(j);
            QCPGraph* ga = dialog->marginChart()->graph(0);
            QCPGraph* gb = dialog->marginChart()->graph(1);
            QCOMPARE(ga->dataCount(), int(ra.lastEpoch()->margins[size_t(j)].histogram.size()));
            QCOMPARE(gb->dataCount(), int(rb.lastEpoch()->margins[size_t(j)].histogram.size()));
            double sumA = 0, sumB = 0;
            for (auto it = ga->data()->begin(); it != ga->data()->end(); ++it) sumA += it->value;
            for (auto it = gb->data()->begin(); it != gb->data()->end(); ++it) sumB += it->value;
            QVERIFY(std::abs(sumA - 100) < 1e-9 && std::abs(sumB - 100) < 1e-9);
            QCOMPARE(dialog->marginChart()->itemCount(), 2);  // B's Δ_j line and its label
        }
        // The class box is a search box too: a name typed and entered picks its class.
        QComboBox* pick = dialog->marginClassCombo();
        const QString last = pick->itemText(k - 1);
        pick->setCurrentIndex(0);
        pick->lineEdit()->selectAll();
        QTest::keyClicks(pick->lineEdit(), last);
        QTest::keyClick(pick->lineEdit(), Qt::Key_Return);
        QCOMPARE(pick->currentIndex(), k - 1);
        QTemporaryDir dir;
        QVERIFY(exportChart(dialog->chart(), dir.path() + "/ab.svg").isEmpty());
        QVERIFY(head(dir.path() + "/ab.svg", 200).contains("<svg"));
        // A run without an evaluation cannot be compared: a message, no dialog.
        QVERIFY(!w.compareRuns(a, 999, &error));
        QVERIFY(!error.isEmpty());
    }

    // File ▸ Open Run Folder on a folder that a CLI job is still writing: the run shows as
    // "following", its curves fill as whole epochs land in metrics.jsonl, and it ends when
    // summary.json appears. The folder's pieces come from a real imblab-cli run, replayed.
    void runFolderIsFollowedWhileItIsWritten() {
        QTemporaryDir tmp;
        const QString done = tmp.filePath("done"), live = tmp.filePath("live");
        QProcess train;
        train.start(QStringLiteral(IMBLAB_CLI_PATH), {"train", "--preset", "blobs-teaching", "--epochs", "6", "--device",
                                                      "cpu", "--out", done});
        QVERIFY(train.waitForFinished(120000));
        QCOMPARE(train.exitCode(), 0);
        QFile metrics(done + "/metrics.jsonl");
        QVERIFY(metrics.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = metrics.readAll().split('\n');
        int firstHalf = 0, epochs = 0;  // the lines up to the end of epoch 3
        for (int i = 0; i < lines.size(); ++i)
            if (lines[i].contains("\"epoch_end\":true") && ++epochs == 3) firstHalf = i + 1;
        QVERIFY(firstHalf > 0);
        QVERIFY(QDir().mkpath(live));
        QVERIFY(QFile::copy(done + "/config.json", live + "/config.json"));
        auto writeLines = [&](int n, const QByteArray& unfinished) {
            QFile f(live + "/metrics.jsonl");
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            for (int i = 0; i < n; ++i) f.write(lines[i] + "\n");
            f.write(unfinished);  // a line the writer has not finished is not read
        };
        writeLines(firstHalf, lines[firstHalf].left(20));

        MainWindow w(false);
        w.runFolderFollower()->setInterval(50);
        QCOMPARE(w.openRunFolder(live), QString());
        const int id = w.shownRunId();
        const RunRecord* run = w.run(id);
        QVERIFY(run);
        QCOMPARE(run->info.classCounts, (std::vector<int64_t>{500, 25}));
        QCOMPARE(w.runsView()->cellText(id, RunsView::Status), QString("following"));
        QCOMPARE(int(run->epochReports.size()), 3);
        QCOMPARE(w.errorCurves()->testCurve(0).size(), 3);
        QVERIFY2(w.statusText().contains(QString("Following run #%1").arg(id)) && w.statusText().contains("epoch 3/6"),
                 qPrintable(w.statusText()));

        writeLines(lines.size() - 1, {});
        QTRY_COMPARE(int(w.run(id)->epochReports.size()), 6);
        QTRY_VERIFY2(w.statusText().contains("epoch 6/6 · balanced error"), qPrintable(w.statusText()));
        QTRY_COMPARE(w.errorCurves()->testCurve(0).size(), 6);
        QCOMPARE(w.runsView()->cellText(id, RunsView::Status), QString("following"));  // no summary yet
        QVERIFY(QFile::copy(done + "/summary.json", live + "/summary.json"));
        QTRY_COMPARE(w.runsView()->cellText(id, RunsView::Status), QString("finished"));
        QVERIFY(!w.runFolderFollower()->following(id));
        QCOMPARE(w.run(id)->summary.finalReport.balancedError, w.run(id)->lastEpoch()->balancedError);

        // A finished folder opens as a finished run; a folder that is not a run says why.
        QCOMPARE(w.openRunFolder(done), QString());
        const int doneId = w.shownRunId();
        QCOMPARE(w.runsView()->cellText(doneId, RunsView::Status), QString("finished"));
        // Its model.pt exports like a model trained in the app (read when first asked for) and
        // equals the CLI's own export of that folder; the followed copy has no model.pt and says so.
        QVERIFY(!w.run(doneId)->model);
        const QString mine = tmp.filePath("mine.safetensors"), cli = tmp.filePath("cli.safetensors");
        QCOMPARE(w.exportModel(doneId, mine), QString());
        QVERIFY(w.run(doneId)->model);
        QProcess exporter;
        exporter.start(QStringLiteral(IMBLAB_CLI_PATH), {"export", "--run", done, "--format", "safetensors", "--out", cli});
        QVERIFY(exporter.waitForFinished(60000));
        QCOMPARE(exporter.exitCode(), 0);
        QFile a(mine), b(cli);
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QVERIFY(a.size() > 1000);
        QVERIFY(a.readAll() == b.readAll());
        const QString noModel = w.exportModel(id, tmp.filePath("none.safetensors"));
        QVERIFY2(noModel.contains("model.pt"), qPrintable(noModel));
        QVERIFY(!QFile::exists(tmp.filePath("none.safetensors")));
        const QString why = w.openRunFolder(tmp.path());
        QVERIFY2(why.contains("config.json") && why.contains("not a run folder"), qPrintable(why));
    }

    void thePresetComboShowsWhereTheSettingsCameFrom() {
        MainWindow w(false);
        QComboBox* preset = w.trainingPanel()->presetCombo();
        QVERIFY(w.applyPreset("spam-quick"));
        QCOMPARE(preset->currentData().toString(), QString("spam-quick"));
        QCOMPARE(w.trainingPanel()->modelCombo()->currentData().toString(), QString("textbag"));
        QVERIFY(!w.applyPreset("no-such-preset"));  // refused: the settings and the combo stay
        QCOMPARE(preset->currentData().toString(), QString("spam-quick"));
        w.applyConfig(loadPreset("blobs-teaching"));  // settings from elsewhere (a session, a run folder)
        QCOMPARE(preset->currentIndex(), 0);
    }

    void closingWhileTheDataLoadsEndsPromptly() {
        // Fashion-MNIST takes ~0.7 s to read; closing meanwhile waits for that read, no more.
        auto* w = new MainWindow(false);
        w->show();
        w->applyConfig(loadPreset("fmnist-lt-quick"));
        QVERIFY(!w->isDataLoaded());
        QElapsedTimer t;
        t.start();
        w->close();
        delete w;
        QVERIFY2(t.elapsed() < 2000, qPrintable(QString::number(t.elapsed())));
    }

    void closingDuringTrainingStopsCleanly() {
        auto* w = new MainWindow(false);
        useBlobs(*w, 5000);
        w->startTraining();
        QTRY_VERIFY_WITH_TIMEOUT(w->statusLabel()->text().contains("step"), 20000);
        QElapsedTimer t;
        t.start();
        w->close();
        QVERIFY(!w->isTraining());
        QVERIFY2(t.elapsed() < 2000, qPrintable(QString::number(t.elapsed())));
        delete w;
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
