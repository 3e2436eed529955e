// The PDF run report; see run_report.h.
#include "runs/run_report.h"

#include "charts/qcustomplot_include.h"
#include "io/atomic_file.h"
#include "models/model_names.h"
#include "runs/run_record.h"

#include <QDir>
#include <QFileInfo>
#include <QPdfWriter>
#include <QTextDocument>

#include <cmath>

namespace imblab::ui {

QString writeRunReport(const RunRecord& run, const std::vector<std::pair<QCustomPlot*, QString>>& charts,
                       const QString& path, const QFont& font) {
    const MetricsReport* lastReport = run.lastEpoch();
    if (!lastReport) return QObject::tr("No evaluated run is selected");
    const MetricsReport& last = *lastReport;
    if (!QFileInfo(path).absoluteDir().exists()) return QObject::tr("%1: the folder does not exist").arg(path);
    try {
        writeFileAtomically(path.toStdString(), [&](const std::string& tmp) {
            QPdfWriter pdf(QString::fromStdString(tmp));
            pdf.setPageSize(QPageSize(QPageSize::A4));
            pdf.setPageOrientation(QPageLayout::Landscape);
            pdf.setResolution(96);
            pdf.setTitle(QObject::tr("Imbalance Lab run report: %1").arg(run.title()));
            QCPPainter p;  // one painter for the text page and the charts (QCustomPlot draws with it)
            if (!p.begin(&pdf)) throw std::runtime_error("cannot be written");
            const QRect page = p.viewport();
            auto pct = [](double v) { return std::isfinite(v) ? QString::number(100 * v, 'f', 2) + "%" : QStringLiteral("–"); };
            QString html = QStringLiteral("<h2>%1</h2>").arg(run.title().toHtmlEscaped());
            const ExperimentConfig& c = run.config;
            html += QObject::tr("<p>Dataset %1, profile %2, ρ = %3, μ = %4 · model %5, loss %6, re-balancing %7%8 · %9 epochs, batch %10, "
                       "lr %11, seed %12 · %13, %14 s, %15 %16</p>")
                        .arg(QString::fromStdString(c.dataset.id), QString::fromStdString(c.dataset.profile))
                        .arg(c.dataset.rho)
                        .arg(c.dataset.mu)
                        .arg(QString::fromStdString(c.train.model), QString::fromStdString(c.loss.type), QString::fromStdString(c.rebalance.type))
                        .arg(c.rebalance.deferred ? QObject::tr(" deferred, switching after %1 epochs").arg(run.info.rebalanceAt, 0, 'g', 3) : QString())
                        .arg(c.train.epochs)
                        .arg(c.train.batchSize)
                        .arg(c.train.lr)
                        .arg(c.train.seed)
                        .arg(run.computeText().toHtmlEscaped())
                        .arg(run.summary.wallSeconds, 0, 'f', 1)
                        .arg(run.summary.imgPerSec, 0, 'f', 0)
                        .arg(QString::fromLatin1(throughputUnit(c.train.model)));
            html += QObject::tr("<p><b>Balanced error %1</b>%10 (frequent %2, minority %3) · post-hoc logit adjustment %4 · ECE %5 · "
                       "many/medium/few-shot accuracy %6 / %7 / %8 · last epoch (%9)</p>")
                        .arg(pct(last.balancedError), pct(last.frequentError), pct(last.minorityError), pct(last.balancedErrorPostHocLA))
                        .arg(last.ece, 0, 'f', 4)
                        .arg(pct(last.manyShotAccuracy), pct(last.mediumShotAccuracy), pct(last.fewShotAccuracy))
                        .arg(last.epoch + 1)
                        .arg(MetricsReport::showsTop5(int(run.info.classNames.size())) ? QObject::tr(", <b>top-5 %1</b>").arg(pct(last.top5Error))
                                                                                         : QString());
            if (std::isfinite(last.worstClassError))
                html += QObject::tr("<p>Worst-class error %1 · geometric / harmonic mean of the recalls %2 / %3 · macro-F1 %4 · "
                                    "plain test accuracy %5 (all test examples; the balanced error's complement is %6)</p>")
                            .arg(pct(last.worstClassError), pct(last.geometricMeanRecall), pct(last.harmonicMeanRecall),
                                 pct(last.macroF1), pct(last.plainTestAccuracy), pct(1 - last.balancedError));
            html += QStringLiteral("<table border='1' cellspacing='0' cellpadding='3'><tr><th>class</th><th>n train</th><th>test error</th>"
                                   "<th>train error</th><th>margin γ_j (min)</th><th>median margin</th><th>Δ_j</th><th>w_j</th></tr>");
            for (size_t k = 0; k < run.info.classNames.size(); ++k) {
                html += QStringLiteral("<tr><td>%1</td><td align='right'>%2</td><td align='right'>%3</td><td align='right'>%4</td>"
                                       "<td align='right'>%5</td><td align='right'>%6</td><td align='right'>%7</td><td align='right'>%8</td></tr>")
                            .arg(QString::fromStdString(run.info.classNames[k]).toHtmlEscaped())
                            .arg(run.info.classCounts[k])
                            .arg(pct(last.testErrorPerClass[k]), k < last.trainErrorPerClass.size() ? pct(last.trainErrorPerClass[k]) : QString())
                            .arg(k < last.margins.size() ? QString::number(last.margins[k].min, 'f', 3) : QString())
                            .arg(k < last.margins.size() ? QString::number(last.margins[k].median, 'f', 3) : QString())
                            .arg(k < run.info.deltas.size() ? QString::number(run.info.deltas[k], 'f', 3) : QStringLiteral("–"))
                            .arg(k < run.info.classWeights.size() ? QString::number(run.info.classWeights[k], 'f', 3) : QStringLiteral("–"));
            }
            html += QStringLiteral("</table>");
            QTextDocument doc;
            doc.setDefaultFont(QFont(font.family(), 11));
            doc.setHtml(html);
            doc.setTextWidth(page.width());
            doc.drawContents(&p);
            for (const auto& chart : charts) {
                pdf.newPage();
                chart.first->toPainter(&p, page.width(), page.height());
            }
            p.end();
        });
    } catch (const std::exception& e) {
        return QObject::tr("%1: %2").arg(path, QString::fromUtf8(e.what()));
    }
    return {};
}

} // namespace imblab::ui
