// A dataset split as the tensor a model reads: uint8 images [N, C, H, W] zero-padded to the
// model's input (28×28 → 32×32 for ResNet-32), float feature rows [N, d], or texts as int64
// vocabulary ids [N, L] right-padded with <pad> (0) to the split's longest text.
#pragma once

#include "data/dataset.h"
#include "data/vocabulary.h"
#include "models/model_factory.h"

#include <torch/types.h>

namespace imblab {

// The input `model` takes for `ds`: images padded as the model needs, feature rows, or texts of
// at most ds.maxTokens words with ids from `vocab`.
ModelInput datasetModelInput(const std::string& model, const Dataset& ds, const Vocabulary* vocab);

// `vocab`: the training split's vocabulary (texts only).
torch::Tensor splitTensor(const Dataset& ds, const DatasetSplit& split, const ModelInput& input, const torch::Device& device,
                          const Vocabulary* vocab = nullptr);

} // namespace imblab
