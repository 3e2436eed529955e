// Split tensors; see split_tensor.h.
#include "training/split_tensor.h"

#include "errors.h"

#include <torch/torch.h>

#include <algorithm>
#include <stdexcept>

namespace imblab {

ModelInput datasetModelInput(const std::string& model, const Dataset& ds, const Vocabulary* vocab) {
    if (ds.isText()) {
        if (!vocab) throw std::logic_error("datasetModelInput: a text dataset needs its vocabulary");
        return textModelInput(int(vocab->size()), ds.maxTokens);
    }
    return modelInputFor(model, ds.channels, ds.height, ds.width, ds.featureDim);
}

torch::Tensor splitTensor(const Dataset& ds, const DatasetSplit& split, const ModelInput& input, const torch::Device& device,
                          const Vocabulary* vocab) {
    if (ds.isText()) {
        if (!vocab) throw std::logic_error("splitTensor: a text split needs its vocabulary");
        int64_t longest = 1;
        for (size_t i = 0; i + 1 < split.tokenOffsets.size(); ++i)
            longest = std::max(longest, split.tokenOffsets[i + 1] - split.tokenOffsets[i]);
        auto t = torch::zeros({split.size(), longest}, torch::kInt64);
        int64_t* p = t.data_ptr<int64_t>();
        for (int64_t i = 0; i < split.size(); ++i)
            for (int64_t k = split.tokenOffsets[size_t(i)]; k < split.tokenOffsets[size_t(i) + 1]; ++k)
                p[i * longest + (k - split.tokenOffsets[size_t(i)])] = vocab->fromCorpus[split.tokens[size_t(k)]];
        return t.to(device);
    }
    if (ds.isImage()) {
        if (!split.files.empty())
            throw ConfigError("dataset.pipeline", "this step reads the whole split at once, and its " +
                                                      std::to_string(split.size()) + " images are streamed from their files "
                                                      "(they do not fit in memory decoded); use --data-pipeline decoded for a "
                                                      "smaller image size or set");
        auto t = torch::from_blob(const_cast<uint8_t*>(split.images.data()), {split.size(), ds.channels, ds.height, ds.width},
                                  torch::kUInt8)
                     .clone();
        const int64_t ph = input.height - ds.height, pw = input.width - ds.width;
        if (ph > 0 || pw > 0) t = torch::constant_pad_nd(t, {pw / 2, pw - pw / 2, ph / 2, ph - ph / 2}, 0);
        return t.to(device);
    }
    return torch::from_blob(const_cast<float*>(split.features.data()), {split.size(), ds.featureDim}, torch::kFloat32)
        .clone()
        .to(device);
}

} // namespace imblab
