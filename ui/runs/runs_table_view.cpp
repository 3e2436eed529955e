// Runs table; see runs_table_view.h.
#include "runs/runs_table_view.h"


#include <cmath>

#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace imblab::ui {

RunsTableView::RunsTableView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    table_ = new QTableWidget;
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setToolTip(tr("Balanced test error (%) of the finished runs, last epoch, mean ± std over seeds. Runs pool only when they differ in nothing but their seed; a method run with different settings gets a row per setting, named by what differs."));
    layout->addWidget(table_);
    auto* copy = new QPushButton(tr("Copy as Markdown"));
    copy->setToolTip(tr("Copy the table to the clipboard in Markdown."));
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(markdown()); });
    layout->addWidget(copy);
}

std::vector<RunResultRow> RunsTableView::resultRows(const std::map<int, RunRecord>& runs) {
    std::vector<RunResultRow> rows;
    for (const auto& [id, run] : runs) {
        const MetricsReport* last = run.lastEpoch();
        if (!run.finished || !last || run.summary.status != RunStatus::Finished) continue;
        RunResultRow r = resultRowFor(run.config);
        r.balancedError = last->balancedError;
        r.minorityError = last->minorityError;
        r.frequentError = last->frequentError;
        r.manyShot = last->manyShotAccuracy;
        r.mediumShot = last->mediumShotAccuracy;
        r.fewShot = last->fewShotAccuracy;
        r.classNames = run.info.classNames;
        if (MetricsReport::showsTop5(int(run.info.classNames.size()))) r.top5Error = last->top5Error;
        r.wallSeconds = run.summary.wallSeconds;
        r.collapsed = !run.summary.warning.empty();
        rows.push_back(r);
    }
    return rows;
}

void RunsTableView::refresh(const std::map<int, RunRecord>& runs) {
    rows_ = resultRows(runs);
    const auto aggregate = aggregateRuns(rows_);
    QStringList methods, settings;
    for (const auto& a : aggregate) {
        if (!methods.contains(QString::fromStdString(a.label))) methods << QString::fromStdString(a.label);
        if (!settings.contains(QString::fromStdString(a.setting))) settings << QString::fromStdString(a.setting);
    }
    table_->clear();
    table_->setRowCount(int(methods.size()));
    table_->setColumnCount(int(settings.size()));
    table_->setVerticalHeaderLabels(methods);
    table_->setHorizontalHeaderLabels(settings);
    for (const auto& a : aggregate) {
        const QString mark = a.collapsedRuns > 0 ? QStringLiteral(" †") : QString();
        const QString text = (a.runs > 1 ? QStringLiteral("%1 ± %2 (%3)").arg(100 * a.meanError, 0, 'f', 2).arg(100 * a.stdError, 0, 'f', 2).arg(a.runs)
                                         : QStringLiteral("%1").arg(100 * a.meanError, 0, 'f', 2)) + mark;
        auto* item = new QTableWidgetItem(text);
        auto pct = [](double v) { return std::isfinite(v) ? QString::number(100 * v, 'f', 1) : QStringLiteral("–"); };
        item->setToolTip(tr("%1 · %2\nbalanced error %3 %, minority %4 %, frequent %5 %\n"
                            "many / medium / few-shot accuracy %6 / %7 / %8 %\n(last epoch, %9)")
                             .arg(QString::fromStdString(a.label), QString::fromStdString(a.setting))
                             .arg(100 * a.meanError, 0, 'f', 2)
                             .arg(pct(a.meanMinority), pct(a.meanFrequent), pct(a.meanManyShot), pct(a.meanMediumShot),
                                  pct(a.meanFewShot), a.runs > 1 ? tr("mean over %1 seeds").arg(a.runs) : tr("one run")));
        if (std::isfinite(a.meanTop5)) item->setToolTip(item->toolTip() + tr("\ntop-5 error %1 %").arg(100 * a.meanTop5, 0, 'f', 2));
        if (a.collapsedRuns > 0) {
            item->setToolTip(item->toolTip() + tr("\n† %1 of these runs collapsed: they learned to predict only a few "
                                                  "classes (the Runs list marks them)").arg(a.collapsedRuns));
            item->setForeground(QColor(0xb0, 0x00, 0x20));
        }
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        table_->setItem(int(methods.indexOf(QString::fromStdString(a.label))), int(settings.indexOf(QString::fromStdString(a.setting))), item);
    }
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
}

QTableWidgetItem* RunsTableView::cell(const QString& methodLabel, const QString& setting) const {
    for (int r = 0; r < table_->rowCount(); ++r)
        for (int c = 0; c < table_->columnCount(); ++c)
            if (table_->verticalHeaderItem(r)->text() == methodLabel && table_->horizontalHeaderItem(c)->text() == setting)
                return table_->item(r, c);
    return nullptr;
}

QString RunsTableView::cellText(const QString& methodLabel, const QString& setting) const {
    const QTableWidgetItem* item = cell(methodLabel, setting);
    return item ? item->text() : QString();
}

QString RunsTableView::cellToolTip(const QString& methodLabel, const QString& setting) const {
    const QTableWidgetItem* item = cell(methodLabel, setting);
    return item ? item->toolTip() : QString();
}

} // namespace imblab::ui
