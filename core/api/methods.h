// The named methods of the paper's Table 2 (and the cheap modern baselines), as config changes.
#pragma once

#include "api/experiment_config.h"

#include <string>
#include <vector>

namespace imblab {

struct Method {
    std::string id;       // erm, focal, ldam, cb-rw, cb-rs, cb-focal, ce-drw, ce-drs, ldam-drw, m-drw, la, bsm, vs, rw, rs
    std::string label;    // as the paper writes it
    std::string loss;
    std::string rebalance;
    bool deferred = false;
};

const std::vector<Method>& knownMethods();
const Method& findMethod(const std::string& id);  // ConfigError("methods") if unknown
// The base config with this method's loss and re-balancing (defer epoch: first LR decay).
ExperimentConfig applyMethod(ExperimentConfig base, const Method& m);
// The method a config corresponds to (its id), or "custom".
std::string methodIdOf(const ExperimentConfig& cfg);
// Its label as the paper writes it, or "loss/re-balancing" for a custom combination.
std::string methodLabelOf(const ExperimentConfig& cfg);

} // namespace imblab
