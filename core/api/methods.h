// The named methods of the paper's Table 2, the cheap modern baselines and the step-changing
// methods since 2019 (mixup, SAM), as config changes.
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
    // Methods since 2019 that change the step (api/experiment_config.h); 0 = not part of it.
    double mixup = 0;     // mixup α
    double sam = 0;       // SAM ρ
    bool imbsam = false;  // SAM along the tail classes' loss only
    std::string stage2 = "none";  // a decoupled second stage after the last epoch
    double weightDecay = 0;       // the first stage's, where the method tunes it (0: the base's)
};

const std::vector<Method>& knownMethods();
const Method& findMethod(const std::string& id);  // ConfigError("methods") if unknown
// The base config with this method's loss and re-balancing (defer epoch: first LR decay), and its
// mixup / SAM where it has them (a positive α or ρ already in the base is kept: the user's), its
// second stage and its weight decay where it sets one.
ExperimentConfig applyMethod(ExperimentConfig base, const Method& m);
// The method a config corresponds to (its id), or "custom" — mixup, CutMix, SAM and MaxNorm must
// match too.
std::string methodIdOf(const ExperimentConfig& cfg);
// Its label as the paper writes it; for a custom combination the label of the method with its loss
// and re-balancing (else "loss/re-balancing") with what is added ("ERM + SAM").
std::string methodLabelOf(const ExperimentConfig& cfg);

} // namespace imblab
