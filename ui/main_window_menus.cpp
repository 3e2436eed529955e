// The main window's menus and toolbar: every action and its shortcut, wired to MainWindow's
// operations (main_window.cpp), which report through one convention (report()).
#include "main_window.h"
#include "api/engine.h"

#include "charts/chart_export_dialog.h"
#include "charts/run_charts_view.h"
#include "charts/tau_norm_dialog.h"
#include "help/getting_started_dialog.h"
#include "runs/run_store.h"
#include "runs/queue_dialog.h"
#include "runs/runs_view.h"

#include <QAction>
#include <QSpinBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QToolBar>

namespace imblab::ui {

void MainWindow::buildMenus() {
    buildFileMenu();

    auto* datasetMenu = menuBar()->addMenu(tr("&Dataset"));
    auto* openFolder = datasetMenu->addAction(tr("Open &Image Folder…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Image folder: one subfolder per class"));
        if (!dir.isEmpty()) report(openImageFolder(dir), {});
    });
    openFolder->setObjectName(QStringLiteral("openImageFolder"));
    openFolder->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    openFolder->setToolTip(tr("Your own images: DIR/<class>/*.png, *.jpg, *.bmp (train/ and test/ subfolders are the "
                              "splits when present); a folder dropped on the window opens the same way"));
    auto* openList = datasetMenu->addAction(tr("Open &List File…"), this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Training list: lines 'relative/path label'"), {},
                                                          tr("List files (*.txt *.lst *.list);;All files (*)"));
        if (!file.isEmpty()) report(openDataFile(QStringLiteral("list"), file), {});
    });
    openList->setObjectName(QStringLiteral("openListFile"));
    openList->setToolTip(tr("Images named by a list (the ImageNet-LT convention): each line 'relative/path label' with "
                            "label 0, 1, ...; paths relative to the list's folder; the test list goes in the Dataset panel"));
    auto* openCsv = datasetMenu->addAction(tr("Open &CSV Table…"), this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("CSV table with a header row"), {},
                                                          tr("Tables (*.csv *.tsv *.txt);;All files (*)"));
        if (!file.isEmpty()) report(openDataFile(QStringLiteral("csv"), file), {});
    });
    openCsv->setObjectName(QStringLiteral("openCsvTable"));
    datasetMenu->addSeparator();
    auto* openTexts = datasetMenu->addAction(tr("Open &Text Folder…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Text folder: one subfolder of .txt files per class (or aclImdb)"));
        if (!dir.isEmpty()) report(openTextData(dir), {});
    });
    openTexts->setObjectName(QStringLiteral("openTextFolder"));
    openTexts->setToolTip(tr("Your own texts: DIR/<class>/*.txt, or DIR/train and DIR/test as IMDB's aclImdb keeps them "
                             "(its unsup/ and other extras are left alone); a folder of .txt files dropped on the window "
                             "opens the same way"));
    auto* openTextTable = datasetMenu->addAction(tr("Open Te&xt Table…"), this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Table of texts"), {}, textTableFilter());
        if (!file.isEmpty()) report(openTextData(file), {});
    });
    openTextTable->setObjectName(QStringLiteral("openTextTable"));
    openTextTable->setToolTip(tr("A CSV, TSV or JSON Lines table with a text column and a label column (choose them in the "
                                 "Dataset panel); a .tsv, .jsonl, or a .csv with a text column, dropped on the window opens "
                                 "the same way"));
    openCsv->setToolTip(tr("A table of numeric features and one label column (choose it in the Dataset panel), trained "
                           "with the MLP; a .csv dropped on the window opens the same way"));

    auto* runMenu = menuBar()->addMenu(tr("&Run"));
    trainAction_ = runMenu->addAction(tr("&Train"), this, &MainWindow::startTraining);
    trainAction_->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_R), QKeySequence(Qt::CTRL | Qt::Key_Return)});
    trainAction_->setToolTip(tr("Train with the current settings (Ctrl+R)"));
    pauseAction_ = runMenu->addAction(tr("&Pause"), this, &MainWindow::togglePause);
    pauseAction_->setShortcut(QKeySequence(Qt::Key_Space));
    pauseAction_->setCheckable(true);
    pauseAction_->setToolTip(tr("Pause or resume the run (Space)"));
    stopAction_ = runMenu->addAction(tr("&Stop"), this, &MainWindow::stopTraining);
    stopAction_->setShortcut(QKeySequence(Qt::Key_Escape));
    stopAction_->setToolTip(tr("Stop the run; what it measured so far is kept (Esc)"));
    runMenu->addSeparator();
    auto* duplicate = runMenu->addAction(tr("&Duplicate Selected Run's Settings"), this, [this] {
        const auto ids = runsView_->selectedRunIds();
        if (!ids.isEmpty()) duplicateRunSettings(ids.first());
    });
    duplicate->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    duplicate->setToolTip(tr("Load the selected run's settings (same data, same seed) to change one thing and train again"));
    auto* queueAction = runMenu->addAction(tr("&Queue a Grid…"), this, [this] {
        QueueDialog dialog(currentConfig().dataset.rho, currentConfig().train.epochs, this);
        if (dialog.exec() != QDialog::Accepted) return;
        QueueGrid grid;
        QString error;
        if (!dialog.grid(grid, error)) return showBanner(error);
        try {
            queueGrid(grid, dialog.epochsBox()->value());
        } catch (const std::exception& e) {
            showBanner(tr("Cannot queue: %1").arg(QString::fromUtf8(e.what())));
        }
    });
    queueAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
    queueAction->setToolTip(tr("Run methods × seeds × ρ one after another, with an overall progress bar and ETA"));
    runMenu->addAction(tr("Cancel &Queue"), this, &MainWindow::cancelQueue);
    auto* resume = runMenu->addAction(tr("Res&ume Stopped Run"), this, [this] {
        const auto ids = runsView_->selectedRunIds();
        report(ids.isEmpty() ? tr("Select a stopped run to resume") : resumeRun(ids.first()), {});
    });
    resume->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    resume->setToolTip(tr("Continue the selected stopped run from the end of its last whole epoch"));
    auto* compare = runMenu->addAction(tr("&Compare Two Selected Runs (A/B)"), this, [this] {
        const auto ids = runsView_->selectedRunIds();
        QString error;
        if (ids.size() != 2) error = tr("Select two runs in the Runs list (Ctrl+click) to compare them");
        else compareRuns(ids[0], ids[1], &error);
        report(error, {});
    });
    compare->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    auto* tauNorm = runMenu->addAction(tr("τ-&Normalisation Curve"), this, [this] {
        const RunRecord* run = store_->find(shownRunId_);
        if (!run) return report(tr("Train or select a run first"), {});
        if (const QString why = tauNormUnavailableReason(*run); !why.isEmpty()) return report(why, {});
        auto* dialog = new TauNormDialog(*run, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    // Decoupled second stages on the selected finished run: a new run whose curves continue it.
    auto* secondStage = runMenu->addMenu(tr("&Second Stage on Selected Run"));
    secondStage->setToolTipsVisible(true);
    const std::pair<const char*, QString> stages[] = {
        {"crt", tr("&cRT: re-train the classifier")},       {"lws", tr("&LWS: learn a scale per class")},
        {"tau-norm", tr("&τ-norm: rows ÷ norm")},           {"mislas", tr("&MiSLAS: label-aware smoothing")},
        {"wb", tr("&WB: class-balanced loss + MaxNorm")}};
    for (const auto& [kind, label] : stages) {
        auto* action = secondStage->addAction(label, this, [this, kind = QString::fromLatin1(kind)] {
            const auto ids = runsView_->selectedRunIds();
            report(startSecondStage(ids.isEmpty() ? shownRunId_ : ids.first(), kind), {});
        });
        action->setObjectName(QStringLiteral("secondStage-") + QString::fromLatin1(kind));
        action->setToolTip(tr("On the frozen features of the selected finished run, for the Training panel's stage-2 "
                              "epochs; the new run's curves continue the first's"));
    }
    tauNorm->setToolTip(tr("Balanced error of the shown finished run with its classifier rows rescaled to w_j/‖w_j‖^τ, "
                           "τ from 0 to 2 (Kang et al. 2020); no training"));
    compare->setToolTip(tr("Per-class test errors of two runs and their difference, with the settings that differ"));

    auto* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Reset Chart Views"), this, [this] { charts_->resetViews(); });
    view->addSeparator();
    for (QDockWidget* d : findChildren<QDockWidget*>()) view->addAction(d->toggleViewAction());  // show/hide each panel
    view->addSeparator();
    auto* teachingAction = view->addAction(tr("&Teaching Mode"), this, &MainWindow::openTeaching);
    teachingAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    teachingAction->setToolTip(tr("2-D lessons: decision boundaries and margins side by side, and the margin theory"));
    auto* help = menuBar()->addMenu(tr("&Help"));
    auto* gettingStarted = help->addAction(tr("&Getting Started"), this, [this] {
        auto* dialog = new GettingStartedDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    gettingStarted->setObjectName(QStringLiteral("gettingStarted"));
    gettingStarted->setShortcut(QKeySequence::HelpContents);
    auto* about = help->addAction(tr("&About Imbalance Lab"), this, [this] {
        QMessageBox::about(this, tr("About Imbalance Lab"),
                           tr("<b>Imbalance Lab %1</b><p>Explore class-imbalanced training: LDAM, DRW and the baselines of "
                              "Cao et al., NeurIPS 2019, with live per-class curves and margins.</p><p>%2</p>")
                               .arg(QStringLiteral(IMBLAB_VERSION), QString::fromStdString(computeLibraries()).toHtmlEscaped()));
    });
    about->setObjectName(QStringLiteral("about"));

    auto* toolbar = addToolBar(tr("Run"));
    toolbar->setObjectName(QStringLiteral("RunToolbar"));
    toolbar->addAction(trainAction_);
    toolbar->addAction(pauseAction_);
    toolbar->addAction(stopAction_);
    // Why Train is off while the data cannot be loaded, beside the button that is off.
    trainBlocked_ = new QLabel;
    trainBlocked_->setStyleSheet(QStringLiteral("color: #b00020; padding-left: 8px;"));
    trainBlocked_->setObjectName(QStringLiteral("trainBlocked"));
    toolbar->addWidget(trainBlocked_);
}

void MainWindow::buildFileMenu() {
    auto* file = menuBar()->addMenu(tr("&File"));
    auto* openSessionAction = file->addAction(tr("&Open Session…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open session"), {}, tr("Imbalance Lab sessions (*.imblab *.json)"));
        if (!path.isEmpty()) report(openSession(path), {});
    });
    openSessionAction->setShortcut(QKeySequence::Open);
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    file->addAction(tr("Open Run &Folder…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a run folder (imblab-cli train --out)"));
        if (!dir.isEmpty()) report(openRunFolder(dir), {});
    })->setToolTip(tr("A run written by imblab-cli or a cluster job; followed while it trains"));
    auto* saveSessionAction = file->addAction(tr("&Save Session…"), this, [this] {
        QString path = QFileDialog::getSaveFileName(this, tr("Save session"), QStringLiteral("session.imblab"),
                                                    tr("Imbalance Lab sessions (*.imblab)"));
        if (!path.isEmpty()) report(saveSession(path), {});
    });
    saveSessionAction->setShortcut(QKeySequence::Save);
    saveSessionAction->setToolTip(tr("The settings and every finished run with its metrics"));
    file->addAction(tr("Save Settings &Only…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save settings"), QString(),
                                                          tr("Imbalance Lab session (*.imblab)"));
        if (!path.isEmpty()) report(saveSession(path, false), {});
    });
    file->addSeparator();
    // One entry per format: the file dialog's filter alone does not add the extension that picks it.
    auto* exportMenu = file->addMenu(tr("Export &Model"));
    const struct {
        QString label, file, filter, tip;
    } formats[] = {
        {tr("&safetensors (PyTorch)…"), QStringLiteral("model.safetensors"), tr("safetensors (*.safetensors)"),
         tr("The weights with PyTorch's names, for the official LDAM-DRW code (docs/pytorch-export.md)")},
        {tr("&ONNX…"), QStringLiteral("model.onnx"), tr("ONNX (*.onnx)"),
         tr("The network for ONNX runtimes (OpenCV, onnxruntime): raw image in, logits out (docs/onnx.md)")},
        {tr("&LibTorch Archive…"), QStringLiteral("model.pt"), tr("LibTorch archive (*.pt)"), tr("torch::save of the module")},
    };
    for (const auto& f : formats) {
        auto* action = exportMenu->addAction(f.label, this, [this, f] {
            QString path = QFileDialog::getSaveFileName(this, tr("Export model"), suggestedFileName(f.file), f.filter);
            if (path.isEmpty()) return;
            const QString ext = f.file.mid(f.file.lastIndexOf('.'));
            if (!path.endsWith(ext)) path += ext;
            report(exportModel(shownRunId_, path), tr("Model written to %1").arg(path));
        });
        action->setToolTip(f.tip);
    }
    file->addAction(tr("Export Metrics &CSV…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export metrics"), suggestedFileName(QStringLiteral("metrics.csv")),
                                                          tr("CSV (*.csv)"));
        if (path.isEmpty()) return;
        report(exportMetricsCsv(shownRunId_, path), tr("Metrics written to %1").arg(path));
    });
    file->addAction(tr("Run &Report (PDF)…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Run report"), suggestedFileName(QStringLiteral("report.pdf")),
                                                          tr("PDF (*.pdf)"));
        if (path.isEmpty()) return;
        report(writeRunReport(shownRunId_, path), tr("Report written to %1").arg(path));
    });
    auto* exportAction = file->addAction(tr("&Export All Charts…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the charts"));
        if (!dir.isEmpty()) {
            ChartExportDialog options(true, this);
            if (options.exec() != QDialog::Accepted) return;
            report(exportAllCharts(dir, options.options()), tr("Charts written to %1").arg(dir));
        }
    });
    exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    file->addSeparator();
    auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
}

} // namespace imblab::ui
