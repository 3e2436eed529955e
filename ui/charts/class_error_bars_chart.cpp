// Per-class error bars; see class_error_bars_chart.h.
#include "charts/class_error_bars_chart.h"

#include "charts/chart_style.h"

namespace imblab::ui {

ClassErrorBarsChart::ClassErrorBarsChart(QWidget* parent) : QCustomPlot(parent) {
    styleChart(this);
    auto* group = new QCPBarsGroup(this);
    train_ = new QCPBars(xAxis, yAxis);
    train_->setName(QStringLiteral("train error"));
    train_->setBrush(QColor(0x56, 0xB4, 0xE9, 150));
    train_->setPen(Qt::NoPen);
    train_->setWidth(0.38);
    train_->setBarsGroup(group);
    test_ = new QCPBars(xAxis, yAxis);
    test_->setName(QStringLiteral("test error"));
    test_->setBrush(QColor(0x00, 0x72, 0xB2));
    test_->setPen(Qt::NoPen);
    test_->setWidth(0.38);
    test_->setBarsGroup(group);
    balanced_ = new QCPItemStraightLine(this);
    balanced_->setPen(QPen(Qt::black, 1.5, Qt::DashLine));
    balanced_->setVisible(false);
    yAxis->setLabel(QStringLiteral("error"));
    showErrorRange(yAxis);
    xAxis->setTickLabelRotation(35);
    legend->setVisible(true);
    legend->setFont(QFont(font().family(), 7));
    // The legend in a row under the plot, side by side: inside, it covered the bars of a class.
    axisRect()->insetLayout()->take(legend);
    plotLayout()->addElement(1, 0, legend);
    plotLayout()->setRowStretchFactor(1, 0.001);
    legend->setFillOrder(QCPLegend::foColumnsFirst);
    legend->setBorderPen(Qt::NoPen);
    plotLayout()->insertRow(0);
    plotLayout()->addElement(0, 0, new QCPTextElement(this, QStringLiteral("Per-class error now (dashed: balanced)"),
                                                      QFont(font().family(), 9, QFont::Bold)));
    connect(this, &QCustomPlot::afterLayout, this, [this] { fitClassNamesUnderBars(this, lastName_, fittedSize_); });
}

void ClassErrorBarsChart::clearRun() {
    shownRun_ = shownEpoch_ = -1;
    train_->data()->clear();
    test_->data()->clear();
    balanced_->setVisible(false);
    replot(QCustomPlot::rpQueuedReplot);
}

void ClassErrorBarsChart::showRun(const RunRecord& run) {
    const MetricsReport* r = run.lastEpoch();
    if (r && run.id == shownRun_ && r->epoch == shownEpoch_) return;
    shownRun_ = run.id;
    shownEpoch_ = r ? r->epoch : -1;
    if (!r) {
        clearRun();
        return;
    }
    QVector<double> keys, tr, te;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const size_t k = r->testErrorPerClass.size();
    for (size_t c = 0; c < k; ++c) {
        keys.push_back(double(c));
        te.push_back(r->testErrorPerClass[c]);
        tr.push_back(c < r->trainErrorPerClass.size() ? r->trainErrorPerClass[c] : 0.0);
        if (k <= 20) ticker->addTick(double(c), QString::fromStdString(run.info.classNames[c]));
    }
    if (k <= 20) xAxis->setTicker(ticker);
    nameClasses(k <= 20 && k > 0 ? QString::fromStdString(run.info.classNames[k - 1]) : QString());
    train_->setData(keys, tr, true);
    test_->setData(keys, te, true);
    balanced_->point1->setCoords(0, r->balancedError);
    balanced_->point2->setCoords(1, r->balancedError);
    balanced_->setVisible(true);
    xAxis->setRange(-0.7, double(k) - 0.3);
    replot(QCustomPlot::rpQueuedReplot);
}

void ClassErrorBarsChart::showClasses(const std::vector<std::string>& names) {
    clearRun();
    const size_t k = names.size();
    if (k == 0 || k > 20) return;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (size_t c = 0; c < k; ++c) ticker->addTick(double(c), QString::fromStdString(names[c]));
    xAxis->setTicker(ticker);
    nameClasses(QString::fromStdString(names[k - 1]));
    xAxis->setRange(-0.7, double(k) - 0.3);
    replot(QCustomPlot::rpQueuedReplot);
}

void ClassErrorBarsChart::nameClasses(const QString& lastName) {
    lastName_ = lastName;
    fittedSize_ = QSize();  // new names: slant them again at the next layout
    if (!lastName.isEmpty()) makeRoomForLastTickLabel(this, lastName);
}

QVector<double> ClassErrorBarsChart::testBars() const {
    QVector<double> out;
    for (auto it = test_->data()->constBegin(); it != test_->data()->constEnd(); ++it) out.push_back(it->value);
    return out;
}

} // namespace imblab::ui
