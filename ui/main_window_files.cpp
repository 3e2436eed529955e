// The main window's file operations: sessions (through runs/session_files), model, metrics and
// chart exports, the PDF report (runs/run_report), recent files and dropped session files.
#include "main_window.h"


#include "charts/run_charts_view.h"
#include "data/dataset_cache.h"
#include "panels/dataset_panel.h"
#include "data/imbalance_profile.h"
#include "data/split_fingerprint.h"
#include "io/atomic_file.h"
#include "io/metrics_csv.h"
#include "data/text_folder.h"
#include "data/text_table.h"
#include "io/model_export.h"
#include "io/onnx_export.h"
#include "io/run_folder.h"
#include "runs/run_folder_follower.h"
#include "runs/run_report.h"
#include "runs/run_store.h"
#include "runs/runs_table_view.h"
#include "runs/runs_view.h"
#include "runs/session_files.h"
#include "training_controller.h"

#include <QComboBox>
#include <QFileDialog>
#include <QProgressBar>
#include <QStatusBar>
#include <QToolButton>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMimeData>
#include <QSettings>

namespace imblab::ui {

QString textTableFilter() { return QObject::tr("Tables of texts (*.csv *.tsv *.jsonl *.ndjson);;All files (*)"); }

QString MainWindow::loadFolderModel(int runId) {
    RunRecord* r = store_->find(runId);
    // Not a finished folder run, or its model already read: the caller says what is missing.
    if (!r || r->folder.isEmpty() || (r->model && !r->model->empty()) || !r->finished ||
        r->summary.status != RunStatus::Finished)
        return {};
    // A run opened from its folder (imblab-cli train --out, a torchrun job): model.pt, read when
    // first asked for, not when the folder is opened (a ResNet-50 is 100 MB).
    try {
        r->model = std::make_shared<const TrainedModel>(loadRunModel(r->folder.toStdString()));
        return {};
    } catch (const std::exception& e) {
        return tr("Run #%1's model cannot be read: %2").arg(runId).arg(QString::fromUtf8(e.what()));
    }
}

QString MainWindow::exportModel(int runId, const QString& path) {
    if (const QString why = loadFolderModel(runId); !why.isEmpty()) return why;
    const RunRecord* r = run(runId);
    if (!r || !r->model) return tr("No finished run with a model is selected");
    try {
        if (path.endsWith(QStringLiteral(".pt"))) saveModelArchive(*r->model, path.toStdString());
        else if (path.endsWith(QStringLiteral(".onnx"))) exportOnnx(*r->model, path.toStdString());
        else exportSafetensors(*r->model, path.toStdString());
        return {};
    } catch (const std::exception& e) {
        return tr("Cannot export the model: %1").arg(QString::fromUtf8(e.what()));
    }
}

QString MainWindow::exportMetricsCsv(int runId, const QString& path) {
    const RunRecord* r = run(runId);
    if (!r || !r->hasInfo) return tr("No run is selected");
    try {
        writeTextAtomically(path.toStdString(), metricsCsvHeader() + metricsCsvRows(r->title().toStdString(), r->epochReports,
                                                                                    r->info.classNames, r->info.classCounts));
        return {};
    } catch (const std::exception& e) {
        return tr("Cannot export the metrics: %1").arg(QString::fromUtf8(e.what()));
    }
}

QString MainWindow::saveSession(const QString& path, bool withRuns) {
    try {
        const SessionSaved saved = saveSessionFile(path, currentConfig(), withRuns ? store_ : nullptr, shownRunId_);
        status_->setText(saved.runs == 0 ? tr("Session saved to %1").arg(path)
                         : saved.resumable == 0 ? tr("Session with %1 runs saved to %2").arg(saved.runs).arg(path)
                                                : tr("Session with %1 runs (%2 stopped, resumable) saved to %3")
                                                      .arg(saved.runs)
                                                      .arg(saved.resumable)
                                                      .arg(path));
        rememberRecent(path);
        return {};
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
}

QString MainWindow::openSession(const QString& path) {
    QStringList missingCheckpoints;
    try {
        const Session session = openSessionFile(path);
        if (!session.runs.empty() && controller_->isRunning())
            return tr("Cannot open %1 while a run is training: stop it first (the session's runs replace the list)").arg(path);
        // The shown run's data, to be checked against the data as it is now (data/split_fingerprint.h).
        sessionDataCheck_.reset();
        if (!session.runs.empty()) {
            const SessionRun* shown = &session.runs.back();
            for (const auto& r : session.runs)
                if (r.id == session.shownRun) shown = &r;
            const DatasetConfig& d = shown->config.dataset;
            if (!shown->info.splitFingerprint.empty() && d.id == session.config.dataset.id && d.path == session.config.dataset.path)
                sessionDataCheck_ = SessionDataCheck{path, d, shown->info.splitFingerprint};
        }
        applyConfig(session.config);
        if (sessionDataCheck_)
            if (const auto loaded = data_->dataFor(session.config.dataset)) checkSessionData(*loaded);  // already here
        if (!session.runs.empty()) {
            // The session's runs replace the list, ids and all, so the screen is the one saved.
            runsView_->setRowCount(0);
            store_->replaceAll(sessionRuns(session));
            for (const auto& [id, r] : store_->all()) runsView_->upsert(r);
            runsTable_->refresh(store_->all());
            missingCheckpoints = restoreCheckpoints(session, path, *store_);
            // The run that was on screen when it was saved (older sessions: the last one).
            shownRunId_ = store_->find(session.shownRun) ? session.shownRun : session.runs.back().id;
            selectRunQuietly(shownRunId_);
            charts_->clearRun();
            refreshCharts();
        }
        status_->setText(session.runs.empty() ? tr("Session %1 opened").arg(path)
                                              : tr("Session %1 opened with %2 runs").arg(path).arg(session.runs.size()));
        if (!missingCheckpoints.isEmpty())
            showBanner(tr("Session opened, but these stopped runs cannot be resumed: %1").arg(missingCheckpoints.join(QStringLiteral("; "))));
        rememberRecent(path);
        return {};
    } catch (const std::exception& e) {
        return tr("Cannot open the session: %1").arg(QString::fromUtf8(e.what()));
    }
}

void MainWindow::checkSessionData(const Dataset& data) {
    const SessionDataCheck check = *sessionDataCheck_;
    sessionDataCheck_.reset();
    if (data.id != check.dataset.id) return;
    std::string now;
    try {
        now = splitFingerprint(check.dataset, makeImbalanced(data, check.dataset));
    } catch (const std::exception&) {
        return;  // the data cannot be subsampled as the run was: the load error says why
    }
    if (now != check.fingerprint)
        showBanner(tr("The data of session %1 has changed since it was saved (its files differ: the split fingerprint "
                      "is not the run's). The saved runs were measured on other examples; new runs train on the data "
                      "as it is now.")
                       .arg(check.session));
}

QString MainWindow::openRunFolder(const QString& dir) {
    RunFolderHead head;
    try {
        head = readRunFolderHead(dir.toStdString());
    } catch (const std::exception& e) {
        return tr("Cannot open the run folder: %1").arg(QString::fromUtf8(e.what()));
    }
    RunRecord& run = store_->create(head.config);
    const int id = run.id;
    run.info = head.info;
    run.hasInfo = true;
    run.folder = QFileInfo(dir).absoluteFilePath();
    if (const QString why = follower_->follow(id, run.folder); !why.isEmpty()) {
        store_->find(id)->error = why;
        store_->notifyChanged(id);
        return tr("Cannot read the run folder: %1").arg(why);
    }
    store_->notifyChanged(id);
    runsTable_->refresh(store_->all());
    shownRunId_ = id;
    selectRunQuietly(id);
    charts_->clearRun();
    refreshCharts();
    const RunRecord* r = store_->find(id);
    if (follower_->following(id)) showFollowedStatus(id);
    else status_->setText(tr("Run #%1 opened from %2 (%3)").arg(id).arg(r->folder, r->statusText()));
    return {};
}

void MainWindow::showFollowedStatus(int id) {
    const RunRecord* r = store_->find(id);
    if (!r) return;
    const MetricsReport* last = r->lastEpoch();
    status_->setText(last ? tr("Following run #%1 in %2 · epoch %3/%4 · balanced error %5%")
                                .arg(id)
                                .arg(r->folder)
                                .arg(last->epoch + 1)
                                .arg(r->plannedEpochs())
                                .arg(100 * last->balancedError, 0, 'f', 2)
                          : tr("Following run #%1 in %2: the charts fill as its epochs arrive").arg(id).arg(r->folder));
}

void MainWindow::rememberRecent(const QString& path) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    recent_.removeAll(absolute);
    recent_.prepend(absolute);
    while (recent_.size() > 8) recent_.removeLast();
    if (useSettings_) QSettings().setValue(QStringLiteral("session/recent"), recent_);
    recentMenu_->clear();
    for (const QString& file : recent_)
        recentMenu_->addAction(QFileInfo(file).fileName(), this, [this, file] {
            report(openSession(file), {});
        })->setToolTip(file);
}

QString MainWindow::openDataFile(const QString& source, const QString& file) {
    if (!QFileInfo(file).isFile()) return tr("%1 is not a file").arg(file);
    if (controller_->isRunning()) return tr("A run is training: stop it first");
    QComboBox* combo = datasetPanel_->datasetCombo();
    combo->setCurrentIndex(combo->findData(source));
    datasetPanel_->setFolder(QFileInfo(file).absoluteFilePath());
    status_->setText(source == QStringLiteral("csv") ? tr("Reading the table %1…").arg(file) : tr("Opening the list %1…").arg(file));
    return {};
}

void MainWindow::buildLoadProgress() {
    loadBar_ = new QProgressBar;
    loadBar_->setObjectName(QStringLiteral("loadProgress"));
    loadBar_->setFormat(tr("Decoding %v / %m images"));
    // Wide enough for the longest text it will show, so the count never wraps or clips.
    loadBar_->setMinimumWidth(fontMetrics().horizontalAdvance(tr("Decoding %1 / %1 images").arg(999999)) + 24);
    loadBar_->setVisible(false);
    cancelLoad_ = new QToolButton;
    cancelLoad_->setText(tr("Cancel"));
    cancelLoad_->setToolTip(tr("Stop decoding the images (the dataset stays unloaded until it is chosen again)"));
    cancelLoad_->setVisible(false);
    statusBar()->addPermanentWidget(loadBar_);
    statusBar()->addPermanentWidget(cancelLoad_);
    connect(cancelLoad_, &QToolButton::clicked, data_, &DatasetCache::cancel);
    connect(data_, &DatasetCache::progress, this, [this](qint64 done, qint64 total) {
        if (!data_->isLoading()) return;  // a late report after the load ended
        loadBar_->setRange(0, int(total));
        loadBar_->setValue(int(done));
        loadBar_->setVisible(true);
        cancelLoad_->setVisible(true);
    });
    auto hide = [this] {
        loadBar_->setVisible(false);
        cancelLoad_->setVisible(false);
    };
    connect(data_, &DatasetCache::loaded, this, hide);
    connect(data_, &DatasetCache::failed, this, hide);
}

void MainWindow::chooseDataLocation() {
    const QString source = QString::fromStdString(datasetPanel_->config().id);
    QString path;
    if (source == QStringLiteral("list"))
        path = QFileDialog::getOpenFileName(this, tr("Training list: lines 'relative/path label'"), {},
                                            tr("List files (*.txt *.lst *.list);;All files (*)"));
    else if (source == QStringLiteral("csv"))
        path = QFileDialog::getOpenFileName(this, tr("CSV table with a header row"), {},
                                            tr("Tables (*.csv *.tsv *.txt);;All files (*)"));
    else if (source == QStringLiteral("inat"))
        path = QFileDialog::getOpenFileName(this, tr("iNaturalist training annotations"), {},
                                            tr("Annotation files (*.json);;All files (*)"));
    else if (source == QStringLiteral("text"))
        // Texts come as a folder or a table: the path box says which the user has, or wants.
        path = QFileInfo(QString::fromStdString(datasetPanel_->config().path)).isFile()
                   ? QFileDialog::getOpenFileName(this, tr("Table of texts"), {}, textTableFilter())
                   : QFileDialog::getExistingDirectory(this, tr("Folder of class folders of .txt files (or aclImdb)"));
    else
        path = QFileDialog::getExistingDirectory(this, tr("Folder holding the dataset files"));
    if (!path.isEmpty()) datasetPanel_->setFolder(path);
}

void MainWindow::chooseTestFile() {
    const QString path = QFileDialog::getOpenFileName(this, tr("The test split's list or table"), {},
                                                      tr("Lists, tables and annotations (*.txt *.lst *.list *.csv *.tsv *.jsonl *.ndjson *.json);;All files (*)"));
    if (!path.isEmpty()) datasetPanel_->setTestPath(path);
}

void MainWindow::chooseListRoot() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder the listed paths are relative to"));
    if (!dir.isEmpty()) datasetPanel_->setListRoot(dir);
}

void MainWindow::chooseClassNamesFile() {
    const QString file = QFileDialog::getOpenFileName(this, tr("Class names: line i names label i"), {},
                                                      tr("Text files (*.txt *.names);;All files (*)"));
    if (!file.isEmpty()) datasetPanel_->setClassNamesFile(file);
}

QString MainWindow::openTextData(const QString& path) {
    const QFileInfo info(path);
    if (!info.exists()) return tr("%1: no such folder or table").arg(path);
    if (controller_->isRunning()) return tr("A run is training: stop it first");
    QComboBox* source = datasetPanel_->datasetCombo();
    source->setCurrentIndex(source->findData(QStringLiteral("text")));
    datasetPanel_->setFolder(info.absoluteFilePath());
    status_->setText(info.isDir() ? tr("Reading the texts of %1…").arg(path) : tr("Reading the table of texts %1…").arg(path));
    return {};
}

QString MainWindow::openDropped(const QString& path) {
    const QFileInfo info(path);
    const std::string p = info.absoluteFilePath().toStdString();
    if (info.isDir()) {
        if (QFileInfo::exists(path + QStringLiteral("/config.json"))) return openRunFolder(path);
        return holdsTexts(p) ? openTextData(path) : openImageFolder(path);
    }
    const QString suffix = info.suffix().toLower();
    if (suffix == QLatin1String("jsonl") || suffix == QLatin1String("ndjson") || suffix == QLatin1String("tsv"))
        return openTextData(path);
    if (suffix == QLatin1String("csv")) return isTextTable(p) ? openTextData(path) : openDataFile(QStringLiteral("csv"), path);
    return openSession(path);
}

QString MainWindow::openImageFolder(const QString& dir) {
    if (!QFileInfo(dir).isDir()) return tr("%1 is not a folder").arg(dir);
    if (controller_->isRunning()) return tr("A run is training: stop it first");
    QComboBox* source = datasetPanel_->datasetCombo();
    source->setCurrentIndex(source->findData(QStringLiteral("folder")));
    datasetPanel_->setFolder(QFileInfo(dir).absoluteFilePath());
    status_->setText(tr("Opening the image folder %1…").arg(dir));
    return {};
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
    for (const QUrl& url : e->mimeData()->urls())
        if (url.isLocalFile() && (url.toLocalFile().endsWith(QStringLiteral(".imblab")) || url.toLocalFile().endsWith(QStringLiteral(".json")) ||
                                  url.toLocalFile().endsWith(QStringLiteral(".csv"), Qt::CaseInsensitive) ||
                                  url.toLocalFile().endsWith(QStringLiteral(".tsv"), Qt::CaseInsensitive) ||
                                  url.toLocalFile().endsWith(QStringLiteral(".jsonl"), Qt::CaseInsensitive) ||
                                  url.toLocalFile().endsWith(QStringLiteral(".ndjson"), Qt::CaseInsensitive) ||
                                  QFileInfo(url.toLocalFile()).isDir())) {
            e->acceptProposedAction();
            return;
        }
}

void MainWindow::dropEvent(QDropEvent* e) {
    for (const QUrl& url : e->mimeData()->urls()) {
        if (!url.isLocalFile()) continue;
        report(openDropped(url.toLocalFile()), {});
        e->acceptProposedAction();
        return;
    }
}

QString MainWindow::writeRunReport(int runId, const QString& path) {
    const RunRecord* r = run(runId);
    if (!r || !r->lastEpoch()) return tr("No evaluated run is selected");
    showRunCharts(runId);
    return ui::writeRunReport(*r, charts_->charts(), path, font());
}

} // namespace imblab::ui
