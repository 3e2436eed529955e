// Re-balancing (PRODUCT.md §1): class weights for RW / CB-RW, sampling probabilities for RS /
// CB-RS, and the deferred switch (DRW / DRS) from plain ERM.
#pragma once

#include "api/experiment_config.h"

#include <cstdint>
#include <vector>

namespace imblab {

// w_j ∝ 1/n_j, normalized so Σ w_j = k.
std::vector<double> inverseFrequencyWeights(const std::vector<int64_t>& counts);

// Class-balanced weights (Cui et al. 2019): w_j ∝ (1 − β)/(1 − β^n_j), Σ w_j = k.
std::vector<double> classBalancedWeights(const std::vector<int64_t>& counts, double beta);

// What re-balancing is in force at an epoch.
struct RebalancePhase {
    bool reweight = false;        // loss uses `weights`
    bool resample = false;        // examples drawn ∝ weights[y], with replacement
    std::vector<double> weights;  // k class weights (empty under ERM)
};

class RebalanceSchedule {
public:
    // ConfigError("rebalance.*") on an unknown type, β ∉ [0, 1), or a bad defer epoch.
    // firstDecayEpoch: where a deferred switch happens when cfg.deferEpoch is -1.
    RebalanceSchedule(const RebalanceConfig& cfg, const std::vector<int64_t>& counts, int firstDecayEpoch);

    RebalancePhase at(int epoch) const;
    // At a step of an epoch: re-weighting from switchStep() (it can change within an epoch),
    // re-sampling from switchEpoch() (an epoch's visiting order is drawn at its start).
    RebalancePhase atStep(int64_t step, int epoch) const;
    // Where re-weighting starts; switchEpoch() × steps per epoch unless placed by step (short
    // runs whose first LR decay falls within an epoch).
    void setSwitchStep(int64_t step) { switchStep_ = step; }
    int64_t switchStep() const { return switchStep_; }
    bool resamples() const { return resample_; }
    int switchEpoch() const { return switchEpoch_; }     // 0 when not deferred
    const std::vector<double>& weights() const { return weights_; }  // in force after the switch
    bool isErm() const { return !reweight_ && !resample_; }

private:
    bool reweight_ = false, resample_ = false;
    int switchEpoch_ = 0;
    int64_t switchStep_ = 0;
    std::vector<double> weights_;
};

} // namespace imblab
