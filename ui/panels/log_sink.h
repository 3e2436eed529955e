// spdlog → Qt: a sink that forwards each line to a long-lived LogBridge on the GUI thread
// (queued), so logging from the worker thread never touches a widget directly.
#pragma once

#include <QObject>
#include <QString>

namespace imblab::ui {

class LogBridge : public QObject {
    Q_OBJECT
public:
    static LogBridge& instance();  // lives until the program ends
    // Installs the sink on spdlog's default logger (once).
    static void install();

Q_SIGNALS:
    void line(int level, QString text);  // level: spdlog::level::level_enum value
};

} // namespace imblab::ui
