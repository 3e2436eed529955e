// The τ-normalisation curve; see tau_norm_dialog.h.
#include "charts/tau_norm_dialog.h"

#include "charts/chart_style.h"
#include "charts/qcustomplot_include.h"
#include "runs/run_record.h"

#include "api/loss_kinds.h"

#include <QLabel>
#include <QVBoxLayout>

namespace imblab::ui {

QString tauNormUnavailableReason(const RunRecord& run) {
    if (!run.summary.tauNormTaus.empty()) return {};
    if (!run.finished) return QObject::tr("Run #%1 has not finished: the curve is computed after its last epoch").arg(run.id);
    if (run.config.loss.usesNormalizedHead())
        return QObject::tr("Run #%1 trains a cosine head (%2): its class vectors are normalised already, so τ has nothing "
                           "to rescale")
            .arg(run.id)
            .arg(QString::fromStdString(run.config.loss.type));
    return QObject::tr("Run #%1 has no τ-normalisation curve (it did not finish its last evaluation, or was opened from a "
                       "folder written before this version)")
        .arg(run.id);
}

TauNormDialog::TauNormDialog(const RunRecord& run, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("τ-normalisation — %1").arg(run.title()));
    auto* layout = new QVBoxLayout(this);
    plot_ = new QCustomPlot;
    plot_->setMinimumSize(520, 320);
    styleChart(plot_);
    layout->addWidget(plot_);
    summary_ = new QLabel;
    summary_->setWordWrap(true);
    layout->addWidget(summary_);

    const RunSummary& s = run.summary;
    QVector<double> taus, errors;
    for (size_t i = 0; i < s.tauNormTaus.size() && i < s.tauNormBalancedError.size(); ++i) {
        taus.push_back(s.tauNormTaus[i]);
        errors.push_back(100 * s.tauNormBalancedError[i]);
    }
    auto* curve = plot_->addGraph();
    curve->setName(tr("τ-normalised head (no bias)"));
    curve->setData(taus, errors);
    curve->setPen(QPen(classColor(0), 2));
    curve->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
    double trained = std::numeric_limits<double>::quiet_NaN();
    if (s.hasFinalReport) {
        trained = 100 * s.finalReport.balancedError;
        auto* line = plot_->addGraph();
        line->setName(tr("as trained (with bias)"));
        line->setData(QVector<double>{0, 2}, QVector<double>{trained, trained});
        QPen dashed(Qt::black, 1.5, Qt::DashLine);
        line->setPen(dashed);
    }
    plot_->xAxis->setLabel(tr("τ"));
    plot_->yAxis->setLabel(tr("balanced test error (%)"));
    plot_->plotLayout()->insertRow(0);
    plot_->plotLayout()->addElement(0, 0, new QCPTextElement(plot_, run.title()));
    plot_->legend->setVisible(true);
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    plot_->rescaleAxes();
    plot_->xAxis->setRange(-0.05, 2.05);
    const QCPRange y = plot_->yAxis->range();
    plot_->yAxis->setRange(std::max(0.0, y.lower - 2), std::min(100.0, y.upper + 2));

    int best = 0;
    for (int i = 1; i < errors.size(); ++i)
        if (errors[i] < errors[best]) best = i;
    const int one = int(taus.indexOf(1.0));
    QString text = tr("τ = 1 (every class a unit vector): %1 %").arg(one >= 0 ? errors[one] : 0.0, 0, 'f', 2);
    if (std::isfinite(trained)) text += tr(" · as trained: %1 %").arg(trained, 0, 'f', 2);
    if (!errors.isEmpty())
        text += tr(" · lowest at τ = %1: %2 % (chosen on the test set: optimistic)").arg(taus[best], 0, 'f', 1).arg(errors[best], 0, 'f', 2);
    summary_->setText(text);
    plot_->replot();
}

QString TauNormDialog::summaryText() const { return summary_->text(); }

} // namespace imblab::ui
