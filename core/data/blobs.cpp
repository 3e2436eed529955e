// Gaussian blobs drawn with the portable Rng: same seed, same points everywhere.
#include "data/blobs.h"

#include "errors.h"
#include "util/rng.h"

#include <cmath>

namespace imblab {
namespace {

DatasetSplit drawSplit(const BlobsSpec& spec, int64_t perClass, uint64_t stream) {
    DatasetSplit split;
    split.features.reserve(size_t(perClass * spec.numClasses * 2));
    for (int c = 0; c < spec.numClasses; ++c) {
        Rng rng(Rng::mix(Rng::mix(spec.seed, stream), uint64_t(c)));
        const auto [cx, cy] = blobCentre(c, spec.numClasses, spec.separation);
        for (int64_t i = 0; i < perClass; ++i) {
            split.features.push_back(float(cx + spec.spread * rng.normal()));
            split.features.push_back(float(cy + spec.spread * rng.normal()));
            split.labels.push_back(c);
        }
    }
    return split;
}

} // namespace

std::array<double, 2> blobCentre(int c, int classes, double separation) {
    const double angle = 6.283185307179586 * c / classes;
    return {separation * std::cos(angle), separation * std::sin(angle)};
}

Dataset makeBlobs(const BlobsSpec& spec) {
    if (spec.numClasses < 2 || spec.numClasses > 10)
        throw ConfigError("blobs.classes", "must be between 2 and 10, got " + std::to_string(spec.numClasses));
    if (spec.perClass < 1 || spec.perClass > 100000)
        throw ConfigError("blobs.per_class", "must be between 1 and 100000, got " + std::to_string(spec.perClass));
    if (spec.testPerClass < 1 || spec.testPerClass > 100000)
        throw ConfigError("blobs.test_per_class", "must be between 1 and 100000");
    if (!(spec.spread > 0) || !std::isfinite(spec.spread))
        throw ConfigError("blobs.spread", "must be a positive number");
    if (!(spec.separation >= 0) || !std::isfinite(spec.separation))
        throw ConfigError("blobs.separation", "must be a number ≥ 0");
    Dataset ds;
    ds.id = "blobs";
    for (int c = 0; c < spec.numClasses; ++c) ds.classNames.push_back(std::string(1, char('A' + c)));
    ds.featureDim = 2;
    ds.train = drawSplit(spec, spec.perClass, 1);
    ds.test = drawSplit(spec, spec.testPerClass, 2);
    return ds;
}

} // namespace imblab
