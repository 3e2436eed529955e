// Where a run's images live while it trains on a GPU. Uploaded once ("device") the step never
// waits for a copy, but the images take GPU memory beside the model; a dataset that would not
// fit stays in host memory ("stream"), pinned so that each batch's rows are copied to the GPU
// asynchronously, in step order, as the step needs them. Results are the same either way.
#pragma once

#include <cstdint>
#include <string>

namespace imblab {

struct ResidencyChoice {
    bool stream = false;
    std::string note;  // what was chosen and why, for the log and config.json
};

// `requested`: auto | device | stream (train.data_residency); `bytes`: the images of the
// training and test splits; `freeBytes`: the GPU's free memory (< 0: unknown). Auto streams on
// CUDA when the images would take more than half the free memory (the rest is the model's,
// its activations' and cuDNN's). On the CPU the images are in host memory either way; "stream"
// still takes the streaming path (how the tests exercise it without a GPU).
ResidencyChoice chooseDataResidency(const std::string& requested, bool cuda, int64_t bytes, int64_t freeBytes);

// Free memory of CUDA device `index` in bytes; −1 without CUDA.
int64_t cudaFreeBytes(int index);

} // namespace imblab
