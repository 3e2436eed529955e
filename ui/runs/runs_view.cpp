// Runs list; see runs_view.h.
#include "runs/runs_view.h"

#include <QHeaderView>

#include <cmath>

namespace imblab::ui {

namespace {
QString percent(double v) { return std::isfinite(v) ? QString::number(100 * v, 'f', 2) : QStringLiteral("–"); }
} // namespace

RunsView::RunsView(QWidget* parent) : QTableWidget(0, ColumnCount, parent) {
    setHorizontalHeaderLabels({tr("Run"), tr("Status"), tr("Bal. err %"), tr("Minority %"), tr("Frequent %"),
                               tr("Epochs"), tr("Time s"), tr("Device")});
    horizontalHeader()->setSectionResizeMode(Name, QHeaderView::Stretch);
    for (int c = Status; c < ColumnCount; ++c) horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    verticalHeader()->hide();
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setToolTip(tr("Every run of this session. Select one to see its charts; select several to compare their "
                  "balanced-error curves."));
    connect(this, &QTableWidget::itemSelectionChanged, this, [this] { Q_EMIT selectionChangedTo(selectedRunIds()); });
}

int RunsView::rowOf(int runId) const {
    for (int r = 0; r < rowCount(); ++r)
        if (item(r, Name) && item(r, Name)->data(Qt::UserRole).toInt() == runId) return r;
    return -1;
}

void RunsView::upsert(const RunRecord& run) {
    int row = rowOf(run.id);
    if (row < 0) {
        row = rowCount();
        insertRow(row);
        for (int c = 0; c < ColumnCount; ++c) setItem(row, c, new QTableWidgetItem);
        item(row, Name)->setData(Qt::UserRole, run.id);
    }
    const MetricsReport* last = run.lastEpoch();
    item(row, Name)->setText(run.title());
    item(row, Name)->setToolTip(run.error.isEmpty() ? run.title() : run.error);
    item(row, Status)->setText(run.statusText());
    item(row, Status)->setToolTip(QString::fromStdString(run.summary.warning.empty() ? run.summary.message : run.summary.warning));
    item(row, Status)->setForeground(run.summary.warning.empty() ? palette().text() : QBrush(QColor(0xb0, 0x00, 0x20)));
    item(row, Balanced)->setText(last ? percent(last->balancedError) : QStringLiteral("–"));
    item(row, Minority)->setText(last ? percent(last->minorityError) : QStringLiteral("–"));
    item(row, Frequent)->setText(last ? percent(last->frequentError) : QStringLiteral("–"));
    item(row, Epochs)->setText(QStringLiteral("%1/%2").arg(last ? last->epoch + 1 : 0).arg(run.config.train.epochs));
    item(row, Seconds)->setText(run.finished ? QString::number(run.summary.wallSeconds, 'f', 1) : QStringLiteral("…"));
    item(row, Device)->setText(run.hasInfo ? QString::fromStdString(run.info.device) : QString());
    for (int c = Balanced; c < ColumnCount; ++c) item(row, c)->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
}

QList<int> RunsView::selectedRunIds() const {
    QList<int> ids;
    for (const auto& index : selectionModel()->selectedRows()) ids << item(index.row(), Name)->data(Qt::UserRole).toInt();
    return ids;
}

void RunsView::selectRun(int runId) {
    const int row = rowOf(runId);
    if (row < 0) return;
    // The run alone: selectRow() alone would add to the selection while Ctrl is held (Ctrl+R).
    clearSelection();
    selectRow(row);
}

QString RunsView::cellText(int runId, int column) const {
    const int row = rowOf(runId);
    return row >= 0 && item(row, column) ? item(row, column)->text() : QString();
}

} // namespace imblab::ui
