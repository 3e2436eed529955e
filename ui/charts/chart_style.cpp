// Shared chart behaviour; see chart_style.h.
#include "charts/chart_style.h"

#include "charts/qcustomplot_include.h"

#include <QToolTip>
#include <QtMath>

#include <algorithm>
#include <cmath>

namespace imblab::ui {

QColor classColor(int c) {
    static const QColor palette[] = {QColor(0x00, 0x72, 0xB2), QColor(0xE6, 0x9F, 0x00), QColor(0x00, 0x9E, 0x73),
                                     QColor(0xCC, 0x79, 0xA7), QColor(0x56, 0xB4, 0xE9), QColor(0xD5, 0x5E, 0x00),
                                     QColor(0xDD, 0xAA, 0x33), QColor(0x99, 0x99, 0x33), QColor(0x33, 0x22, 0x88),
                                     QColor(0x88, 0x22, 0x55)};
    return palette[c % 10];
}

void resetView(QCustomPlot* plot) {
    plot->rescaleAxes(true);
    plot->replot();
}

void toggleLegendEntry(QCustomPlot* plot, QCPAbstractLegendItem* item) {
    auto* pli = qobject_cast<QCPPlottableLegendItem*>(item);
    if (!pli) return;
    QCPAbstractPlottable* p = pli->plottable();
    p->setVisible(!p->visible());
    QFont f = pli->font();
    f.setStrikeOut(!p->visible());
    pli->setFont(f);
    pli->setTextColor(p->visible() ? Qt::black : Qt::gray);
    plot->replot(QCustomPlot::rpQueuedReplot);
}

void styleChart(QCustomPlot* plot, const ChartOptions& options) {
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom | QCP::iSelectLegend);
    plot->setNoAntialiasingOnDrag(true);
    plot->legend->setFont(QFont(plot->font().family(), 8));
    plot->legend->setBrush(QColor(255, 255, 255, 220));
    QObject::connect(plot, &QCustomPlot::mouseDoubleClick, plot, [plot](QMouseEvent*) { resetView(plot); });
    if (options.legendToggles) {
        QObject::connect(plot, &QCustomPlot::legendClick, plot,
                         [plot](QCPLegend*, QCPAbstractLegendItem* item, QMouseEvent*) { toggleLegendEntry(plot, item); });
    }
    if (!options.hoverValues) return;
    // Hover: the nearest data point of a visible plottable, with its name.
    QObject::connect(plot, &QCustomPlot::mouseMove, plot, [plot](QMouseEvent* e) {
        double best = 12.0;  // pixels
        QString text;
        for (int i = 0; i < plot->plottableCount(); ++i) {
            QCPAbstractPlottable* p = plot->plottable(i);
            if (!p->visible() || p->name().isEmpty()) continue;
            QVariant details;
            const double d = p->selectTest(e->pos(), false, &details);
            if (d >= 0 && d < best) {
                best = d;
                const QCPDataSelection sel = details.value<QCPDataSelection>();
                if (sel.isEmpty()) continue;
                const int index = sel.dataRange().begin();
                const double key = p->interface1D() ? p->interface1D()->dataMainKey(index) : 0;
                const double value = p->interface1D() ? p->interface1D()->dataMainValue(index) : 0;
                text = QStringLiteral("%1\n%2: %3\n%4: %5")
                           .arg(p->name(), p->keyAxis()->label().isEmpty() ? QStringLiteral("x") : p->keyAxis()->label())
                           .arg(key, 0, 'g', 4)
                           .arg(p->valueAxis()->label().isEmpty() ? QStringLiteral("y") : p->valueAxis()->label())
                           .arg(value, 0, 'g', 4);
            }
        }
        if (text.isEmpty()) QToolTip::hideText();
        else QToolTip::showText(e->globalPosition().toPoint(), text, plot);
    });
}

void setChartPresentationScale(QCustomPlot* plot, double scale) {
    QFont f = plot->font();
    f.setPointSizeF(9 * scale);
    for (QCPAxisRect* rect : plot->axisRects())
        for (QCPAxis* axis : rect->axes()) {
            axis->setTickLabelFont(f);
            axis->setLabelFont(f);
        }
    plot->legend->setFont(f);
    for (int i = 0; i < plot->plottableCount(); ++i) {
        // Scaled from the width it had before any scaling, so toggling never accumulates.
        QCPAbstractPlottable* p = plot->plottable(i);
        QPen pen = p->pen();
        if (!p->property("baseWidth").isValid()) p->setProperty("baseWidth", std::max(1.0, pen.widthF()));
        pen.setWidthF(p->property("baseWidth").toDouble() * scale);
        p->setPen(pen);
    }
    plot->replot();
}

QString wrapToWidth(const QString& text, const QFont& font, int width) {
    const QFontMetrics metrics(font);
    QStringList lines;
    QString line;
    for (const QString& word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QString longer = line.isEmpty() ? word : line + QLatin1Char(' ') + word;
        if (!line.isEmpty() && metrics.horizontalAdvance(longer) > width) {
            lines << line;
            line = word;
        } else {
            line = longer;
        }
    }
    if (!line.isEmpty()) lines << line;
    return lines.join(QLatin1Char('\n'));
}

double classNameSlant(const QCPAxis* axis, double spacing) {
    const double line = QFontMetrics(axis->tickLabelFont()).height();
    return spacing * std::sin(qDegreesToRadians(35.0)) >= line ? 35 : 90;
}

void fitClassNamesUnderBars(QCustomPlot* plot, const QString& lastLabel, QSize& fittedSize) {
    if (lastLabel.isEmpty() || fittedSize == plot->size()) return;
    fittedSize = plot->size();
    QCPAxis* x = plot->xAxis;
    const double slant = classNameSlant(x, std::abs(x->coordToPixel(1) - x->coordToPixel(0)));
    if (slant == x->tickLabelRotation()) return;
    x->setTickLabelRotation(slant);
    makeRoomForLastTickLabel(plot, lastLabel);
    plot->replot(QCustomPlot::rpQueuedReplot);
}

void fitXAxisLabel(QCustomPlot* plot, const QString& full) {
    const QRect rect = plot->axisRect()->rect();
    const int centre = rect.center().x();
    const int room = 2 * std::min(centre, plot->width() - centre) - 8;
    const QString text = wrapToWidth(full, plot->xAxis->labelFont(), std::max(room, 40));
    if (text == plot->xAxis->label()) return;
    plot->xAxis->setLabel(text);
    plot->replot(QCustomPlot::rpQueuedReplot);
}

void fitValueTicks(QCPAxis* axis) {
    const QFontMetrics metrics(axis->tickLabelFont());
    const QCPRange range = axis->range();
    const int precision = axis->numberPrecision();
    const int widest = std::max({metrics.horizontalAdvance(QString::number(range.lower, 'g', precision)),
                                 metrics.horizontalAdvance(QString::number(range.upper, 'g', precision)),
                                 metrics.horizontalAdvance(QStringLiteral("-00"))});
    const int length = axis->orientation() == Qt::Horizontal ? axis->axisRect()->width() : axis->axisRect()->height();
    // QCustomPlot rounds the step to a nice one, which can add a tick: leave two labels' room.
    const int count = std::clamp(length / std::max(1, 2 * widest + metrics.horizontalAdvance(QStringLiteral("  "))), 2, 5);
    if (axis->ticker()->tickCount() == count) return;
    axis->ticker()->setTickCount(count);
    axis->parentPlot()->replot(QCustomPlot::rpQueuedReplot);
}

QVector<QPointF> graphPoints(const QCPGraph* graph) {
    QVector<QPointF> out;
    if (!graph) return out;
    for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it) out.push_back({it->key, it->value});
    return out;
}

void showErrorRange(QCPAxis* axis) { axis->setRange(-0.03, 1.04); }

void makeRoomForLastTickLabel(QCustomPlot* plot, const QString& lastLabel) {
    const QFontMetrics metrics(plot->xAxis->tickLabelFont());
    const double slant = qDegreesToRadians(plot->xAxis->tickLabelRotation());
    const int room = int(std::ceil(metrics.horizontalAdvance(lastLabel) * std::cos(slant))) + 6;
    QCPAxisRect* rect = plot->axisRect();
    rect->setAutoMargins(QCP::msLeft | QCP::msTop | QCP::msBottom);
    QMargins margins = rect->margins();
    margins.setRight(std::max(room, 12));
    rect->setMargins(margins);
}

} // namespace imblab::ui
