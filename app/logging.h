// Console (stderr) logging for both executables, plus an optional log file.
#pragma once

#include <string>

namespace imblab {

// level: trace, debug, info, warn, error, off. Returns false (and logs why) on a bad level.
bool setupLogging(const std::string& level, const std::string& file = {});

} // namespace imblab
