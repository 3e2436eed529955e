// The method table (api/methods.h).
#include "api/methods.h"

#include "errors.h"

namespace imblab {

const std::vector<Method>& knownMethods() {
    static const std::vector<Method> methods = {
        {"erm", "ERM", "ce", "none", false},
        {"focal", "Focal", "focal", "none", false},
        {"ldam", "LDAM", "ldam", "none", false},
        {"rw", "RW", "ce", "rw", false},
        {"rs", "RS", "ce", "rs", false},
        {"cb-rw", "CB RW", "ce", "cb-rw", false},
        {"cb-rs", "CB RS", "ce", "cb-rs", false},
        {"cb-focal", "CB Focal", "focal", "cb-rw", false},
        {"ce-drw", "CE-DRW", "ce", "cb-rw", true},
        {"ce-drs", "CE-DRS", "ce", "cb-rs", true},
        {"m-drw", "M-DRW", "margin", "cb-rw", true},
        {"ldam-drw", "LDAM-DRW", "ldam", "cb-rw", true},
        {"ldam-hg-drw", "LDAM-HG-DRW", "ldam-hg", "cb-rw", true},
        {"la", "LA", "la", "none", false},
        {"bsm", "BalSoftmax", "bsm", "none", false},
        {"vs", "VS", "vs", "none", false},
        // Mixup through deferred re-weighting (Zhang et al., bag of tricks, AAAI 2021): α = 1 for
        // the whole run; with Balanced Softmax, their best single-stage combination.
        {"mixup-drw", "Mixup-DRW", "ce", "cb-rw", true, 1.0},
        {"bs-mixup-drw", "BS-Mixup-DRW", "bsm", "cb-rw", true, 1.0},
        // SAM with DRW (Rangwani et al., NeurIPS 2022): their CIFAR-10-LT radii, from the start.
        {"ce-drw-sam", "CE-DRW+SAM", "ce", "cb-rw", true, 0, 0.5},
        {"ldam-drw-sam", "LDAM-DRW+SAM", "ldam", "cb-rw", true, 0, 0.8},
        // ImbSAM (Zhou et al., ICCV 2023): SAM on the tail classes' loss, ρ = 0.05, plain CE.
        {"imbsam", "ImbSAM", "ce", "none", false, 0, 0.05, true},
        // Decoupling (Kang et al., ICLR 2020): plain CE, then the classifier re-trained (cRT), one
        // scale per class learnt (LWS) or its rows normalised (τ-norm, τ = 1), on frozen features.
        {"crt", "cRT", "ce", "none", false, 0, 0, false, "crt"},
        {"lws", "LWS", "ce", "none", false, 0, 0, false, "lws"},
        {"tau-norm", "τ-norm", "ce", "none", false, 0, 0, false, "tau-norm"},
        // MiSLAS (Zhong et al., CVPR 2021): plain CE with mixup α = 1, then label-aware smoothing
        // with BatchNorm re-estimated and the classifier re-trained on class-balanced batches.
        {"mislas", "MiSLAS", "ce", "none", false, 1.0, 0, false, "mislas"},
        // Weight balancing (Alshammari et al., CVPR 2022): plain CE with their tuned weight decay
        // 5e-3, then the classifier with a class-balanced loss under MaxNorm.
        {"wb", "WB", "ce", "none", false, 0, 0, false, "wb", 5e-3},
    };
    return methods;
}

const Method& findMethod(const std::string& id) {
    for (const auto& m : knownMethods())
        if (m.id == id) return m;
    std::string list;
    for (const auto& m : knownMethods()) list += (list.empty() ? "" : ", ") + m.id;
    throw ConfigError("methods", "unknown method '" + id + "' (known: " + list + ")");
}

ExperimentConfig applyMethod(ExperimentConfig cfg, const Method& m) {
    cfg.loss.type = m.loss;
    cfg.rebalance.type = m.rebalance;
    cfg.rebalance.deferred = m.deferred;
    cfg.rebalance.deferEpoch = -1;
    if (m.mixup > 0) {
        if (!(cfg.train.mixup > 0)) cfg.train.mixup = m.mixup;
        cfg.train.cutmix = 0;
    }
    if (m.sam > 0 && !(cfg.train.sam > 0)) cfg.train.sam = m.sam;
    if (m.imbsam) cfg.train.imbsam = true;
    if (m.stage2 != "none") cfg.train.stage2 = m.stage2;
    if (m.weightDecay > 0) cfg.train.weightDecay = m.weightDecay;
    return cfg;
}

namespace {

bool sameLossAndRebalancing(const Method& m, const ExperimentConfig& cfg) {
    return m.loss == cfg.loss.type && m.rebalance == cfg.rebalance.type &&
           (m.deferred == cfg.rebalance.deferred || m.rebalance == "none");
}

bool sameStep(const Method& m, const TrainConfig& t) {
    return (m.mixup > 0) == (t.mixup > 0) && !(t.cutmix > 0) && (m.sam > 0) == (t.sam > 0) &&
           m.imbsam == (t.imbsam && t.sam > 0) && !(t.maxNorm > 0) && m.stage2 == t.stage2;
}

} // namespace

std::string methodIdOf(const ExperimentConfig& cfg) {
    for (const auto& m : knownMethods())
        if (sameLossAndRebalancing(m, cfg) && sameStep(m, cfg.train)) return m.id;
    return "custom";
}

std::string methodLabelOf(const ExperimentConfig& cfg) {
    const std::string id = methodIdOf(cfg);
    if (id != "custom") return findMethod(id).label;
    std::string label = cfg.loss.type + "/" + cfg.rebalance.type;
    for (const auto& m : knownMethods())
        if (sameLossAndRebalancing(m, cfg) && m.mixup == 0 && m.sam == 0 && m.stage2 == "none") {
            label = m.label;
            break;
        }
    const TrainConfig& t = cfg.train;
    if (t.mixup > 0) label += " + mixup";
    if (t.cutmix > 0) label += " + CutMix";
    if (t.sam > 0) label += t.imbsam ? " + ImbSAM" : " + SAM";
    if (t.maxNorm > 0) label += " + MaxNorm";
    if (t.stage2 == "crt") label += " + cRT";
    if (t.stage2 == "lws") label += " + LWS";
    if (t.stage2 == "tau-norm") label += " + τ-norm";
    if (t.stage2 == "mislas") label += " + MiSLAS stage 2";
    if (t.stage2 == "wb") label += " + WB stage 2";
    return label;
}

} // namespace imblab
