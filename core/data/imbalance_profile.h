// Imbalance profiles (PRODUCT.md §1): per-class training counts, and the seeded subset.
#pragma once

#include "data/dataset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace imblab {

enum class ProfileKind { None, Exp, Step };

struct ImbalanceSpec {
    ProfileKind kind = ProfileKind::Exp;
    double rho = 100.0;           // imbalance ratio n_max / n_min, ≥ 1
    double mu = 0.5;              // step: fraction of minority classes, in [0, 1]
    uint64_t seed = 0;            // draws which examples are kept (and the class order if shuffled)
    bool shuffleClasses = false;  // false: the last classes by index are the minority ones
};

ProfileKind parseProfile(const std::string& name);  // "none" | "exp" | "step"; ConfigError("profile")
std::string profileName(ProfileKind kind);

class ImbalanceProfile {
public:
    // ConfigError("rho"/"mu") on ρ < 1, μ ∉ [0, 1], non-finite values.
    explicit ImbalanceProfile(const ImbalanceSpec& spec);

    // Per-class training counts for k classes with n_max per class in the original set. No
    // image is needed (the GUI previews this while a slider moves).
    //   exp:  n_i = ⌊n_max · ρ^(−r_i/(k−1))⌋ with r_i the class's rank (its index unless shuffled)
    //   step: the round(μ·k) classes of highest rank get ⌊n_max/ρ⌋, the others n_max
    //         (round = to nearest, halves away from zero: μ = 0.5, k = 5 → 3 minority classes)
    // Counts are capped by `available` (a class may have fewer than n_max examples, e.g. MNIST)
    // and raised to 1 where ρ > n_max would leave a class empty (see clampedToOne()).
    std::vector<int64_t> classCounts(int64_t nMax, const std::vector<int64_t>& available) const;
    std::vector<int64_t> classCounts(int64_t nMax, int numClasses) const;

    // Rank of each class in the profile (0 = most frequent); identity unless shuffled.
    std::vector<int> classRanks(int numClasses) const;
    // Whether class j is a minority class of the step profile (always false for exp/none).
    std::vector<bool> stepMinority(int numClasses) const;
    int stepMinorityCount(int numClasses) const;

    // The kept training subset: for each class, a seeded uniform draw (without replacement) of
    // `counts[c]` of its examples, in file order. Identical on every machine for the same seed.
    std::vector<int64_t> drawSubset(const std::vector<int64_t>& labels, const std::vector<int64_t>& counts) const;

    const ImbalanceSpec& spec() const { return spec_; }

private:
    ImbalanceSpec spec_;
};

// Minority classes for reporting (frequent vs minority error): n_j < √(n_max·n_min). Exp ρ=100
// on 10 classes → the last 5; step → the reduced classes; balanced → none.
std::vector<bool> minorityClasses(const std::vector<int64_t>& counts);

} // namespace imblab
