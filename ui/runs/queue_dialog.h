// Run ▸ Queue a Grid: methods × seeds × imbalance ratios on top of the current settings, run
// one after another in the background.
#pragma once

#include "api/experiment_grid.h"

#include <QDialog>

#include <string>
#include <vector>

class QListWidget;
class QLineEdit;
class QLabel;
class QSpinBox;

namespace imblab::ui {

// The grid the dialog describes (core's rule, shared with imblab-cli sweep).
using QueueGrid = ExperimentGrid;

class QueueDialog : public QDialog {
    Q_OBJECT
public:
    QueueDialog(double currentRho, int currentEpochs, QWidget* parent = nullptr);
    // The grid the fields describe; false with a message naming the field when one is wrong.
    bool grid(QueueGrid& out, QString& error) const;
    QListWidget* methodList() const { return methods_; }
    QLineEdit* seedsEdit() const { return seeds_; }
    QLineEdit* rhosEdit() const { return rhos_; }
    QSpinBox* epochsBox() const { return epochs_; }  // epochs of every run of the grid
    QString countText() const;  // "6 run(s)": how many runs the fields make

private:
    QListWidget* methods_;
    QLineEdit* seeds_;
    QLineEdit* rhos_;
    QSpinBox* epochs_;
    QLabel* error_;
    QLabel* count_ = nullptr;
    void updateCount();
};

} // namespace imblab::ui
