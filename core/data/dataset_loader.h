// Turns a DatasetConfig into data: reads the files (or draws blobs) and applies the imbalance
// profile to the training split. The test split stays balanced and untouched.
#pragma once

#include "api/experiment_config.h"
#include "data/dataset.h"
#include "data/imbalance_profile.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace imblab {

// The folder the dataset is read from: cfg.path, else the manifest's default.
std::string resolveDatasetFolder(const DatasetConfig& cfg);

// Called as an image folder's or list's files are decoded (done, total), from the loading
// thread; returning false cancels the load (DataError "cancelled while decoding").
using LoadProgress = std::function<bool(int64_t done, int64_t total)>;

// Reads every file of the dataset (full, balanced). DataError naming the file on any problem;
// a missing default folder says how to get the data (Debian package or --data).
Dataset loadDataset(const DatasetConfig& cfg, const LoadProgress& progress = {});

ImbalanceSpec imbalanceSpec(const DatasetConfig& cfg);

// Per-class training counts without reading any image (from the manifest, or the blobs spec).
struct CountPreview {
    std::vector<std::string> classNames;
    std::vector<int64_t> classCounts;
    std::vector<bool> minority;  // n_j < √(n_max·n_min)
    int64_t nMax = 0;
};
CountPreview previewCounts(const DatasetConfig& cfg);

// The training split reduced to the profile's counts (a seeded draw per class).
struct ImbalancedData {
    Dataset data;                       // data.train is the kept subset
    std::vector<int64_t> classCounts;   // n_j of the kept subset
    std::vector<int64_t> keptIndices;   // indices into the full training split
    int64_t nMax = 0;
};
ImbalancedData makeImbalanced(Dataset full, const DatasetConfig& cfg);

// Only the indices makeImbalanced() keeps (and their counts), without copying any image: the
// GUI's sample strip uses this while a slider moves.
struct KeptSubset {
    std::vector<int64_t> classCounts;
    std::vector<int64_t> indices;
    int64_t nMax = 0;
};
KeptSubset keptSubset(const Dataset& full, const DatasetConfig& cfg);

} // namespace imblab
