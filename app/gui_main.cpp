// imblab: the desktop app. `--screenshot out.png [--preset NAME] [--epochs N] [--size WxH]`
// trains headlessly and renders the main window to a PNG.
#include "io/config_json.h"
#include "logging.h"
#include "main_window.h"
#include "teaching/teaching_window.h"
#include "charts/run_charts_view.h"
#include "panels/training_panel.h"
#include "util/allocator_tuning.h"

#include <QSpinBox>

#include <spdlog/spdlog.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QFileInfo>
#include <QTimer>

#include <cstdio>
#include <cstdlib>

namespace {

bool hasDisplay() {
    const char* platform = std::getenv("QT_QPA_PLATFORM");
    if (platform && *platform) return true;  // offscreen, xcb, wayland chosen explicitly
    return std::getenv("DISPLAY") || std::getenv("WAYLAND_DISPLAY");
}

} // namespace

int main(int argc, char** argv) {
    imblab::keepFreedMemoryForReuse();  // before any thread allocates (util/allocator_tuning.h)
    if (!hasDisplay()) {
        std::fprintf(stderr,
                     "imblab: no display found (DISPLAY and WAYLAND_DISPLAY are unset).\n"
                     "  Run it in a desktop session, or under a virtual display:  xvfb-run -a imblab\n"
                     "  For headless work use imblab-cli (train, sweep, bench), or\n"
                     "  QT_QPA_PLATFORM=offscreen imblab --screenshot out.png\n");
        return 1;
    }
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("ImbalanceLab"));
    QApplication::setApplicationName(QStringLiteral("imblab"));
    QApplication::setApplicationVersion(QStringLiteral(IMBLAB_VERSION));
    // The launcher entry's id (Wayland matches windows to it) and the icon it names, compiled in
    // so a build run from its folder shows it too.
    QApplication::setDesktopFileName(QStringLiteral("org.imblab.ImbalanceLab"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/org.imblab.ImbalanceLab.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Imbalance Lab: explore class-imbalanced training live."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption screenshot(QStringLiteral("screenshot"), QStringLiteral("Train headlessly, then save the window to this PNG."),
                                  QStringLiteral("file"));
    QCommandLineOption preset(QStringLiteral("preset"), QStringLiteral("Start from this preset."), QStringLiteral("name"));
    QCommandLineOption epochs(QStringLiteral("epochs"), QStringLiteral("Epochs to train (with --screenshot)."), QStringLiteral("n"));
    QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size for the screenshot, WxH."), QStringLiteral("WxH"),
                            QStringLiteral("1280x800"));
    QCommandLineOption logLevel(QStringLiteral("log-level"), QStringLiteral("trace, debug, info, warn, error, off."),
                                QStringLiteral("level"), QStringLiteral("info"));
    QCommandLineOption teaching(QStringLiteral("teaching"), QStringLiteral("Open the teaching mode (with --screenshot: train its lesson and shoot it)."));
    QCommandLineOption lesson(QStringLiteral("lesson"), QStringLiteral("Teaching lesson number (1-4)."), QStringLiteral("n"), QStringLiteral("1"));
    QCommandLineOption presentation(QStringLiteral("presentation"), QStringLiteral("Teaching mode in presentation mode (projector sizes)."));
    QCommandLineOption report(QStringLiteral("report"), QStringLiteral("With --screenshot: also write the run's PDF report here."),
                              QStringLiteral("file"));
    // Not "--session": QGuiApplication takes that one for X11 session management.
    QCommandLineOption session(QStringLiteral("open"),
                               QStringLiteral("Open this session or config file (.imblab / JSON), e.g. one naming an image folder, "
                                              "or a run folder (imblab-cli train --out), followed while it trains."),
                               QStringLiteral("file"));
    QCommandLineOption follow(QStringLiteral("follow"),
                              QStringLiteral("Past 20 classes: follow these classes on the charts (names or indices, "
                                             "comma-separated), as the class search box does."),
                              QStringLiteral("classes"));
    parser.addOptions({screenshot, preset, session, epochs, size, logLevel, teaching, lesson, presentation, report, follow});
    parser.process(app);
    if (!imblab::setupLogging(parser.value(logLevel).toStdString())) return 2;

    const bool shot = parser.isSet(screenshot);
    imblab::ui::MainWindow window(/*useSettings=*/!shot);
    if (parser.isSet(preset) && !window.applyPreset(parser.value(preset))) {
        std::fprintf(stderr, "imblab: %s\n", qPrintable(window.bannerText()));
        return 2;
    }
    if (parser.isSet(follow)) window.runCharts()->followWhenShown(parser.value(follow).split(',', Qt::SkipEmptyParts));
    const bool runFolder = parser.isSet(session) && QFileInfo(parser.value(session)).isDir();
    if (parser.isSet(session)) {
        const QString path = parser.value(session);
        const QString err = runFolder ? window.openRunFolder(path) : window.openSession(path);
        if (!err.isEmpty()) {
            std::fprintf(stderr, "imblab: %s\n", qPrintable(err));
            return 3;
        }
    }
    if (parser.isSet(epochs)) {
        bool ok = false;
        const int n = parser.value(epochs).toInt(&ok);
        if (!ok || n < 1) {
            std::fprintf(stderr, "imblab: --epochs: expected a positive number, got '%s'\n", qPrintable(parser.value(epochs)));
            return 2;
        }
        window.trainingPanel()->epochsSpin()->setValue(n);
    }
    imblab::ui::TeachingWindow* teachingWindow = nullptr;
    if (parser.isSet(teaching)) {
        const int n = parser.value(lesson).toInt();
        if (n < 1 || n > int(imblab::ui::lessons().size())) {
            std::fprintf(stderr, "imblab: --lesson: expected 1..%zu\n", imblab::ui::lessons().size());
            return 2;
        }
        teachingWindow = window.openTeaching();
        teachingWindow->setLesson(n - 1);
        if (parser.isSet(presentation)) teachingWindow->setPresentationMode(true);
    }
    if (!shot) {
        window.show();
        if (teachingWindow) teachingWindow->raise();
        return app.exec();
    }

    const QStringList wh = parser.value(size).split('x');
    if (wh.size() != 2 || wh[0].toInt() < 200 || wh[1].toInt() < 200) {
        std::fprintf(stderr, "imblab: --size: expected WxH such as 1280x800\n");
        return 2;
    }
    QWidget* target = teachingWindow ? static_cast<QWidget*>(teachingWindow) : static_cast<QWidget*>(&window);
    if (!teachingWindow) window.show();
    target->resize(wh[0].toInt(), wh[1].toInt());
    const QString out = parser.value(screenshot);
    int exitCode = 0;
    auto capture = [&] {
        QTimer::singleShot(400, &app, [&] {
            const QImage image = target->grab().toImage();
            if (!image.save(out, "PNG")) {
                std::fprintf(stderr, "imblab: cannot write the screenshot to %s\n", qPrintable(out));
                exitCode = 3;
            } else {
                std::printf("screenshot written to %s (%dx%d)\n", qPrintable(out), image.width(), image.height());
            }
            app.quit();
        });
    };
    if (runFolder) {  // shows the folder as it is (a followed run fills for a moment first)
        QTimer::singleShot(1500, &app, capture);
        return app.exec() ? 1 : exitCode;
    }
    if (teachingWindow) {
        QObject::connect(teachingWindow, &imblab::ui::TeachingWindow::bothFinished, &app, [&] { capture(); });
        if (parser.value(lesson).toInt() == int(imblab::ui::lessons().size())) QTimer::singleShot(300, &app, capture);
        else QTimer::singleShot(0, &app, [&] { teachingWindow->trainBoth(); });
        return app.exec() ? 1 : exitCode;
    }
    QObject::connect(&window, &imblab::ui::MainWindow::runFinished, &app, [&](int id) {
        if (parser.isSet(report)) {
            const QString err = window.writeRunReport(id, parser.value(report));
            if (!err.isEmpty()) {
                std::fprintf(stderr, "imblab: %s\n", qPrintable(err));
                exitCode = 3;
            }
        }
        capture();
    });
    auto start = [&] {
        window.startTraining();
        if (!window.isTraining()) capture();  // e.g. the dataset is missing: shoot the message
    };
    if (window.isDataLoaded()) QTimer::singleShot(0, &app, start);
    else QObject::connect(&window, &imblab::ui::MainWindow::dataLoaded, &app, start, Qt::SingleShotConnection);
    QTimer::singleShot(30 * 60 * 1000, &app, [&] {
        std::fprintf(stderr, "imblab: the screenshot run took over 30 minutes; giving up\n");
        exitCode = 4;
        app.quit();
    });
    const int rc = app.exec();
    return exitCode ? exitCode : rc;
}
