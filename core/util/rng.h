// A small portable RNG (SplitMix64 seeding + xoshiro256**): same seed, same numbers on every
// machine and standard library, unlike std::uniform_int_distribution.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace imblab {

class Rng {
public:
    explicit Rng(uint64_t seed) { reseed(seed); }

    void reseed(uint64_t seed) {
        for (auto& s : state_) s = splitMix(seed);
    }

    // Mixes several values into one seed (e.g. run seed and class index).
    static uint64_t mix(uint64_t a, uint64_t b) {
        uint64_t x = a ^ (b + 0x9E3779B97F4A7C15ULL + (a << 6) + (a >> 2));
        return splitMix(x);
    }

    uint64_t next() {
        const uint64_t result = rotl(state_[1] * 5, 7) * 9;
        const uint64_t t = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotl(state_[3], 45);
        return result;
    }

    // Uniform integer in [0, bound), unbiased (rejection on the 64-bit range).
    uint64_t below(uint64_t bound) {
        if (bound <= 1) return 0;
        const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
        uint64_t x;
        do {
            x = next();
        } while (x >= limit);
        return x % bound;
    }

    // Uniform double in [0, 1) with 53 random bits.
    double uniform() { return double(next() >> 11) * 0x1.0p-53; }

    // Standard normal by Box–Muller (one value per call; deterministic).
    double normal() {
        double u1 = uniform();
        while (u1 <= 0.0) u1 = uniform();
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

    // The whole generator state (checkpoints): restoring it continues the same sequence.
    std::array<uint64_t, 4> state() const { return {state_[0], state_[1], state_[2], state_[3]}; }
    void setState(const std::array<uint64_t, 4>& s) {
        for (size_t i = 0; i < 4; ++i) state_[i] = s[i];
    }

    template <typename T>
    void shuffle(std::vector<T>& v) {
        for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
    }

private:
    static uint64_t splitMix(uint64_t& x) {
        uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    static uint64_t splitMix(uint64_t&& x) { return splitMix(x); }
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

    uint64_t state_[4];
};

} // namespace imblab
