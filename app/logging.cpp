// spdlog setup: stderr sink, optional file sink.
#include "logging.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <vector>

namespace imblab {

bool setupLogging(const std::string& level, const std::string& file) {
    std::vector<spdlog::sink_ptr> sinks{std::make_shared<spdlog::sinks::stderr_color_sink_mt>()};
    bool fileOk = true;
    if (!file.empty()) {
        try {
            sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(file));
        } catch (const spdlog::spdlog_ex& e) {
            fileOk = false;
        }
    }
    auto logger = std::make_shared<spdlog::logger>("imblab", sinks.begin(), sinks.end());
    spdlog::set_default_logger(logger);
    spdlog::set_pattern("[%H:%M:%S] [%^%l%$] %v");
    const auto lvl = spdlog::level::from_str(level);
    if (lvl == spdlog::level::off && level != "off") {
        spdlog::error("--log-level: unknown level '{}' (trace, debug, info, warn, error, off)", level);
        return false;
    }
    spdlog::set_level(lvl);
    if (!fileOk) spdlog::warn("--log-file: cannot open '{}' for writing; logging to the console only", file);
    return true;
}

} // namespace imblab
