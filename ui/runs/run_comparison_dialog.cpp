// A/B comparison of two runs; see run_comparison_dialog.h.
#include "runs/run_comparison_dialog.h"

#include "charts/chart_export.h"
#include "charts/chart_style.h"
#include "charts/qcustomplot_include.h"
#include "io/config_json.h"

#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace imblab::ui {

namespace {

QString valueText(const QJsonValue& v) {
    if (v.isString()) return v.toString();
    if (v.isBool()) return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isDouble()) return QString::number(v.toDouble(), 'g', 8);
    if (v.isNull()) return QStringLiteral("default");
    return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
}

// "section.field: a → b" for every field of the two configs that differs (the free-text name
// excepted), in the order of the config file.
QStringList changedSettings(const ExperimentConfig& a, const ExperimentConfig& b) {
    const auto ja = QJsonDocument::fromJson(QByteArray::fromStdString(configToJson(a))).object();
    const auto jb = QJsonDocument::fromJson(QByteArray::fromStdString(configToJson(b))).object();
    QStringList out;
    const QStringList sections{QStringLiteral("dataset"), QStringLiteral("loss"), QStringLiteral("rebalance"),
                               QStringLiteral("train")};
    for (const auto& section : sections) {
        const auto sa = ja[section].toObject(), sb = jb[section].toObject();
        for (auto it = sa.begin(); it != sa.end(); ++it)
            if (it.value() != sb[it.key()])
                out << QStringLiteral("%1.%2: %3 → %4").arg(section, it.key(), valueText(it.value()), valueText(sb[it.key()]));
    }
    return out;
}

} // namespace

RunComparison compareRuns(const RunRecord& a, const RunRecord& b, QString* error) {
    RunComparison c;
    c.titleA = a.title();
    c.titleB = b.title();
    const MetricsReport* ra = a.lastEpoch();
    const MetricsReport* rb = b.lastEpoch();
    if (!ra || !rb) {
        if (error) *error = QObject::tr("Both runs need a finished evaluation to be compared");
        return c;
    }
    if (a.info.classNames != b.info.classNames || ra->testErrorPerClass.size() != rb->testErrorPerClass.size()) {
        if (error) *error = QObject::tr("The two runs have different classes: compare runs of the same dataset");
        return c;
    }
    c.settingChanges = changedSettings(a.config, b.config);
    c.balancedA = ra->balancedError;
    c.balancedB = rb->balancedError;
    for (size_t j = 0; j < ra->testErrorPerClass.size(); ++j) {
        ClassDifference d;
        d.name = QString::fromStdString(a.info.classNames[j]);
        d.trainCount = j < a.info.classCounts.size() ? a.info.classCounts[j] : 0;
        d.errorA = ra->testErrorPerClass[j];
        d.errorB = rb->testErrorPerClass[j];
        c.classes.push_back(d);
    }
    return c;
}

RunComparisonDialog::RunComparisonDialog(const RunComparison& c, QWidget* parent)
    : QDialog(parent), table_(new QTableWidget(this)), chart_(new QCustomPlot(this)), changes_(new QLabel(this)) {
    setWindowTitle(tr("A/B: %1 vs %2").arg(c.titleA, c.titleB));
    auto* layout = new QVBoxLayout(this);
    auto* heading = new QLabel(tr("<b>A</b> %1 &nbsp;·&nbsp; <b>B</b> %2 &nbsp;·&nbsp; balanced error %3% → %4% "
                                  "(%5 points)")
                                   .arg(c.titleA.toHtmlEscaped(), c.titleB.toHtmlEscaped())
                                   .arg(100 * c.balancedA, 0, 'f', 2)
                                   .arg(100 * c.balancedB, 0, 'f', 2)
                                   .arg(100 * (c.balancedB - c.balancedA), 0, 'f', 2),
                               this);
    layout->addWidget(heading);
    changes_->setText(c.settingChanges.isEmpty() ? tr("Same settings (a repeat)")
                                                 : tr("What differs: %1").arg(c.settingChanges.join(QStringLiteral("; "))));
    changes_->setWordWrap(true);
    layout->addWidget(changes_);

    // Δ = B − A per class in percentage points: below zero B errs less (green), above more (red).
    styleChart(chart_);
    auto* better = new QCPBars(chart_->xAxis, chart_->yAxis);
    auto* worse = new QCPBars(chart_->xAxis, chart_->yAxis);
    better->setName(tr("B errs less"));
    worse->setName(tr("B errs more"));
    better->setBrush(QColor(0x00, 0x9E, 0x73));
    worse->setBrush(QColor(0xD5, 0x5E, 0x00));
    better->setPen(Qt::NoPen);
    worse->setPen(Qt::NoPen);
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    double lo = 0, hi = 0;
    for (size_t j = 0; j < c.classes.size(); ++j) {
        const double d = 100 * c.classes[j].delta();
        (d < 0 ? better : worse)->addData(double(j), d);
        lo = std::min(lo, d);
        hi = std::max(hi, d);
        ticker->addTick(double(j), c.classes[j].name);
    }
    chart_->xAxis->setTicker(ticker);
    chart_->xAxis->setTickLabelRotation(35);
    chart_->xAxis->setRange(-0.7, double(c.classes.size()) - 0.3);
    const double pad = std::max(1.0, 0.1 * (hi - lo));
    chart_->yAxis->setRange(lo - pad, hi + pad);
    chart_->yAxis->setLabel(tr("test error B − A (points)"));
    chart_->legend->setVisible(true);
    chart_->plotLayout()->insertRow(0);
    chart_->plotLayout()->addElement(0, 0, new QCPTextElement(chart_, tr("Per-class difference, B − A"),
                                                              QFont(font().family(), 9, QFont::Bold)));
    chart_->setMinimumHeight(260);
    addChartContextMenu(chart_, QStringLiteral("ab_difference"), [](const QString&, bool) {});
    layout->addWidget(chart_, 2);

    table_->setColumnCount(5);
    table_->setHorizontalHeaderLabels({tr("class"), tr("n train"), tr("error A (%)"), tr("error B (%)"), tr("B − A")});
    table_->setRowCount(int(c.classes.size()));
    for (int j = 0; j < int(c.classes.size()); ++j) {
        const auto& d = c.classes[size_t(j)];
        const QStringList cells{d.name, QString::number(d.trainCount), QString::number(100 * d.errorA, 'f', 2),
                                QString::number(100 * d.errorB, 'f', 2),
                                QStringLiteral("%1%2").arg(d.delta() > 0 ? "+" : "").arg(100 * d.delta(), 0, 'f', 2)};
        for (int col = 0; col < cells.size(); ++col) {
            auto* item = new QTableWidgetItem(cells[col]);
            if (col > 0) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            table_->setItem(j, col, item);
        }
    }
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table_->verticalHeader()->setVisible(false);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layout->addWidget(table_, 1);
    resize(760, 620);
}

} // namespace imblab::ui
