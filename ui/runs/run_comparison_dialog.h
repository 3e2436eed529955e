// The controlled A/B view: two runs' per-class test errors side by side, their difference, and
// the settings that differ between the runs (after "Duplicate run settings" and one change).
#pragma once

#include "runs/run_record.h"

#include <QDialog>
#include <QStringList>

#include <vector>

class QCustomPlot;
class QTableWidget;
class QLabel;

namespace imblab::ui {

struct ClassDifference {
    QString name;
    int64_t trainCount = 0;
    double errorA = 0, errorB = 0;  // last-epoch test error of each run
    double delta() const { return errorB - errorA; }
};

struct RunComparison {
    QString titleA, titleB;
    QStringList settingChanges;  // "train.seed: 0 → 1", in config order
    std::vector<ClassDifference> classes;
    double balancedA = 0, balancedB = 0;
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

private:
    QTableWidget* table_;
    QCustomPlot* chart_;
    QLabel* changes_;
};

} // namespace imblab::ui
