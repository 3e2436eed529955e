// The loss-kind table; see loss_kinds.h.
#include "api/loss_kinds.h"

namespace imblab {

const std::vector<LossKind>& lossKinds() {
    //                                   id         label                       s      max_m  γ      τ      cosine
    static const std::vector<LossKind> kinds = {
        {"ce", "Cross-entropy (CE)", false, false, false, false, false},
        {"focal", "Focal", false, false, true, false, false},
        {"ldam", "LDAM", true, true, false, false, true},
        {"ldam-hg", "LDAM hinge (LDAM-HG)", false, true, false, false, true},
        {"margin", "Uniform margin (M)", true, true, false, false, true},
        {"la", "Logit-adjusted CE (LA)", false, false, false, true, false},
        {"bsm", "Balanced Softmax", false, false, false, false, false},
        {"vs", "VS loss", false, false, true, true, false},
    };
    return kinds;
}

const LossKind* findLossKind(const std::string& id) {
    for (const auto& k : lossKinds())
        if (k.id == id) return &k;
    return nullptr;
}

std::string lossKindList() {
    const auto& kinds = lossKinds();
    std::string list;
    for (size_t i = 0; i < kinds.size(); ++i)
        list += (i == 0 ? "" : i + 1 == kinds.size() ? " or " : ", ") + kinds[i].id;
    return list;
}

} // namespace imblab
