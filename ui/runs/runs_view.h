// The runs list: every run (running, finished, stopped, failed) with its final numbers.
// Selecting one shows its charts; selecting several overlays their balanced-error curves.
#pragma once

#include "runs/run_record.h"

#include <QTableWidget>

namespace imblab::ui {

class RunsView : public QTableWidget {
    Q_OBJECT
public:
    explicit RunsView(QWidget* parent = nullptr);
    void upsert(const RunRecord& run);  // adds or refreshes the row of run.id
    int rowOf(int runId) const;
    QList<int> selectedRunIds() const;
    void removeRun(int runId);  // its row, if listed
    void selectRun(int runId);
    QString cellText(int runId, int column) const;

    // Top5: shown while a listed run has more than 10 classes (MetricsReport::showsTop5), in
    // place of Frequent and Epochs.
    enum Column { Name, Status, Balanced, Minority, Frequent, Top5, Epochs, Seconds, Device, ColumnCount };

Q_SIGNALS:
    void selectionChangedTo(QList<int> runIds);

private:
    void fitColumns();  // the top-5 column while a listed run has one
};

} // namespace imblab::ui
