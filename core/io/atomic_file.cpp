// Write-to-temporary-then-rename.
#include "io/atomic_file.h"

#include "errors.h"

#include <filesystem>
#include <fstream>
#include <random>

namespace imblab {

void writeFileAtomically(const std::string& path, const std::function<void(const std::string&)>& write) {
    namespace fs = std::filesystem;
    const fs::path target(path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    if (!fs::is_directory(dir)) throw DataError(path, "cannot write: folder '" + dir.string() + "' does not exist");
    const std::string tmp = (dir / ("." + target.filename().string() + ".tmp" + std::to_string(std::random_device{}()))).string();
    try {
        write(tmp);
        std::error_code ec;
        fs::rename(tmp, target, ec);
        if (ec) throw DataError(path, "cannot replace the file: " + ec.message());
    } catch (...) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        throw;
    }
}

void writeTextAtomically(const std::string& path, const std::string& text) {
    writeFileAtomically(path, [&](const std::string& tmp) {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw DataError(path, "cannot be written (permission denied or disk full?)");
        out.write(text.data(), std::streamsize(text.size()));
        out.flush();
        if (!out) throw DataError(path, "write failed (disk full?)");
    });
}

} // namespace imblab
