// The many / medium / few-shot split of the long-tail literature (Liu et al. 2019, "Large-scale
// long-tailed recognition in an open world", followed by every ImageNet-LT and iNaturalist
// table since): a class is many-shot with more than 100 training examples, few-shot with fewer
// than 20, medium-shot between. Metrics, sweep tables and the charts past 20 classes all use
// this one rule.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace imblab {

enum class ShotGroup : int { Many = 0, Medium = 1, Few = 2 };
constexpr int kShotGroups = 3;

constexpr ShotGroup shotGroupOf(int64_t trainCount) {
    return trainCount > 100 ? ShotGroup::Many : trainCount < 20 ? ShotGroup::Few : ShotGroup::Medium;
}

// "many-shot (> 100)", "medium-shot (20–100)", "few-shot (< 20)": the group and its rule.
const char* shotGroupLabel(ShotGroup g);

// The classes of each group, in class order.
std::array<std::vector<int>, kShotGroups> classesByShotGroup(const std::vector<int64_t>& trainCounts);

// The mean of perClass over each group's classes, skipping NaN; NaN for a group without a class.
std::array<double, kShotGroups> shotGroupMeans(const std::vector<double>& perClass, const std::vector<int64_t>& trainCounts);

} // namespace imblab
