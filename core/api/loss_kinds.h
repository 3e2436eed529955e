// The one table of loss kinds: name, label, which parameters each uses, and whether it trains a
// normalized (cosine) head. The loss factory, validation, the CLI and the Training panel read it.
#pragma once

#include <string>
#include <vector>

namespace imblab {

struct LossKind {
    std::string id;          // as in configs and --loss
    std::string label;       // as the Training panel shows it
    bool usesScale = false;      // s (LDAM scale)
    bool usesMaxMargin = false;  // max_m (largest margin Δ)
    bool usesGamma = false;      // γ (focal, VS)
    bool usesTau = false;        // τ (LA, VS)
    bool normalizedHead = false; // the LDAM family trains a cosine head, as the official code does
};

const std::vector<LossKind>& lossKinds();
// nullptr when unknown.
const LossKind* findLossKind(const std::string& id);
// "ce, focal, …, bsm or vs": for messages and help texts.
std::string lossKindList();

} // namespace imblab
