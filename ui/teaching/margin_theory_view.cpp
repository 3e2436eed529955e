// Margin theory explorer; see margin_theory_view.h.
#include "teaching/margin_theory_view.h"

#include "charts/chart_style.h"
#include "losses/loss_values.h"
#include "teaching/margin_theory.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QVBoxLayout>

#include <cmath>

namespace imblab::ui {

namespace {
// Sliders over log10(n) × 100: 1 .. 100 000 examples.
double sliderToN(int v) { return std::round(std::pow(10.0, v / 100.0)); }
int nToSlider(double n) { return int(std::lround(100 * std::log10(n))); }
} // namespace

MarginTheoryView::MarginTheoryView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    n1_ = new QSlider(Qt::Horizontal);
    n1_->setRange(0, 500);
    n1_->setToolTip(tr("n₁: training examples of the frequent class (log scale)."));
    n2_ = new QSlider(Qt::Horizontal);
    n2_->setRange(0, 500);
    n2_->setToolTip(tr("n₂: training examples of the minority class (log scale)."));
    fast_ = new QCheckBox(tr("fast-rate bound 1/(γ₁²n₁) + 1/(γ₂²n₂) (optimum exponent 1/3)"));
    fast_->setToolTip(tr("The paper's fast-rate variant: the optimal margins scale as n^(−1/3) instead of n^(−1/4)."));
    form->addRow(tr("n₁ (frequent)"), n1_);
    form->addRow(tr("n₂ (minority)"), n2_);
    form->addRow(fast_);
    layout->addLayout(form);
    summary_ = new QLabel;
    summary_->setWordWrap(true);
    summary_->setTextFormat(Qt::RichText);
    layout->addWidget(summary_);

    auto* charts = new QHBoxLayout;
    plot_ = new QCustomPlot;
    styleChart(plot_, {false, true});
    plot_->xAxis->setLabel(tr("boundary shift δ toward the frequent class (γ₁ = ½ − δ, γ₂ = ½ + δ)"));
    plot_->yAxis->setLabel(tr("generalization bound"));
    auto* curve = plot_->addGraph();
    curve->setName(tr("bound"));
    curve->setPen(QPen(QColor(0x00, 0x72, 0xB2), 2.5));
    minimum_ = new QCPItemTracer(plot_);
    minimum_->setStyle(QCPItemTracer::tsCircle);
    minimum_->setSize(11);
    minimum_->setPen(QPen(QColor(0xD5, 0x5E, 0x00), 2.5));
    closedLine_ = new QCPItemStraightLine(plot_);
    closedLine_->setPen(QPen(QColor(0xCC, 0x79, 0xA7), 1.5, Qt::DashLine));
    plot_->setMinimumSize(360, 260);
    charts->addWidget(plot_, 3);

    deltas_ = new QCustomPlot;
    styleChart(deltas_, {false, true});
    deltaBars_ = new QCPBars(deltas_->xAxis, deltas_->yAxis);
    deltaBars_->setName(tr("LDAM Δ_j"));
    deltaBars_->setBrush(QColor(0x00, 0x9E, 0x73));
    deltaBars_->setPen(Qt::NoPen);
    deltas_->yAxis->setLabel(tr("LDAM margin Δ_j = C·n_j^(−1/4)"));
    deltas_->xAxis->setTickLabelRotation(60);
    deltas_->setMinimumSize(260, 260);
    charts->addWidget(deltas_, 2);
    layout->addLayout(charts, 1);

    n1_->setValue(nToSlider(1000));
    n2_->setValue(nToSlider(10));
    connect(n1_, &QSlider::valueChanged, this, [this](int v) {
        n1Value_ = std::max(1.0, sliderToN(v));
        recompute();
    });
    connect(n2_, &QSlider::valueChanged, this, [this](int v) {
        n2Value_ = std::max(1.0, sliderToN(v));
        recompute();
    });
    connect(fast_, &QCheckBox::toggled, this, &MarginTheoryView::recompute);
    recompute();
}

void MarginTheoryView::setN(double n1, double n2) {
    const QSignalBlocker b1(n1_), b2(n2_);
    n1_->setValue(nToSlider(n1));
    n2_->setValue(nToSlider(n2));
    n1Value_ = std::max(1.0, n1);
    n2Value_ = std::max(1.0, n2);
    recompute();
}

void MarginTheoryView::setFastRate(bool on) { fast_->setChecked(on); }

void MarginTheoryView::recompute() {
    MarginTradeoff t;
    t.n1 = n1Value_;
    t.n2 = n2Value_;
    t.fastRate = fast_->isChecked();
    const BoundCurve c = boundCurve(t, 400);
    QVector<double> x(c.shift.begin(), c.shift.end()), y(c.bound.begin(), c.bound.end());
    plot_->graph(0)->setData(x, y, true);
    // Attached once the curve has data: a tracer on an empty graph complains on every update.
    if (!minimum_->graph()) minimum_->setGraph(plot_->graph(0));
    const double best = numericOptimalShift(t);
    minimum_->setGraphKey(best);
    numericRatio_ = (0.5 - best) / (0.5 + best);
    closedRatio_ = closedFormRatio(t);
    const double closedShift = shiftForRatio(t, closedRatio_);
    closedLine_->point1->setCoords(closedShift, 0);
    closedLine_->point2->setCoords(closedShift, 1);
    const double yBest = boundAt(t, best);
    plot_->xAxis->setRange(-0.5, 0.5);
    plot_->yAxis->setRange(0, yBest * 4);
    plot_->replot(QCustomPlot::rpQueuedReplot);
    const QString exponent = t.fastRate ? QStringLiteral("1/3") : QStringLiteral("1/4");
    summary_->setText(tr("n₁ = %1, n₂ = %2. Numeric minimum (<span style='color:#D55E00'>●</span>) at δ = %3: "
                         "γ₁/γ₂ = %4. Closed form (<span style='color:#CC79A7'>dashed</span>) (n₂/n₁)^%5 = %6. "
                         "The minority class gets the larger margin.")
                          .arg(t.n1)
                          .arg(t.n2)
                          .arg(best, 0, 'f', 4)
                          .arg(numericRatio_, 0, 'f', 4)
                          .arg(exponent)
                          .arg(closedRatio_, 0, 'f', 4));
}

void MarginTheoryView::setDatasetCounts(const std::vector<std::string>& names, const std::vector<int64_t>& counts,
                                        double maxMargin) {
    if (counts.empty()) return;
    LossConfig ldam;
    ldam.type = "ldam";
    ldam.maxM = maxMargin;
    const auto d = lossMargins(ldam, counts);
    QVector<double> keys, values;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (size_t c = 0; c < d.size(); ++c) {
        keys.push_back(double(c));
        values.push_back(d[c]);
        if (d.size() <= 20) ticker->addTick(double(c), QStringLiteral("%1\nn=%2").arg(QString::fromStdString(names[c])).arg(counts[c]));
    }
    if (d.size() <= 20) deltas_->xAxis->setTicker(ticker);
    deltaBars_->setData(keys, values, true);
    deltas_->xAxis->setRange(-0.7, double(d.size()) - 0.3);
    deltas_->yAxis->setRange(0, maxMargin * 1.1);
    deltas_->replot(QCustomPlot::rpQueuedReplot);
}

QString MarginTheoryView::summaryText() const { return summary_->text(); }

QVector<double> MarginTheoryView::shownDeltas() const {
    QVector<double> out;
    for (auto it = deltaBars_->data()->constBegin(); it != deltaBars_->data()->constEnd(); ++it) out.push_back(it->value);
    return out;
}

} // namespace imblab::ui
