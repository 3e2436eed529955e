// A grid of experiments (methods × imbalance settings × seeds) and the comma lists it is typed
// in: one rule for `imblab-cli sweep` and the app's run queue.
#pragma once

#include "api/experiment_config.h"

#include <cstdint>
#include <string>
#include <vector>

namespace imblab {

struct ExperimentGrid {
    std::vector<std::string> methods;   // method ids (api/methods.h)
    std::vector<uint64_t> seeds;
    std::vector<double> rhos;           // empty: the base config's
};

// Every profile × ρ × method × seed on top of `base`, in that nesting order (`profiles` empty:
// the base config's). The seed draws the
// kept subset and the initialisation alike. Each config is validated (ConfigError naming the
// field of the first bad one), so nothing starts before the whole grid is known to be good.
std::vector<ExperimentConfig> expandGrid(const ExperimentConfig& base, const ExperimentGrid& grid,
                                         const std::vector<std::string>& profiles = {});

// "a, b,c" → {"a", "b", "c"} (spaces dropped, empty items skipped).
std::vector<std::string> splitList(const std::string& text);
// Numbers ≥ `min` from a comma list; ConfigError(field) naming a bad item or an empty list.
std::vector<double> parseNumberList(const std::string& text, const std::string& field, double min);
std::vector<uint64_t> parseSeedList(const std::string& text, const std::string& field);

} // namespace imblab
