// The four charts of one run as one view: Figure 3 (per-class error vs epoch) on top with the
// margin histograms, Figure 2 (per-class errors now) and the confusion matrix below. Shows,
// clears and exports them together. Past 20 classes (charts/many_classes.h) a class search box
// above them picks classes to follow on every chart, and a list beside the confusion names the
// most-confused pairs (a click opens their test examples).
#pragma once

#include "charts/chart_export.h"

#include <QWidget>

#include <functional>
#include <string>
#include <utility>
#include <vector>

class QCustomPlot;
class QCPTextElement;
class QLabel;
class QLineEdit;
class QListWidget;

namespace imblab::ui {

struct RunRecord;
class ErrorCurvesChart;
class MarginHistogramChart;
class ClassErrorBarsChart;
class ConfusionMapChart;

class RunChartsView : public QWidget {
    Q_OBJECT
public:
    // `report` receives the outcome of a chart's context-menu export (message, is it an error).
    explicit RunChartsView(std::function<void(const QString&, bool)> report, QWidget* parent = nullptr);

    // Figure 3 appends what is new; the last-epoch charts redraw only for a new evaluation.
    // Every chart names the run it shows above its plot, and its exports carry the run's file stem.
    void showRun(const RunRecord& run);
    // No run: each chart says what it will show and how to start one.
    void clearRun();
    // While no run is shown: the dataset's classes on the charts' class axes.
    void showClasses(const std::vector<std::string>& names);
    // Several selected runs: their balanced errors overlaid on the error curves, whose label
    // then names them; when some are the shown run's seeds (runs/seed_groups.h), the per-class
    // bars show that group's mean with min–max whiskers, and their label says so; the margins
    // and the confusion keep showing (and naming) the one run.
    void setOverlays(const std::vector<const RunRecord*>& runs);
    // The line above a chart: the run it shows, or its empty-state hint, in full (for tests; on
    // screen a narrow chart elides it, the full text in its tooltip).
    QString runLabel(int chartIndex) const;
    void resetViews();
    // Every chart as PNG, PDF and SVG into `folder` with stable names (error_curves.png, ...).
    // The first error, or an empty string.
    QString exportAll(const QString& folder, const ChartExportOptions& options = {});
    // The charts with their stable file names, in report order.
    std::vector<std::pair<QCustomPlot*, QString>> charts() const;

    // The classes picked in the search box (at most kPickedClassesMax), in the order picked.
    const std::vector<int>& pickedClasses() const { return picked_; }
    // Picks the class a search names (charts/many_classes.h: findClass); the reason when none.
    QString pickClass(const QString& query);
    void setPickedClasses(const std::vector<int>& classes);
    // Picks these (names or indices) as soon as a run past 20 classes is shown (imblab --follow).
    void followWhenShown(const QStringList& queries);
    QLineEdit* classSearch() const { return search_; }
    QListWidget* mostConfusedList() const { return mostConfused_; }
    QWidget* pickBar() const { return pickBar_; }

    ErrorCurvesChart* errorCurves() const { return errorCurves_; }
    MarginHistogramChart* margins() const { return margins_; }
    ClassErrorBarsChart* errorBars() const { return errorBars_; }
    ConfusionMapChart* confusion() const { return confusion_; }

Q_SIGNALS:
    // The picked classes changed: the shown run should be shown again (MainWindow::refreshCharts).
    void pickedClassesChanged();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;  // charts' resizes re-elide their labels

private:
    void setLabels(const QString& runName);  // empty: the empty-state hints
    void setLabelText(size_t index, const QString& text);  // elided to the chart's width
    void elideLabel(size_t index);
    void setClassNames(const std::vector<std::string>& names);  // the search box's classes
    void showMostConfused(const RunRecord& run);
    void showPicked();  // the chips of the picked classes
    std::vector<std::string> classNames_;
    std::vector<int> picked_;
    QStringList pendingFollow_;
    QWidget* pickBar_;
    QLineEdit* search_;
    QLabel* pickedLabel_;
    QLabel* searchProblem_;
    QListWidget* mostConfused_;
    int mostConfusedEpoch_ = -1, mostConfusedRun_ = -1;
    std::vector<QString> fullLabels_;
    std::vector<QCPTextElement*> labels_;    // one per chart, in charts() order
    std::vector<std::pair<QCPTextElement*, QString>> titles_;  // fixed chart titles, in full
    QString runName_;                        // of the shown run
    int shownRunId_ = -1;
    ErrorCurvesChart* errorCurves_;
    MarginHistogramChart* margins_;
    ClassErrorBarsChart* errorBars_;
    ConfusionMapChart* confusion_;
};

} // namespace imblab::ui
