// The shot groups; see api/shot_groups.h.
#include "api/shot_groups.h"

#include <cmath>
#include <limits>

namespace imblab {

const char* shotGroupLabel(ShotGroup g) {
    switch (g) {
    case ShotGroup::Many: return "many-shot (> 100)";
    case ShotGroup::Medium: return "medium-shot (20–100)";
    case ShotGroup::Few: return "few-shot (< 20)";
    }
    return "";
}

std::array<std::vector<int>, kShotGroups> classesByShotGroup(const std::vector<int64_t>& trainCounts) {
    std::array<std::vector<int>, kShotGroups> groups;
    for (size_t c = 0; c < trainCounts.size(); ++c) groups[size_t(shotGroupOf(trainCounts[c]))].push_back(int(c));
    return groups;
}

std::array<double, kShotGroups> shotGroupMeans(const std::vector<double>& perClass, const std::vector<int64_t>& trainCounts) {
    std::array<double, kShotGroups> sum{}, n{};
    for (size_t c = 0; c < perClass.size() && c < trainCounts.size(); ++c) {
        if (std::isnan(perClass[c])) continue;
        const auto g = size_t(shotGroupOf(trainCounts[c]));
        sum[g] += perClass[c];
        n[g] += 1;
    }
    std::array<double, kShotGroups> mean;
    for (size_t g = 0; g < mean.size(); ++g) mean[g] = n[g] > 0 ? sum[g] / n[g] : std::numeric_limits<double>::quiet_NaN();
    return mean;
}

} // namespace imblab
