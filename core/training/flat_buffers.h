// A model's parameters (or buffers) as views of one flat float32 buffer, as the device pipeline
// keeps them: one SGD update, one gradient allreduce and one checkpoint tensor over all of them.
#pragma once

#include <torch/types.h>

#include <vector>

namespace imblab {

// The parameters' memory-order flattening: for a channels-last 4-D tensor [O, I, kh, kw] the
// order O, kh, kw, I, else the usual row-major order.
torch::Tensor flattenInMemoryOrder(const torch::Tensor& t, bool channelsLast);

// Moves `tensors` (float32) into one flat buffer on `device` and makes each a view of its slice,
// 4-D ones laid out channels-last when asked; TrainingError for another dtype.
torch::Tensor makeFlatBuffer(std::vector<torch::Tensor>& tensors, bool channelsLast, const torch::Device& device);

} // namespace imblab
