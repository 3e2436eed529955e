// Margin theory explorer (binary case, no training): sliders for n₁ and n₂, the bound
// 1/(γ₁√n₁) + 1/(γ₂√n₂) against the boundary shift δ with γ₁ + γ₂ fixed, its numeric minimum
// and the closed form γ₁/γ₂ = (n₂/n₁)^(1/4) (or ^(1/3) for the fast rate); beside it the LDAM
// margins Δ_j = C·n_j^(−1/4) of the current dataset.
#pragma once

#include "charts/qcustomplot_include.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QSlider;

namespace imblab::ui {

class MarginTheoryView : public QWidget {
    Q_OBJECT
public:
    explicit MarginTheoryView(QWidget* parent = nullptr);
    void setN(double n1, double n2);
    void setFastRate(bool on);
    // The dataset whose LDAM margins are shown (class names and training counts).
    void setDatasetCounts(const std::vector<std::string>& names, const std::vector<int64_t>& counts, double maxMargin = 0.5);

    double numericRatio() const { return numericRatio_; }
    double closedRatio() const { return closedRatio_; }
    QString summaryText() const;
    QCustomPlot* boundPlot() const { return plot_; }
    QCustomPlot* deltaPlot() const { return deltas_; }
    QVector<double> shownDeltas() const;

private:
    void recompute();
    QSlider* n1_;
    QSlider* n2_;
    QCheckBox* fast_;
    QLabel* summary_;
    QCustomPlot* plot_;
    QCustomPlot* deltas_;
    QCPBars* deltaBars_;
    QCPItemStraightLine* closedLine_;
    QCPItemTracer* minimum_;
    double numericRatio_ = 0, closedRatio_ = 0;
    double n1Value_ = 1000, n2Value_ = 10;  // exact values; the sliders are log-quantised
};

} // namespace imblab::ui
