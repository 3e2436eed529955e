// Chart files; see chart_export.h.
#include "charts/chart_export.h"

#include "charts/chart_export_dialog.h"
#include "charts/chart_style.h"
#include "charts/qcustomplot_include.h"

#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QTemporaryFile>

namespace imblab::ui {

QString exportChart(QCustomPlot* plot, const QString& path, const ChartExportOptions& o) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != "png" && suffix != "pdf" && suffix != "svg")
        return QStringLiteral("%1: unknown format '.%2' (use .png, .pdf or .svg)").arg(path, suffix);
    const QFileInfo info(path);
    if (!info.absoluteDir().exists()) return QStringLiteral("%1: the folder does not exist").arg(path);
    QTemporaryFile tmp(info.absolutePath() + "/." + info.fileName() + ".XXXXXX." + suffix);
    tmp.setAutoRemove(true);
    if (!tmp.open()) return QStringLiteral("%1: cannot write in this folder").arg(path);
    tmp.close();
    plot->setBackground(o.transparent ? QBrush(Qt::transparent) : QBrush(Qt::white));
    bool ok = false;
    if (suffix == "png") {
        ok = plot->savePng(tmp.fileName(), o.width, o.height, o.scale, -1, -1, QCP::ruDotsPerInch);
    } else if (suffix == "pdf") {
        ok = plot->savePdf(tmp.fileName(), o.width, o.height, QCP::epNoCosmetic);
    } else {
        QSvgGenerator svg;
        svg.setFileName(tmp.fileName());
        svg.setSize(QSize(o.width, o.height));
        svg.setViewBox(QRect(0, 0, o.width, o.height));
        svg.setTitle(QStringLiteral("Imbalance Lab chart"));
        QCPPainter painter;
        ok = painter.begin(&svg);
        if (ok) {
            plot->toPainter(&painter, o.width, o.height);
            painter.end();
        }
    }
    plot->setBackground(QBrush(Qt::white));  // our charts' on-screen background
    plot->replot();
    if (!ok) return QStringLiteral("%1: the chart could not be rendered").arg(path);
    QFile::remove(path);
    if (!QFile::rename(tmp.fileName(), path)) return QStringLiteral("%1: cannot replace the file").arg(path);
    tmp.setAutoRemove(false);
    return {};
}

void addChartContextMenu(QCustomPlot* chart, const QString& stableName,
                         const std::function<void(const QString&, bool)>& report) {
    chart->setContextMenuPolicy(Qt::ActionsContextMenu);
    for (const QString& format : {QStringLiteral("png"), QStringLiteral("pdf"), QStringLiteral("svg")}) {
        auto* action = new QAction(QObject::tr("Export as %1…").arg(format.toUpper()), chart);
        QObject::connect(action, &QAction::triggered, chart, [chart, stableName, format, report] {
            ChartExportDialog options(format == QStringLiteral("png"), chart);
            if (options.exec() != QDialog::Accepted) return;
            // A chart showing a run carries the run's file stem: the file says which run it is.
            const QString stem = chart->property(kChartFileStemProperty).toString();
            const QString name = (stem.isEmpty() ? QString() : stem + "_") + stableName + "." + format;
            const QString path = QFileDialog::getSaveFileName(chart, QObject::tr("Export chart"), name,
                                                              format.toUpper() + QStringLiteral(" (*.") + format + ")");
            if (path.isEmpty()) return;
            const QString err = exportChart(chart, path, options.options());
            report(err.isEmpty() ? QObject::tr("Chart written to %1").arg(path) : err, !err.isEmpty());
        });
        chart->addAction(action);
    }
    auto* reset = new QAction(QObject::tr("Reset view"), chart);
    QObject::connect(reset, &QAction::triggered, chart, [chart] { resetView(chart); });
    chart->addAction(reset);
}

} // namespace imblab::ui
