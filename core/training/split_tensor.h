// A dataset split as the tensor a model reads: uint8 images [N, C, H, W] zero-padded to the
// model's input (28×28 → 32×32 for ResNet-32), or float feature rows [N, d].
#pragma once

#include "data/dataset.h"
#include "models/model_factory.h"

#include <torch/types.h>

namespace imblab {

torch::Tensor splitTensor(const Dataset& ds, const DatasetSplit& split, const ModelInput& input, const torch::Device& device);

} // namespace imblab
