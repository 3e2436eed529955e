// A/B comparison of two runs; see run_comparison_dialog.h.
#include "runs/run_comparison_dialog.h"

#include "charts/chart_export.h"
#include "charts/chart_style.h"
#include "charts/many_classes.h"
#include "charts/qcustomplot_include.h"
#include "io/config_json.h"

#include <QComboBox>
#include <QCompleter>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>
#include <tuple>

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
    const size_t k = ra->testErrorPerClass.size();
    c.hasMargins = ra->margins.size() == k && rb->margins.size() == k;
    c.marginLoA = ra->marginLo;
    c.marginHiA = ra->marginHi;
    c.marginLoB = rb->marginLo;
    c.marginHiB = rb->marginHi;
    const double none = std::nan("");
    for (size_t j = 0; j < k; ++j) {
        ClassDifference d;
        d.name = QString::fromStdString(a.info.classNames[j]);
        d.trainCount = j < a.info.classCounts.size() ? a.info.classCounts[j] : 0;
        d.errorA = ra->testErrorPerClass[j];
        d.errorB = rb->testErrorPerClass[j];
        d.gammaA = c.hasMargins ? ra->margins[j].min : none;
        d.gammaB = c.hasMargins ? rb->margins[j].min : none;
        d.marginTargetA = j < ra->deltas.size() ? ra->deltas[j] : none;
        d.marginTargetB = j < rb->deltas.size() ? rb->deltas[j] : none;
        if (c.hasMargins) {
            d.histogramA = ra->margins[j].histogram;
            d.histogramB = rb->margins[j].histogram;
        }
        c.classes.push_back(d);
    }
    return c;
}

RunComparisonDialog::RunComparisonDialog(const RunComparison& c, QWidget* parent)
    : QDialog(parent), c_(c), table_(new QTableWidget(this)), chart_(new QCustomPlot(this)), changes_(new QLabel(this)),
      marginChart_(new QCustomPlot(this)), marginClass_(new QComboBox(this)) {
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
    // Past 20 classes the names would pile up: class indices along the axis, the table below
    // names them (as the run charts do, charts/many_classes.h).
    if (drawsEveryClass(int(c.classes.size()))) {
        chart_->xAxis->setTicker(ticker);
        chart_->xAxis->setTickLabelRotation(35);
    } else {
        chart_->xAxis->setLabel(tr("class index"));
    }
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

    // The margins: one class at a time (the combo), both runs on one axis.
    auto* marginRow = new QHBoxLayout;
    marginRow->addWidget(new QLabel(tr("Training margins of"), this));
    for (const auto& d : c.classes) marginClass_->addItem(d.name);
    // A search box as much as a list: type part of a name (thousands of classes do not scroll).
    marginClass_->setEditable(true);
    marginClass_->setInsertPolicy(QComboBox::NoInsert);
    marginClass_->completer()->setFilterMode(Qt::MatchContains);
    marginClass_->completer()->setCaseSensitivity(Qt::CaseInsensitive);
    marginClass_->completer()->setCompletionMode(QCompleter::PopupCompletion);
    marginClass_->lineEdit()->setPlaceholderText(tr("class name…"));
    marginRow->addWidget(marginClass_);
    marginRow->addStretch(1);
    layout->addLayout(marginRow);
    styleChart(marginChart_);
    marginChart_->setMinimumHeight(220);
    addChartContextMenu(marginChart_, QStringLiteral("ab_margins"), [](const QString&, bool) {});
    layout->addWidget(marginChart_, 2);
    connect(marginClass_, &QComboBox::currentIndexChanged, this, &RunComparisonDialog::showMargins);
    showMargins(0);

    // γ_j: the class's smallest training margin; Δ_j: the margin its loss asks for ("—": none).
    auto number = [](double v) { return std::isnan(v) ? QStringLiteral("—") : QString::number(v, 'f', 3); };
    table_->setColumnCount(9);
    table_->setHorizontalHeaderLabels({tr("class"), tr("n train"), tr("error A (%)"), tr("error B (%)"), tr("B − A"),
                                       tr("γ_j A"), tr("γ_j B"), tr("Δ_j A"), tr("Δ_j B")});
    table_->setRowCount(int(c.classes.size()));
    for (int j = 0; j < int(c.classes.size()); ++j) {
        const auto& d = c.classes[size_t(j)];
        const QStringList cells{d.name, QString::number(d.trainCount), QString::number(100 * d.errorA, 'f', 2),
                                QString::number(100 * d.errorB, 'f', 2),
                                QStringLiteral("%1%2").arg(d.delta() > 0 ? "+" : "").arg(100 * d.delta(), 0, 'f', 2),
                                number(d.gammaA), number(d.gammaB), number(d.marginTargetA), number(d.marginTargetB)};
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
    resize(820, 860);
}

void RunComparisonDialog::showMargins(int j) {
    QCustomPlot* plot = marginChart_;
    plot->clearGraphs();
    plot->clearItems();
    if (!marginTitle_) {
        plot->plotLayout()->insertRow(0);
        marginTitle_ = new QCPTextElement(plot, QString(), QFont(font().family(), 9, QFont::Bold));
        plot->plotLayout()->addElement(0, 0, marginTitle_);
        plot->legend->setVisible(true);
    }
    marginTitle_->setText(c_.hasMargins ? QString() : tr("No margin statistics in these runs' last evaluations"));
    if (j < 0 || j >= int(c_.classes.size()) || !c_.hasMargins) {
        plot->replot();
        return;
    }
    const ClassDifference& d = c_.classes[size_t(j)];
    const QColor colour = classColor(j);
    double lo = std::min(c_.marginLoA, c_.marginLoB), hi = std::max(c_.marginHiA, c_.marginHiB), top = 1;
    // Bin centres of each run's own range; heights as % of the class's examples, so runs whose
    // class sizes differ still compare.
    auto addRun = [&](const std::vector<int64_t>& bins, double binLo, double binHi, Qt::PenStyle style, const QString& name) {
        auto* g = plot->addGraph();
        g->setName(name);
        g->setPen(QPen(colour, 2, style));
        g->setLineStyle(QCPGraph::lsStepCenter);
        int64_t total = 0;
        for (int64_t n : bins) total += n;
        const double width = bins.empty() ? 0 : (binHi - binLo) / double(bins.size());
        for (size_t i = 0; i < bins.size(); ++i) {
            const double share = total > 0 ? 100.0 * double(bins[i]) / double(total) : 0.0;
            g->addData(binLo + (double(i) + 0.5) * width, share);
            top = std::max(top, share);
        }
    };
    addRun(d.histogramA, c_.marginLoA, c_.marginHiA, Qt::SolidLine, tr("A %1").arg(c_.titleA));
    addRun(d.histogramB, c_.marginLoB, c_.marginHiB, Qt::DashLine, tr("B %1").arg(c_.titleB));
    for (const auto& [target, style, label] : {std::tuple{d.marginTargetA, Qt::SolidLine, QStringLiteral("Δ_j A")},
                                               std::tuple{d.marginTargetB, Qt::DashLine, QStringLiteral("Δ_j B")}}) {
        if (std::isnan(target)) continue;
        auto* line = new QCPItemStraightLine(plot);
        line->setPen(QPen(QColor(0x55, 0x55, 0x55), 1, style == Qt::SolidLine ? Qt::DotLine : Qt::DashDotLine));
        line->point1->setCoords(target, 0);
        line->point2->setCoords(target, 1);
        auto* text = new QCPItemText(plot);
        text->setText(label);
        text->position->setCoords(target, top * 1.05);
        text->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        lo = std::min(lo, target);
        hi = std::max(hi, target);
    }
    plot->xAxis->setRange(lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo));
    plot->xAxis->setLabel(tr("margin z_y − max_{j≠y} z_j"));
    plot->yAxis->setRange(0, top * 1.15);
    plot->yAxis->setLabel(tr("% of the class"));
    marginTitle_->setText(tr("%1: A solid, B dashed · γ_j %2 → %3").arg(d.name).arg(d.gammaA, 0, 'f', 3).arg(d.gammaB, 0, 'f', 3));
    plot->replot();
}

} // namespace imblab::ui
