// Weights and the deferral switch; see rebalancing.h.
#include "training/rebalancing.h"

#include "errors.h"

#include <cmath>

namespace imblab {
namespace {

std::vector<double> normalizeToK(std::vector<double> w) {
    double sum = 0;
    for (double v : w) sum += v;
    for (double& v : w) v *= double(w.size()) / sum;
    return w;
}

} // namespace

std::vector<double> inverseFrequencyWeights(const std::vector<int64_t>& counts) {
    std::vector<double> w;
    for (int64_t n : counts) w.push_back(1.0 / double(n));
    return normalizeToK(w);
}

std::vector<double> classBalancedWeights(const std::vector<int64_t>& counts, double beta) {
    std::vector<double> w;
    for (int64_t n : counts) w.push_back((1.0 - beta) / (1.0 - std::pow(beta, double(n))));
    return normalizeToK(w);
}

RebalanceSchedule::RebalanceSchedule(const RebalanceConfig& cfg, const std::vector<int64_t>& counts,
                                     int firstDecayEpoch) {
    const std::string& t = cfg.type;
    if (t != "none" && t != "rw" && t != "cb-rw" && t != "rs" && t != "cb-rs")
        throw ConfigError("rebalance.type", "unknown re-balancing '" + t + "' (expected none, rw, cb-rw, rs or cb-rs)");
    if (!std::isfinite(cfg.beta) || cfg.beta < 0 || cfg.beta >= 1)
        throw ConfigError("rebalance.beta", "must be in [0, 1), got " + std::to_string(cfg.beta));
    if (cfg.deferEpoch < -1) throw ConfigError("rebalance.defer_epoch", "must be ≥ 0 (or -1 for the first LR decay)");
    if (t == "none") return;
    reweight_ = t == "rw" || t == "cb-rw";
    resample_ = !reweight_;
    weights_ = (t == "rw" || t == "rs") ? inverseFrequencyWeights(counts) : classBalancedWeights(counts, cfg.beta);
    if (cfg.deferred) switchEpoch_ = cfg.deferEpoch >= 0 ? cfg.deferEpoch : firstDecayEpoch;
}

RebalancePhase RebalanceSchedule::atStep(int64_t step, int epoch) const {
    RebalancePhase p;
    p.reweight = reweight_ && step >= switchStep_;
    p.resample = resample_ && epoch >= switchEpoch_;
    if (p.reweight || p.resample) p.weights = weights_;
    return p;
}

RebalancePhase RebalanceSchedule::at(int epoch) const {
    RebalancePhase p;
    if (isErm() || epoch < switchEpoch_) return p;
    p.reweight = reweight_;
    p.resample = resample_;
    p.weights = weights_;
    return p;
}

} // namespace imblab
