// The look and behaviour every chart shares: a colour-blind-safe class palette, fonts, and the
// interactions (zoom/pan, hover values, legend toggles, reset view on double-click).
#pragma once

#include <QColor>
#include <QFont>
#include <QPointF>
#include <QSize>
#include <QString>
#include <QVector>

class QCustomPlot;
class QCPGraph;
class QCPAbstractLegendItem;
class QCPAxis;

namespace imblab::ui {

// Okabe–Ito's colours (black and the pale yellow swapped for Tol's olive and a darker yellow, since
// black marks the balanced error), then Tol's indigo and wine: safe for the common forms of
// colour blindness.
QColor classColor(int classIndex);

struct ChartOptions {
    bool legendToggles = true;  // clicking a legend entry hides/shows its plottables
    bool hoverValues = true;    // tooltip with the nearest point's values
};

// Applies fonts and interactions, adds the hover tooltip and the double-click reset.
void styleChart(QCustomPlot* plot, const ChartOptions& options = {});
// Hides or shows a legend entry's plottable, striking its name through while hidden.
void toggleLegendEntry(QCustomPlot* plot, QCPAbstractLegendItem* item);
// Rescales all axes to the data (the "reset view" action).
void resetView(QCustomPlot* plot);
// `text` broken at spaces into lines no wider than `width` pixels in `font` (a chart title that
// would be clipped on a narrow chart wraps instead); a word wider than that keeps its own line.
QString wrapToWidth(const QString& text, const QFont& font, int width);
// Room right of the plot for the last class's slanted tick label, which QCustomPlot would
// otherwise leave out where it crosses the widget's edge.
void makeRoomForLastTickLabel(QCustomPlot* plot, const QString& lastLabel);
// The slant for class names `spacing` pixels apart on `axis`: neighbours slanted at θ lie
// spacing·sin θ apart, so 35° while a line of its font fits in that, else upright (90°).
double classNameSlant(const QCPAxis* axis, double spacing);
// Class names under the bars of `plot` (one class per x unit): slanted or upright as
// classNameSlant says, with room for the last one. Call after each layout; it refits once per
// widget size (the margins it changes move the bars a little, which must not flip it back) and
// asks for a replot when it changed anything.
void fitClassNamesUnderBars(QCustomPlot* plot, const QString& lastLabel, QSize& fittedSize);
// An error axis from 0 to 1 with a little room beyond both ends, so a class at 0 % or 100 %
// error is drawn inside the plot, not on its frame.
void showErrorRange(QCPAxis* axis);
// The x axis's label `full`, wrapped to the room it has centred under the plot (a narrow plot
// beside wide tick labels has its centre near the widget's edge); call after each layout.
// Asks for a replot when the text changed.
void fitXAxisLabel(QCustomPlot* plot, const QString& full);
// Value ticks on `axis` no closer than their labels allow: QCustomPlot's default of about five
// ticks ran "-20-10 0 1020" together on the narrow margins chart. Call after each layout; asks
// for a replot when it changed the count.
void fitValueTicks(QCPAxis* axis);
// A graph's points in key order (none for a null graph): what tests and exports read back.
QVector<QPointF> graphPoints(const QCPGraph* graph);
// Scales fonts and line widths for a projector (presentation mode).
void setChartPresentationScale(QCustomPlot* plot, double scale);

} // namespace imblab::ui
