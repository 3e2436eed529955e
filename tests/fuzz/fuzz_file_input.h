// Shared by the file-reading fuzz targets: our readers take paths, so each input is written to a
// per-process scratch file first. Only our typed errors may escape a reader; anything else
// (another exception, a crash, a sanitizer report) is a finding.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>

namespace imblab::fuzz {

inline const std::string& writeInput(const uint8_t* data, size_t size, const char* suffix) {
    static const std::string path = "/tmp/imblab-fuzz-" + std::to_string(::getpid()) + suffix;
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) __builtin_trap();
    if (size) std::fwrite(data, 1, size, f);
    std::fclose(f);
    return path;
}

} // namespace imblab::fuzz
