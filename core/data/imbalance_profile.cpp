// Counts and subsets of the imbalance profiles, with the official code's formula.
#include "data/imbalance_profile.h"

#include "errors.h"
#include "util/rng.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace imblab {

ProfileKind parseProfile(const std::string& name) {
    if (name == "none") return ProfileKind::None;
    if (name == "exp") return ProfileKind::Exp;
    if (name == "step") return ProfileKind::Step;
    throw ConfigError("profile", "unknown profile '" + name + "' (expected exp, step or none)");
}

std::string profileName(ProfileKind kind) {
    switch (kind) {
    case ProfileKind::None: return "none";
    case ProfileKind::Exp: return "exp";
    case ProfileKind::Step: return "step";
    }
    return "none";
}

ImbalanceProfile::ImbalanceProfile(const ImbalanceSpec& spec) : spec_(spec) {
    if (!std::isfinite(spec.rho) || spec.rho < 1.0)
        throw ConfigError("rho", "must be a number ≥ 1 (1 = balanced), got " + std::to_string(spec.rho));
    if (!std::isfinite(spec.mu) || spec.mu < 0.0 || spec.mu > 1.0)
        throw ConfigError("mu", "must be between 0 and 1, got " + std::to_string(spec.mu));
}

std::vector<int> ImbalanceProfile::classRanks(int numClasses) const {
    std::vector<int> order(static_cast<size_t>(numClasses));
    std::iota(order.begin(), order.end(), 0);
    if (spec_.shuffleClasses) {
        Rng rng(Rng::mix(spec_.seed, 0xC1A55));
        rng.shuffle(order);  // order[r] = class with rank r
    }
    std::vector<int> rank(static_cast<size_t>(numClasses));
    for (int r = 0; r < numClasses; ++r) rank[size_t(order[size_t(r)])] = r;
    return rank;
}

int ImbalanceProfile::stepMinorityCount(int numClasses) const {
    return int(std::lround(spec_.mu * numClasses));
}

std::vector<bool> ImbalanceProfile::stepMinority(int numClasses) const {
    std::vector<bool> minority(size_t(numClasses), false);
    if (spec_.kind != ProfileKind::Step || spec_.rho == 1.0) return minority;
    const int firstMinorityRank = numClasses - stepMinorityCount(numClasses);
    const auto rank = classRanks(numClasses);
    for (int c = 0; c < numClasses; ++c) minority[size_t(c)] = rank[size_t(c)] >= firstMinorityRank;
    return minority;
}

std::vector<int64_t> ImbalanceProfile::classCounts(int64_t nMax, int numClasses) const {
    return classCounts(nMax, std::vector<int64_t>(size_t(numClasses), nMax));
}

std::vector<int64_t> ImbalanceProfile::classCounts(int64_t nMax, const std::vector<int64_t>& available) const {
    const int k = int(available.size());
    if (k < 2) throw ConfigError("classes", "an imbalance profile needs at least 2 classes");
    if (nMax < 1) throw ConfigError("n_max", "must be at least 1");
    std::vector<int64_t> counts(size_t(k), nMax);
    const auto rank = classRanks(k);
    if (spec_.kind == ProfileKind::Exp) {
        // The official code: int(img_max * (imb_factor ** (cls_idx / (cls_num - 1.0)))).
        const double factor = 1.0 / spec_.rho;
        for (int c = 0; c < k; ++c)
            counts[size_t(c)] = int64_t(std::floor(double(nMax) * std::pow(factor, rank[size_t(c)] / (k - 1.0))));
    } else if (spec_.kind == ProfileKind::Step) {
        const auto minority = stepMinority(k);
        const int64_t small = int64_t(std::floor(double(nMax) * (1.0 / spec_.rho)));
        for (int c = 0; c < k; ++c)
            if (minority[size_t(c)]) counts[size_t(c)] = small;
    }
    for (int c = 0; c < k; ++c)
        counts[size_t(c)] = std::max<int64_t>(1, std::min(counts[size_t(c)], available[size_t(c)]));
    for (int c = 0; c < k; ++c)
        if (available[size_t(c)] < 1)
            throw ConfigError("dataset", "class " + std::to_string(c) + " has no training example");
    return counts;
}

std::vector<int64_t> ImbalanceProfile::drawSubset(const std::vector<int64_t>& labels,
                                                  const std::vector<int64_t>& counts) const {
    const int k = int(counts.size());
    std::vector<std::vector<int64_t>> byClass(static_cast<size_t>(k));
    for (size_t i = 0; i < labels.size(); ++i)
        if (labels[i] >= 0 && labels[i] < k) byClass[size_t(labels[i])].push_back(int64_t(i));
    std::vector<int64_t> kept;
    for (int c = 0; c < k; ++c) {
        auto& pool = byClass[size_t(c)];
        const int64_t want = counts[size_t(c)];
        if (want > int64_t(pool.size()))
            throw ConfigError("class_counts", "class " + std::to_string(c) + " needs " + std::to_string(want) +
                                                  " examples but the training set has " + std::to_string(pool.size()));
        // Partial Fisher–Yates: the first `want` slots become a uniform draw without replacement.
        Rng rng(Rng::mix(spec_.seed, uint64_t(c) + 1));
        for (int64_t i = 0; i < want; ++i) {
            const int64_t j = i + int64_t(rng.below(uint64_t(int64_t(pool.size()) - i)));
            std::swap(pool[size_t(i)], pool[size_t(j)]);
        }
        kept.insert(kept.end(), pool.begin(), pool.begin() + want);
    }
    std::sort(kept.begin(), kept.end());
    return kept;
}

std::vector<bool> minorityClasses(const std::vector<int64_t>& counts) {
    std::vector<bool> minority(counts.size(), false);
    if (counts.empty()) return minority;
    const auto [lo, hi] = std::minmax_element(counts.begin(), counts.end());
    const double threshold = std::sqrt(double(*lo) * double(*hi));
    for (size_t c = 0; c < counts.size(); ++c) minority[c] = double(counts[c]) < threshold;
    return minority;
}

} // namespace imblab
