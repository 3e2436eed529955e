// Model export: a run's weights as safetensors with the names, shapes and dtypes of the
// equivalent PyTorch module, plus metadata (model, classes, counts, normalisation, config).
#pragma once

#include "api/trained_model.h"
#include "io/safetensors.h"

#include <string>

namespace torch::nn {
class Module;
}

namespace imblab {

// A module's parameters then buffers, named as in its state dict, as F32 / I64 bytes.
std::vector<NamedTensorBytes> moduleStateBytes(const torch::nn::Module& module);

// A module's state dict as a TrainedModel (config and info given), and back: DataError naming
// `source` when a tensor is missing or its shape differs.
TrainedModel trainedModelOf(const torch::nn::Module& module, const ExperimentConfig& cfg, const RunInfo& info);
void loadStateBytes(torch::nn::Module& module, const std::vector<NamedTensorBytes>& state, const std::string& source);

// A trained model as safetensors (PyTorch names, metadata) or as a LibTorch archive
// (torch::save of the rebuilt module, the format model.pt has); both atomic.
void exportSafetensors(const TrainedModel& model, const std::string& outPath);
void saveModelArchive(const TrainedModel& model, const std::string& outPath);

// The data's shape (before padding) and per-channel mean/std: what the run recorded, else (a run
// from an older version) the manifest's values for its dataset.
struct Normalisation {
    std::vector<int> dataShape;
    std::vector<double> mean, std;
};
Normalisation normalisationOf(const ExperimentConfig& cfg, const RunInfo& run);

// The model of a run folder written by `imblab-cli train --out DIR` (config.json with its
// resolved section + model.pt). DataError naming the file when one is missing or does not fit.
TrainedModel loadRunModel(const std::string& runDir);

// From a run folder written by `imblab-cli train --out DIR` (config.json + model.pt).
// DataError naming the file when the folder lacks one or it does not fit the config.
void exportRunSafetensors(const std::string& runDir, const std::string& outPath);

} // namespace imblab
