// A run's data, as one SHA-256: two results with the same fingerprint were trained on the same
// kept subset and tested on the same test set (what a Table or a paper comparison needs to know).
#pragma once

#include "api/experiment_config.h"
#include "data/dataset_loader.h"

#include <string>

namespace imblab {

// Hashes the source id, the profile settings (profile, ρ, μ, data seed, class shuffle), the kept
// indices, and the kept training and test examples' bytes and labels. The folder's path is left
// out: the same files elsewhere give the same fingerprint.
std::string splitFingerprint(const DatasetConfig& cfg, const ImbalancedData& imb);

} // namespace imblab
