// Every file we write goes to a temporary file beside the target and is renamed over it, so a
// crash or kill leaves either the old file or the new one, never half of one.
#pragma once

#include <functional>
#include <string>

namespace imblab {

// `write` fills the temporary path it is given; on success it is renamed to `path`. On any
// exception the temporary file is removed and the exception rethrown (DataError naming `path`
// for I/O failures).
void writeFileAtomically(const std::string& path, const std::function<void(const std::string& tmpPath)>& write);
void writeTextAtomically(const std::string& path, const std::string& text);

} // namespace imblab
