// The runs pivoted like the paper's Table 2: methods × imbalance settings, each cell the mean ±
// std of the last-epoch balanced error over the seeds run (the sweep's own aggregation).
#pragma once

#include "io/results_table.h"
#include "runs/run_record.h"

#include <QWidget>

#include <map>

class QTableWidget;
class QTableWidgetItem;

namespace imblab::ui {

class RunsTableView : public QWidget {
    Q_OBJECT
public:
    explicit RunsTableView(QWidget* parent = nullptr);
    void refresh(const std::map<int, RunRecord>& runs);
    QString cellText(const QString& methodLabel, const QString& setting) const;
    QString cellToolTip(const QString& methodLabel, const QString& setting) const;
    QString markdown() const { return QString::fromStdString(resultsMarkdown(rows_)); }

    // The rows of the finished runs (what refresh() aggregates).
    static std::vector<RunResultRow> resultRows(const std::map<int, RunRecord>& runs);

private:
    QTableWidgetItem* cell(const QString& methodLabel, const QString& setting) const;

    QTableWidget* table_;
    std::vector<RunResultRow> rows_;
};

} // namespace imblab::ui
