// The paper's Figure 3, live: per-class test error vs epoch (one colour per class, minority
// classes thicker with markers), per-class running train error dotted, the balanced error bold,
// and vertical markers at the LR decays and the DRW/DRS switch. Selected other runs can be
// overlaid as balanced-error curves. Past 20 classes (charts/many_classes.h) the classes give
// way to the many / medium / few-shot groups, the worst classes and the picked ones.
#pragma once

#include "runs/run_record.h"

#include "charts/many_classes.h"
#include "charts/qcustomplot_include.h"

#include <array>

namespace imblab::ui {

class ErrorCurvesChart : public QCustomPlot {
    Q_OBJECT
public:
    explicit ErrorCurvesChart(QWidget* parent = nullptr);

    // Draws a run: only the reports that arrived since the last call are appended (a run
    // switch, a resume that dropped reports or a thinning of the step reports redraws all).
    void showRun(const RunRecord& run);
    // Other runs' balanced-error curves drawn on top (run selection in the runs list), each in a
    // run colour with its own marker and a dashed line, never a class colour, named by its run.
    // Runs that differ only in their seed are one group: their mean curve, with the min–max over
    // the seeds as a band behind it.
    void setOverlays(const std::vector<const RunRecord*>& runs);
    static QColor runColor(int index);
    QStringList overlayNames() const;
    // The i-th overlay's curve, and its band's lower and upper edges (empty for a single run).
    QVector<QPointF> overlayCurve(int i) const;
    std::pair<QVector<QPointF>, QVector<QPointF>> overlayBand(int i) const;
    std::vector<QColor> overlayColors() const;
    void clearRun();

    bool legendListsClasses() const { return legendClasses_ != LegendClasses::Hidden; }
    // What the user sees, for tests: per class, the (epoch, error) points of the test curve.
    QVector<QPointF> testCurve(int classIndex) const;
    QVector<QPointF> trainCurve(int classIndex) const;
    QVector<QPointF> balancedCurve() const;
    int classCount() const { return int(testGraphs_.size()); }
    // One class in front, the others faint (a click on its legend entry; again to show all);
    // -1 shows every class alike.
    void soloClass(int classIndex);
    int soloedClass() const { return solo_; }
    // Class groups (frequent / minority) as mean test-error curves with their classes' min–max
    // as a band, the classes faint behind: the default for 8 or more classes. Off: every class
    // alike. Runs without a minority (balanced data) have no groups.
    void setGroupMeans(bool on);
    bool groupMeans() const { return groupMeans_; }
    QStringList groupNames() const;
    QVector<QPointF> groupCurve(int group) const;  // 0 frequent, 1 minority
    std::pair<QVector<QPointF>, QVector<QPointF>> groupBand(int group) const;
    QAction* groupMeansAction() const { return groupMeansAction_; }
    // The class under the pointer (a curve or its legend entry) drawn thicker, the others faint;
    // -1: none. Set by hovering; public for tests.
    void highlightClass(int classIndex);
    int highlightedClass() const { return hover_; }
    QCPGraph* testGraph(int classIndex) const {
        return classIndex >= 0 && classIndex < int(testGraphs_.size()) ? testGraphs_[size_t(classIndex)] : nullptr;
    }
    // Past 20 classes: each shot group's mean test error, the middle half of its classes' errors
    // as a band and its mean train error dotted; the kWorstClassesDrawn classes of highest test
    // error at the last evaluation and the picked classes, each as its own curve.
    bool drawsShotGroups() const { return manyClasses_; }
    void setPickedClasses(const std::vector<int>& classes);
    const std::vector<int>& focusClasses() const { return focus_; }  // the worst, then the other picked
    QVector<QPointF> shotGroupCurve(ShotGroup g) const;
    QVector<QPointF> shotGroupTrainCurve(ShotGroup g) const;
    std::pair<QVector<QPointF>, QVector<QPointF>> shotGroupBand(ShotGroup g) const;
    QVector<QPointF> focusCurve(int classIndex) const;  // empty for a class not in focusClasses()
    QString focusName(int classIndex) const;            // its legend entry
    QStringList markerLabels() const;
    QString titleText() const { return fullTitle_; }  // unwrapped
    QString shownTitle() const { return title_->text(); }  // wrapped to the chart's width
    // The chart's title: how often the test curves are evaluated (short runs: within epochs too).
    static QString titleFor(int evaluationsPerEpoch, int64_t midEpochTestRows, int64_t testSize);

protected:
    void mouseMoveEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void applyPens();
    // The title wraps and the legend takes as many columns as fit (rebuilt when its entries change).
    void fitToWidth(bool rebuildLegend);  // solo, hover and group mode over each class's own pens
    int classAt(const QPointF& pos) const;  // the class of the curve or legend entry there; -1
    void addGroupPoint(double x, const std::vector<double>& perClass);
    void ensureGraphs(const RunRecord& run);
    void setMarkers(const RunRecord& run);
    void addBalancedCurve(const RunRecord& run);
    // The shot-group form (error_curves_groups.cpp).
    void addShotGroupGraphs(const RunRecord& run);
    void addShotGroupPoint(double x, const std::vector<double>& testPerClass);
    void addShotGroupTrainPoint(double x, const MetricsReport& r);
    void redrawFocus(const RunRecord& run);  // the worst and picked classes' curves, from the reports
    std::vector<QCPAbstractPlottable*> shotGroupLegendEntries() const;

    std::vector<QCPGraph*> testGraphs_, trainGraphs_, overlayGraphs_;
    std::vector<std::pair<QCPGraph*, QCPGraph*>> overlayBands_;  // per overlay; null for one run
    QCPGraph* balanced_ = nullptr;
    QCPTextElement* title_ = nullptr;
    QString fullTitle_;
    enum class LegendClasses { Full, Short, Hidden };  // "Coat (n=774)", "Coat", none
    LegendClasses legendClasses_ = LegendClasses::Full;
    std::vector<std::pair<QString, QString>> classNames_;  // full and short legend names
    std::vector<QCPItemStraightLine*> markerLines_;
    std::vector<QCPItemText*> markerTexts_;
    int shownRunId_ = -1;
    size_t drawnEpochs_ = 0, drawnSteps_ = 0;  // reports of the shown run already on the chart
    int drawnThinnings_ = 0;
    int solo_ = -1;
    int hover_ = -1;
    bool groupMeans_ = false;
    bool groupMeansChosen_ = false;  // the user's choice outlives the default for a class count
    QAction* groupMeansAction_ = nullptr;
    std::vector<bool> minority_;     // of the shown run
    QCPGraph* groupGraphs_[2] = {nullptr, nullptr};               // frequent, minority means
    std::pair<QCPGraph*, QCPGraph*> groupBands_[2] = {{nullptr, nullptr}, {nullptr, nullptr}};
    std::vector<QPen> testPens_, trainPens_;  // each class's own pens, restored when solo ends

    bool manyClasses_ = false;  // the shot-group form
    struct ShotGroupGraphs {
        std::vector<int> classes;
        QCPGraph* mean = nullptr;
        QCPGraph* train = nullptr;
        QCPGraph* low = nullptr;
        QCPGraph* high = nullptr;
    };
    std::array<ShotGroupGraphs, kShotGroups> shotGroups_;
    std::vector<int> picked_, focus_;
    std::vector<QCPGraph*> focusGraphs_;  // parallel to focus_
    int focusEpoch_ = -1;                 // the reports the focus curves were drawn from (their count)
};

} // namespace imblab::ui
