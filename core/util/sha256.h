// SHA-256 (FIPS 180-4), small and dependency-free: fingerprints that two results can be compared
// by (the kept training subset of a run, training/trainer.cpp).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace imblab {

class Sha256 {
public:
    Sha256();
    Sha256& update(const void* data, size_t size);
    Sha256& update(const std::string& text) { return update(text.data(), text.size()); }
    // The digest as 64 lowercase hex digits; the object is spent afterwards.
    std::string hex();

private:
    void block(const uint8_t* p);
    std::array<uint32_t, 8> h_;
    std::array<uint8_t, 64> buffer_{};
    size_t used_ = 0;
    uint64_t bytes_ = 0;
};

} // namespace imblab
