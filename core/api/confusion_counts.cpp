// Sparse confusion counts; see api/metrics_report.h.
#include "api/metrics_report.h"

#include <algorithm>

namespace imblab {

ConfusionCounts ConfusionCounts::of(const std::vector<int64_t>& labels, const std::vector<int64_t>& predictions, int classes) {
    // Sorting the (true, predicted) pairs: O(N log N) whatever k, no k×k table.
    std::vector<std::pair<int32_t, int32_t>> pairs;
    pairs.reserve(labels.size());
    for (size_t i = 0; i < labels.size() && i < predictions.size(); ++i)
        if (labels[i] >= 0 && labels[i] < classes && predictions[i] >= 0 && predictions[i] < classes)
            pairs.emplace_back(int32_t(labels[i]), int32_t(predictions[i]));
    std::sort(pairs.begin(), pairs.end());
    ConfusionCounts c;
    c.classes = classes;
    for (const auto& [t, p] : pairs) {
        if (c.cells.empty() || c.cells.back().truth != t || c.cells.back().predicted != p) c.cells.push_back({t, p, 0});
        ++c.cells.back().count;
    }
    return c;
}

ConfusionCounts ConfusionCounts::fromMatrix(const std::vector<std::vector<int64_t>>& m) {
    ConfusionCounts c;
    c.classes = int(m.size());
    for (size_t t = 0; t < m.size(); ++t)
        for (size_t p = 0; p < m[t].size() && p < m.size(); ++p)
            if (m[t][p] != 0) c.cells.push_back({int32_t(t), int32_t(p), m[t][p]});
    return c;
}

int64_t ConfusionCounts::at(int truth, int predicted) const {
    const auto it = std::lower_bound(cells.begin(), cells.end(), std::make_pair(truth, predicted),
                                     [](const ConfusionCell& c, const std::pair<int, int>& key) {
                                         return c.truth != key.first ? c.truth < key.first : c.predicted < key.second;
                                     });
    return it != cells.end() && it->truth == truth && it->predicted == predicted ? it->count : 0;
}

std::vector<int64_t> ConfusionCounts::rowTotals() const {
    std::vector<int64_t> totals(size_t(std::max(0, classes)), 0);
    for (const auto& c : cells) totals[size_t(c.truth)] += c.count;
    return totals;
}

std::vector<int64_t> ConfusionCounts::columnTotals() const {
    std::vector<int64_t> totals(size_t(std::max(0, classes)), 0);
    for (const auto& c : cells) totals[size_t(c.predicted)] += c.count;
    return totals;
}

std::vector<ConfusionCell> ConfusionCounts::mostConfused(size_t n) const {
    std::vector<ConfusionCell> off;
    for (const auto& c : cells)
        if (c.truth != c.predicted) off.push_back(c);
    std::stable_sort(off.begin(), off.end(), [](const ConfusionCell& a, const ConfusionCell& b) { return a.count > b.count; });
    if (off.size() > n) off.resize(n);
    return off;
}

} // namespace imblab
