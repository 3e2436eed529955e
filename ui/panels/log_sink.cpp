// The Qt sink; see log_sink.h.
#include "panels/log_sink.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <mutex>

namespace imblab::ui {

namespace {

class QtSink : public spdlog::sinks::base_sink<std::mutex> {
protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        spdlog::memory_buf_t buf;
        formatter_->format(msg, buf);
        QString text = QString::fromUtf8(buf.data(), qsizetype(buf.size())).trimmed();
        const int level = int(msg.level);
        QMetaObject::invokeMethod(&LogBridge::instance(), [text, level] { Q_EMIT LogBridge::instance().line(level, text); },
                                  Qt::QueuedConnection);
    }
    void flush_() override {}
};

} // namespace

LogBridge& LogBridge::instance() {
    static LogBridge* bridge = new LogBridge;  // never destroyed: the sink may outlive widgets
    return *bridge;
}

void LogBridge::install() {
    static std::once_flag once;
    std::call_once(once, [] {
        auto sink = std::make_shared<QtSink>();
        sink->set_pattern("%H:%M:%S %l %v");
        spdlog::default_logger()->sinks().push_back(sink);
    });
}

} // namespace imblab::ui
