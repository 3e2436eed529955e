// Seed groups; see seed_groups.h.
#include "runs/seed_groups.h"

#include "io/results_table.h"

#include <map>

namespace imblab::ui {

std::string seedGroupKey(const ExperimentConfig& cfg) {
    const RunResultRow row = resultRowFor(cfg);
    std::string key = row.method + "|" + row.label + "|" + settingName(row);
    for (const auto& [name, value] : row.settings) key += "|" + name + "=" + value;
    return key;
}

std::vector<std::vector<const RunRecord*>> seedGroups(const std::vector<const RunRecord*>& runs) {
    std::vector<std::vector<const RunRecord*>> groups;
    std::map<std::string, size_t> groupOf;
    for (const RunRecord* run : runs) {
        const auto [it, fresh] = groupOf.emplace(seedGroupKey(run->config), groups.size());
        if (fresh) groups.emplace_back();
        groups[it->second].push_back(run);
    }
    return groups;
}

std::vector<const RunRecord*> finishedSeedSiblings(const RunRecord& shown, const std::vector<const RunRecord*>& runs) {
    const std::string key = seedGroupKey(shown.config);
    std::vector<const RunRecord*> out;
    for (const RunRecord* run : runs)
        if (run->finished && run->lastEpoch() && seedGroupKey(run->config) == key) out.push_back(run);
    return out;
}

} // namespace imblab::ui
