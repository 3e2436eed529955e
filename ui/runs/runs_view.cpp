// Runs list; see runs_view.h.
#include "runs/runs_view.h"

#include "api/methods.h"

#include <QHeaderView>

#include <cmath>

namespace imblab::ui {

namespace {
// One decimal in the list (it must fit a narrow dock without sideways scrolling); two in the tooltip.
QString percent(double v, int decimals = 1) { return std::isfinite(v) ? QString::number(100 * v, 'f', decimals) : QStringLiteral("–"); }
} // namespace

RunsView::RunsView(QWidget* parent) : QTableWidget(0, ColumnCount, parent) {
    // Compact headers and a compact name ("#3 LDAM-DRW") so name, status, the three errors and
    // the epochs fit the 1280-pixel window's dock without sideways scrolling; the rest is in the
    // tooltips (and in the Table tab).
    setHorizontalHeaderLabels({tr("Run"), tr("Status"), tr("Bal.%"), tr("Min.%"), tr("Freq.%"), tr("Top-5%"), tr("Ep."),
                               tr("Time s"), tr("Device")});
    const QStringList tips = {tr("Run number and method; the tooltip has its data and settings"),
                              tr("queued, running, finished, collapsed, stopped or failed"),
                              tr("Balanced test error, %, last evaluation"),
                              tr("Mean test error of the minority classes, %"),
                              tr("Mean test error of the frequent classes, %"),
                              tr("Top-5 test error, %: the label not among the five largest logits, averaged over the "
                                 "classes (runs of more than 10 classes)"),
                              tr("Epochs done / planned"), tr("Wall time, s"), tr("Device")};
    for (int c = 0; c < ColumnCount; ++c) horizontalHeaderItem(c)->setToolTip(tips[c]);
    horizontalHeader()->setSectionResizeMode(Name, QHeaderView::Stretch);
    for (int c = Status; c < ColumnCount; ++c) horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    horizontalHeader()->setMinimumSectionSize(24);
    setColumnHidden(Top5, true);
    setColumnHidden(Seconds, true);
    setColumnHidden(Device, true);
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

void RunsView::removeRun(int runId) {
    if (const int row = rowOf(runId); row >= 0) removeRow(row);
    fitColumns();
}

void RunsView::fitColumns() {
    bool anyTop5 = false;
    for (int r = 0; r < rowCount(); ++r) anyTop5 = anyTop5 || (item(r, Top5) && item(r, Top5)->data(Qt::UserRole).toBool());
    setColumnHidden(Top5, !anyTop5);
    // The dock fits four number columns beside a readable name: the frequent classes' error and
    // the epochs give way to the top-5 (they stay in the Table tab, the epochs in the name's tooltip).
    setColumnHidden(Frequent, anyTop5);
    setColumnHidden(Epochs, anyTop5);
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
    item(row, Name)->setText(QStringLiteral("#%1 %2").arg(run.id).arg(QString::fromStdString(methodLabelOf(run.config))));
    QString tip = run.title();
    tip += tr("\nepochs %1/%2").arg(last ? last->epoch + 1 : 0).arg(run.plannedEpochs());
    if (run.finished)
        tip += tr("\n%1 s on %2").arg(run.summary.wallSeconds, 0, 'f', 1).arg(run.hasInfo ? run.computeText() : QString::fromStdString(run.summary.device));
    if (!run.error.isEmpty()) tip += QStringLiteral("\n") + run.error;
    item(row, Name)->setToolTip(tip);
    item(row, Status)->setText(run.statusText());
    item(row, Status)->setToolTip(QString::fromStdString(run.summary.warning.empty() ? run.summary.message : run.summary.warning));
    item(row, Status)->setForeground(run.summary.warning.empty() ? palette().text() : QBrush(QColor(0xb0, 0x00, 0x20)));
    item(row, Balanced)->setText(last ? percent(last->balancedError) : QStringLiteral("–"));
    item(row, Balanced)->setToolTip(last ? tr("balanced error %1 %").arg(percent(last->balancedError, 2)) : QString());
    item(row, Minority)->setText(last ? percent(last->minorityError) : QStringLiteral("–"));
    item(row, Frequent)->setText(last ? percent(last->frequentError) : QStringLiteral("–"));
    const bool top5 = MetricsReport::showsTop5(int(run.info.classNames.size()));
    item(row, Top5)->setText(last && top5 ? percent(last->top5Error) : QStringLiteral("–"));
    item(row, Top5)->setData(Qt::UserRole, top5);
    fitColumns();
    item(row, Epochs)->setText(QStringLiteral("%1/%2").arg(last ? last->epoch + 1 : 0).arg(run.plannedEpochs()));
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
