// The run charts at many classes: a run of K classes with a long-tailed training set (counts
// from 1 000 down to 2, as iNaturalist's) and 3 test examples per class is fed to the charts
// one evaluation at a time, as a training run feeds them, in a 1280×800 window. Measured per
// evaluation: the update (the charts take the new report and redraw: RunChartsView::showRun and
// an immediate replot of each chart, plus the Runs list's row), and each chart's redraw alone
// (an immediate replot with nothing new, as a resize or a hover does). The reports' numbers are
// drawn from a seeded generator: what is measured is the drawing, not a model.
#include "gui_chart_bench.h"

#include "api/shot_groups.h"
#include "charts/qcustomplot_include.h"
#include "charts/run_charts_view.h"
#include "runs/run_record.h"
#include "runs/runs_view.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHBoxLayout>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

namespace imblab {

namespace {

double msSince(const QElapsedTimer& t) { return double(t.nsecsElapsed()) / 1e6; }

QString processorName() {
    QFile f(QStringLiteral("/proc/cpuinfo"));
    if (f.open(QIODevice::ReadOnly))
        for (const QByteArray& line : f.readAll().split('\n'))
            if (line.startsWith("model name")) return QString::fromUtf8(line.mid(line.indexOf(':') + 1).trimmed());
    return QStringLiteral("unknown");
}

struct Stats {
    std::vector<double> ms;
    double median() const {
        auto v = ms;
        std::sort(v.begin(), v.end());
        return v.empty() ? 0 : v[v.size() / 2];
    }
    double max() const { return ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end()); }
};

MetricsReport evaluation(int k, int epoch, const RunInfo& info, std::mt19937_64& rng) {
    std::uniform_real_distribution<double> u(0, 1);
    MetricsReport r;
    r.epoch = epoch;
    r.epochEnd = true;
    r.epochProgress = epoch + 1;
    r.step = int64_t(epoch + 1) * 100;
    const double progress = double(epoch + 1) / 90.0;
    std::vector<int64_t> labels, predictions;
    for (int c = 0; c < k; ++c) {
        // Rarer classes err more, every class less as training goes on.
        const double base = std::clamp(0.9 - progress * 0.6 - 0.08 * std::log(double(info.classCounts[size_t(c)])), 0.02, 0.98);
        r.testErrorPerClass.push_back(std::clamp(base + 0.2 * (u(rng) - 0.5), 0.0, 1.0));
        r.trainErrorPerClass.push_back(std::clamp(base * 0.5, 0.0, 1.0));
        const double m = 2 - 4 * base;
        r.margins.push_back({m - 2, m - 0.5, m, m + 0.5, m + 2, {}});
        r.deltas.push_back(0.5 / std::pow(double(info.classCounts[size_t(c)]), 0.25));
        for (int i = 0; i < 3; ++i) {
            labels.push_back(c);
            // A wrong prediction falls on a head class more often (the long tail's confusion).
            predictions.push_back(u(rng) < base ? int64_t(std::pow(u(rng), 3) * k) : c);
        }
    }
    r.confusion = ConfusionCounts::of(labels, predictions, k);
    r.trainErrorByGroup = shotGroupMeans(r.trainErrorPerClass, info.classCounts);
    for (int g = 0; g < kShotGroups; ++g) {
        MarginStats s{-2, -0.5, 0.5, 1.5, 3, std::vector<int64_t>(40)};
        for (auto& v : s.histogram) v = int64_t(u(rng) * 1000);
        r.groupMargins.push_back(s);
    }
    r.marginLo = -5;
    r.marginHi = 5;
    double sum = 0;
    for (double e : r.testErrorPerClass) sum += e;
    r.balancedError = sum / k;
    r.top5Error = r.balancedError * 0.5;
    return r;
}

} // namespace

int runChartBench(int k, int epochs) {
    using namespace ui;
    RunRecord run;
    run.id = 1;
    run.hasInfo = true;
    run.config.train.epochs = epochs;
    for (int c = 0; c < k; ++c) {
        char name[48];
        std::snprintf(name, sizeof name, "Genus species %04d", c);
        run.info.classNames.push_back(name);
        // Exponential from 1 000 down to 2, as iNaturalist 2018's long tail.
        run.info.classCounts.push_back(int64_t(std::floor(1000 * std::pow(2.0 / 1000, double(c) / std::max(1, k - 1)))));
        run.info.minority.push_back(run.info.classCounts.back() < 45);
    }
    run.info.testSize = 3 * k;
    std::mt19937_64 rng(7);

    QWidget window;
    window.resize(1280, 800);
    auto* layout = new QHBoxLayout(&window);
    RunChartsView view([](const QString&, bool) {});
    RunsView runs;
    runs.setMaximumWidth(270);
    layout->addWidget(&view, 1);
    layout->addWidget(&runs);
    window.show();
    QApplication::processEvents();
    view.followWhenShown({"#3", "#5000", "#8000"});

    Stats update, progress, redraw[4];
    const auto charts = view.charts();
    for (int e = 0; e < epochs; ++e) {
        for (int s = 0; s < 5; ++s) {  // the progress reports between evaluations
            MetricsReport p;
            p.epoch = e;
            p.epochProgress = e + (s + 1) / 6.0;
            p.trainErrorByGroup = {0.3, 0.5, 0.7};
            run.add(p);
            QElapsedTimer t;
            t.start();
            view.showRun(run);
            charts[0].first->replot(QCustomPlot::rpImmediateRefresh);
            runs.upsert(run);
            progress.ms.push_back(msSince(t));
        }
        run.add(evaluation(k, e, run.info, rng));
        QElapsedTimer t;
        t.start();
        view.showRun(run);
        for (const auto& chart : charts) chart.first->replot(QCustomPlot::rpImmediateRefresh);
        runs.upsert(run);
        update.ms.push_back(msSince(t));
        QApplication::processEvents();
        for (size_t i = 0; i < charts.size(); ++i) {
            QElapsedTimer r;
            r.start();
            charts[i].first->replot(QCustomPlot::rpImmediateRefresh);
            redraw[i].ms.push_back(msSince(r));
        }
    }
    std::printf("{\n  \"classes\": %d,\n  \"evaluations\": %d,\n  \"cpu\": \"%s\",\n", k, epochs,
                qPrintable(processorName()));
    std::printf("  \"evaluation_update_ms\": {\"median\": %.1f, \"max\": %.1f},\n", update.median(), update.max());
    std::printf("  \"progress_update_ms\": {\"median\": %.1f, \"max\": %.1f},\n", progress.median(), progress.max());
    std::printf("  \"redraw_ms\": {");
    for (size_t i = 0; i < charts.size(); ++i)
        std::printf("%s\"%s\": {\"median\": %.1f, \"max\": %.1f}", i ? ", " : "", qPrintable(charts[i].second),
                    redraw[i].median(), redraw[i].max());
    std::printf("}\n}\n");
    return 0;
}

} // namespace imblab
