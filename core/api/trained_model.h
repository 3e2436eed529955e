// What a finished run hands out of the engine: its settings, what it resolved and its weights
// as plain bytes. Exporters take this value, so nothing outside the worker holds a trainer.
#pragma once

#include "api/experiment_config.h"
#include "api/run_info.h"

#include <cstdint>
#include <string>
#include <vector>

namespace imblab {

// One tensor of a state dict as raw little-endian row-major bytes.
struct NamedTensorBytes {
    std::string name;
    std::string dtype;            // "F32", "I64", ...
    std::vector<int64_t> shape;
    std::vector<uint8_t> bytes;
};

struct TrainedModel {
    ExperimentConfig config;
    RunInfo info;
    std::vector<NamedTensorBytes> stateDict;  // parameters then buffers, PyTorch names, on the CPU
    bool empty() const { return stateDict.empty(); }
};

} // namespace imblab
