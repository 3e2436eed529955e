// imblab-gui-bench: the GUI's responsiveness while it trains. Measures the longest gap of the
// event loop (a 2 ms timer that records how late it fires) during a training run in the main
// window, and the training throughput with the GUI against the same run headless.
// Usage: imblab-gui-bench [PRESET [EPOCHS [DEVICE]]] (DEVICE: auto, cpu or cuda; the preset's by default).
//        imblab-gui-bench --charts CLASSES [EVALUATIONS]: the run charts' update and redraw times at
//        that many classes (gui_chart_bench.cpp).
#include "gui_chart_bench.h"
#include "io/config_json.h"
#include "logging.h"
#include "main_window.h"
#include "training/trainer.h"
#include "util/allocator_tuning.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

struct NullObserver : imblab::TrainingObserver {
    void onReport(const imblab::MetricsReport&) override {}
};

} // namespace

int main(int argc, char** argv) {
    imblab::keepFreedMemoryForReuse();  // as imblab does, so the two compare
    QApplication app(argc, argv);
    imblab::setupLogging("warn");
    const QStringList args = app.arguments();
    if (args.size() > 2 && args[1] == QStringLiteral("--charts"))
        return imblab::runChartBench(args[2].toInt(), args.size() > 3 ? args[3].toInt() : 90);
    const QString preset = args.size() > 1 ? args[1] : QStringLiteral("fmnist-lt-quick");
    const int epochs = args.size() > 2 ? args[2].toInt() : 2;

    imblab::ExperimentConfig cfg = imblab::loadPreset(preset.toStdString());
    cfg.train.epochs = epochs;
    if (args.size() > 3) cfg.train.device = args[3].toStdString();  // auto | cpu | cuda

    // Headless: the trainer alone on this thread, as imblab-cli runs it; once before and once
    // after the GUI run (the first run of a process pays for thread-pool start-up), best kept.
    auto runHeadless = [&cfg] {
        imblab::Trainer headless(cfg);
        NullObserver none;
        imblab::RunControl control;
        return headless.run(none, control);
    };
    imblab::RunSummary cli = runHeadless();

    imblab::ui::MainWindow window(false);
    window.resize(1280, 800);
    window.show();
    window.applyConfig(cfg);
    while (!window.isDataLoaded()) QApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);

    std::vector<double> gaps;
    QElapsedTimer clock;
    QTimer probe;
    probe.setInterval(2);
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        if (clock.isValid()) gaps.push_back(double(clock.nsecsElapsed()) / 1e6);
        clock.restart();
    });
    imblab::RunSummary gui;
    QObject::connect(&window, &imblab::ui::MainWindow::runFinished, [&](int id) {
        gui = window.run(id)->summary;
        app.quit();
    });
    probe.start();
    QTimer::singleShot(0, [&] { window.startTraining(); });
    app.exec();

    probe.stop();
    const imblab::RunSummary again = runHeadless();
    if (again.imgPerSec > cli.imgPerSec) cli = again;
    std::sort(gaps.begin(), gaps.end());
    const double maxGap = gaps.empty() ? 0 : gaps.back();
    const double p99 = gaps.empty() ? 0 : gaps[size_t(0.99 * double(gaps.size() - 1))];
    std::printf("{\n  \"preset\": \"%s\",\n  \"epochs\": %d,\n  \"device\": \"%s\",\n  \"pipeline\": \"%s\",\n"
                "  \"cli_balanced_error\": %.4f,\n  \"gui_balanced_error\": %.4f,\n  \"cli_img_per_s\": %.1f,\n  \"gui_img_per_s\": %.1f,\n"
                "  \"gui_cost_percent\": %.2f,\n  \"event_loop_ticks\": %zu,\n  \"max_event_loop_gap_ms\": %.1f,\n"
                "  \"p99_event_loop_gap_ms\": %.1f\n}\n",
                qPrintable(preset), epochs, gui.device.c_str(), gui.pipeline.c_str(),
                cli.hasFinalReport ? cli.finalReport.balancedError : -1.0,
                gui.hasFinalReport ? gui.finalReport.balancedError : -1.0, cli.imgPerSec, gui.imgPerSec,
                100.0 * (1.0 - gui.imgPerSec / cli.imgPerSec), gaps.size(), maxGap, p99);
    return 0;
}
