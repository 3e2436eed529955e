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
    return cfg;
}

std::string methodIdOf(const ExperimentConfig& cfg) {
    for (const auto& m : knownMethods())
        if (m.loss == cfg.loss.type && m.rebalance == cfg.rebalance.type &&
            (m.deferred == cfg.rebalance.deferred || m.rebalance == "none"))
            return m.id;
    return "custom";
}

std::string methodLabelOf(const ExperimentConfig& cfg) {
    const std::string id = methodIdOf(cfg);
    return id == "custom" ? cfg.loss.type + "/" + cfg.rebalance.type : findMethod(id).label;
}

} // namespace imblab
