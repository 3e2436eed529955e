// Readers for the "binary version" of CIFAR-10 and CIFAR-100 in a user-given folder.
#pragma once

#include "data/dataset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace imblab {

struct CifarSplit {
    DatasetSplit split;                 // images 3×32×32 channel-planar, fine labels
    std::vector<int64_t> coarseLabels;  // CIFAR-100 only
};

// Reads one CIFAR binary file: records of `labelBytes` label bytes (1: CIFAR-10; 2: CIFAR-100
// coarse then fine) followed by 3072 pixel bytes. DataError naming the file on a size that is
// not a whole number of records, an empty file, or a label ≥ numClasses.
CifarSplit readCifarFile(const std::string& path, int labelBytes, int numClasses);

// CIFAR-10: data_batch_1..5.bin + test_batch.bin; class names from batches.meta.txt if present.
// CIFAR-100: train.bin + test.bin; fine names from fine_label_names.txt if present.
struct CifarDataset {
    CifarSplit train, test;
    std::vector<std::string> classNames;        // empty when no meta file
    std::vector<std::string> coarseClassNames;  // CIFAR-100, when present
};
CifarDataset readCifar10(const std::string& folder);
CifarDataset readCifar100(const std::string& folder);

} // namespace imblab
