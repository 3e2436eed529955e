// Seeded 2-D Gaussian blobs for the teaching mode and fast tests.
#pragma once

#include "data/dataset.h"

#include <array>
#include <cstdint>

namespace imblab {

struct BlobsSpec {
    int numClasses = 2;         // 2..10
    int64_t perClass = 500;     // training examples per class before imbalance (n_max)
    int64_t testPerClass = 500; // balanced test set
    double spread = 1.0;        // standard deviation of each blob
    double separation = 2.0;    // distance of each centre from the origin
    uint64_t seed = 0;
};

// Class c is centred at separation·(cos 2πc/k, sin 2πc/k). Throws ConfigError on bad fields.
Dataset makeBlobs(const BlobsSpec& spec);

// Centre of blob `c` of `classes`: separation·(cos 2πc/k, sin 2πc/k).
std::array<double, 2> blobCentre(int c, int classes, double separation);

} // namespace imblab
