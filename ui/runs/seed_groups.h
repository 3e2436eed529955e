// Runs that differ only in their seed, as the Table pools them (io/results_table.h): the charts
// draw such a group as its mean with the seeds' min–max around it.
#pragma once

#include "runs/run_record.h"

#include <string>
#include <vector>

namespace imblab::ui {

// Equal for two configurations exactly when everything but the seed is equal.
std::string seedGroupKey(const ExperimentConfig& cfg);

// `runs` grouped by seedGroupKey, groups in order of first appearance, runs in given order.
std::vector<std::vector<const RunRecord*>> seedGroups(const std::vector<const RunRecord*>& runs);

// The finished runs of `runs` with an epoch-end evaluation that share `shown`'s seed group
// (`shown` included when it qualifies), in given order.
std::vector<const RunRecord*> finishedSeedSiblings(const RunRecord& shown, const std::vector<const RunRecord*>& runs);

} // namespace imblab::ui
