// The loss factory: one place that maps a LossConfig to a Loss.
#include "losses/loss_factory.h"

#include "errors.h"
#include "losses/cross_entropy.h"
#include "losses/focal.h"
#include "losses/ldam.h"

#include <cmath>

namespace imblab {

namespace {

void requireFinite(double v, const char* field, bool positive) {
    if (!std::isfinite(v) || (positive ? v <= 0 : v < 0))
        throw ConfigError(field, std::string("must be a ") + (positive ? "positive" : "non-negative") +
                                     " finite number, got " + std::to_string(v));
}

} // namespace

std::unique_ptr<Loss> makeLoss(const LossConfig& cfg, const std::vector<int64_t>& counts) {
    const int k = int(counts.size());
    const std::string& t = cfg.type;
    if (t == "ce") return std::make_unique<AdjustedCrossEntropyLoss>(AdjustedCrossEntropyLoss::plain(k));
    if (t == "focal") {
        requireFinite(cfg.resolvedGamma(), "loss.gamma", false);
        return std::make_unique<FocalLoss>(cfg.resolvedGamma());
    }
    if (t == "ldam" || t == "margin" || t == "ldam-hg") {
        // M with max_m = 0 is plain CE on the cosine head: the no-margin baseline of the family.
        requireFinite(cfg.maxM, "loss.max_m", t != "margin");
        requireFinite(cfg.s, "loss.s", true);
        const auto margins = t == "margin" ? std::vector<double>(size_t(k), cfg.maxM) : ldamMargins(counts, cfg.maxM);
        if (t == "ldam-hg") return std::make_unique<LdamHingeLoss>(margins);
        return std::make_unique<LdamLoss>(margins, cfg.s);
    }
    if (t == "la") {
        requireFinite(cfg.resolvedTau(), "loss.tau", false);
        return std::make_unique<AdjustedCrossEntropyLoss>(AdjustedCrossEntropyLoss::logitAdjusted(counts, cfg.resolvedTau()));
    }
    if (t == "bsm") return std::make_unique<AdjustedCrossEntropyLoss>(AdjustedCrossEntropyLoss::balancedSoftmax(counts));
    if (t == "vs") {
        requireFinite(cfg.resolvedGamma(), "loss.gamma", false);
        requireFinite(cfg.resolvedTau(), "loss.tau", false);
        return std::make_unique<AdjustedCrossEntropyLoss>(
            AdjustedCrossEntropyLoss::vectorScaling(counts, cfg.resolvedGamma(), cfg.resolvedTau()));
    }
    throw ConfigError("loss.type", "unknown loss '" + t + "' (expected " + lossKindList() + ")");
}

double predictionScale(const LossConfig& cfg) {
    const LossKind* k = findLossKind(cfg.type);
    return k && k->usesScale ? cfg.s : 1.0;  // the losses that scale z by s predict with s·z
}

} // namespace imblab
