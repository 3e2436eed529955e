// The controlled A/B view: two runs' per-class test errors side by side, their difference, the
// settings that differ between the runs (after "Duplicate run settings" and one change), and each
// class's training-margin histograms of both runs overlaid with their Δ_j and γ_j.
#pragma once

#include "runs/run_record.h"

#include <QDialog>
#include <QStringList>

#include <vector>

class QComboBox;
class QCPTextElement;
class QCustomPlot;
class QTableWidget;
class QLabel;

namespace imblab::ui {

struct ClassDifference {
    QString name;
    int64_t trainCount = 0;
    double errorA = 0, errorB = 0;  // last-epoch test error of each run
    double delta() const { return errorB - errorA; }
    // The class's training margins at the last evaluation: γ_j (the smallest margin), the loss's
    // target margin Δ_j (NaN when the loss has none) and the histogram over the run's range.
    double gammaA = 0, gammaB = 0;
    double marginTargetA = 0, marginTargetB = 0;
    std::vector<int64_t> histogramA, histogramB;
};

struct RunComparison {
    QString titleA, titleB;
    QStringList settingChanges;  // "train.seed: 0 → 1", in config order
    std::vector<ClassDifference> classes;
    double balancedA = 0, balancedB = 0;
    bool hasMargins = false;  // both evaluations carry margin statistics
    double marginLoA = 0, marginHiA = 0, marginLoB = 0, marginHiB = 0;
};

// Compares the last evaluations of two runs; an empty `classes` and a message in `error` when
// either has none or their classes differ.
RunComparison compareRuns(const RunRecord& a, const RunRecord& b, QString* error);

class RunComparisonDialog : public QDialog {
    Q_OBJECT
public:
    explicit RunComparisonDialog(const RunComparison& comparison, QWidget* parent = nullptr);
    QTableWidget* table() const { return table_; }
    QCustomPlot* chart() const { return chart_; }
    QLabel* changesLabel() const { return changes_; }
    QCustomPlot* marginChart() const { return marginChart_; }
    QComboBox* marginClassCombo() const { return marginClass_; }

private:
    // Class j's margin histograms, A solid and B dashed, as shares of the class's examples, with
    // each run's Δ_j (where its loss has one) as a dotted line.
    void showMargins(int j);

    RunComparison c_;
    QTableWidget* table_;
    QCustomPlot* chart_;
    QLabel* changes_;
    QCustomPlot* marginChart_;
    QComboBox* marginClass_;
    QCPTextElement* marginTitle_ = nullptr;
};

} // namespace imblab::ui
