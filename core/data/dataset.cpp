// Counting and selecting examples of a DatasetSplit.
#include "data/dataset.h"

#include <algorithm>

namespace imblab {

std::vector<int64_t> countPerClass(const DatasetSplit& split, int numClasses) {
    std::vector<int64_t> counts(size_t(numClasses), 0);
    for (int64_t y : split.labels)
        if (y >= 0 && y < numClasses) ++counts[size_t(y)];
    return counts;
}

DatasetSplit selectExamples(const DatasetSplit& split, int64_t sampleSize,
                            const std::vector<int64_t>& indices) {
    DatasetSplit out;
    out.labels.reserve(indices.size());
    if (!split.tokenOffsets.empty()) {  // text
        out.tokenOffsets.reserve(indices.size() + 1);
        out.tokenOffsets.push_back(0);
        for (int64_t i : indices) {
            const auto from = split.tokens.begin() + split.tokenOffsets[size_t(i)];
            const auto to = split.tokens.begin() + split.tokenOffsets[size_t(i) + 1];
            out.tokens.insert(out.tokens.end(), from, to);
            out.tokenOffsets.push_back(int64_t(out.tokens.size()));
            out.texts.push_back(split.texts[size_t(i)]);
            out.textSources.push_back(split.textSources[size_t(i)]);
            out.textTruncated.push_back(split.textTruncated[size_t(i)]);
            out.labels.push_back(split.labels[size_t(i)]);
        }
        return out;
    }
    if (!split.files.empty()) {  // streamed images
        for (int64_t i : indices) {
            out.files.push_back(split.files[size_t(i)]);
            out.labels.push_back(split.labels[size_t(i)]);
        }
        return out;
    }
    const bool image = !split.images.empty();
    if (image) out.images.resize(indices.size() * size_t(sampleSize));
    else out.features.resize(indices.size() * size_t(sampleSize));
    for (size_t i = 0; i < indices.size(); ++i) {
        const size_t src = size_t(indices[i]) * size_t(sampleSize);
        const size_t dst = i * size_t(sampleSize);
        if (image)
            std::copy_n(split.images.begin() + long(src), sampleSize, out.images.begin() + long(dst));
        else
            std::copy_n(split.features.begin() + long(src), sampleSize, out.features.begin() + long(dst));
        out.labels.push_back(split.labels[size_t(indices[i])]);
    }
    return out;
}

} // namespace imblab
