// Model export: a run's weights as safetensors with the names, shapes and dtypes of the
// equivalent PyTorch module, plus metadata (model, classes, counts, normalisation, config).
#pragma once

#include "api/experiment_config.h"
#include "api/run_info.h"

#include "io/safetensors.h"

#include <string>

namespace imblab {

class Trainer;

} // namespace imblab

namespace torch::nn {
class Module;
}

namespace imblab {

// A module's parameters then buffers, named as in its state dict, as F32 / I64 bytes.
std::vector<NamedTensorBytes> moduleStateBytes(const torch::nn::Module& module);

// From a live trainer (after or during a run).
void exportSafetensors(const Trainer& trainer, const std::string& outPath);

// From a run folder written by `imblab-cli train --out DIR` (config.json + model.pt).
// DataError naming the file when the folder lacks one or it does not fit the config.
void exportRunSafetensors(const std::string& runDir, const std::string& outPath);

} // namespace imblab
