// Safetensors export of our networks.
#include "io/model_export.h"

#include "data/dataset_manifest.h"
#include "errors.h"
#include "io/config_json.h"
#include "io/safetensors.h"
#include "models/classifier.h"
#include "models/model_factory.h"
#include "training/trainer.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace imblab {

namespace {

std::map<std::string, std::string> metadataFor(const ExperimentConfig& cfg, const std::vector<std::string>& classNames,
                                               const std::vector<int64_t>& counts, const std::vector<int>& inputShape) {
    const DatasetInfo& info = DatasetManifest::builtin().find(cfg.dataset.id);
    std::map<std::string, std::string> m;
    m["format"] = "pt";
    m["imblab_version"] = IMBLAB_VERSION;
    m["model"] = cfg.train.model;
    m["head"] = cfg.loss.usesNormalizedHead() ? "normed" : "linear";
    m["class_names"] = nlohmann::json(classNames).dump();
    m["class_counts"] = nlohmann::json(counts).dump();
    m["input_shape"] = nlohmann::json(inputShape).dump();
    m["mean"] = nlohmann::json(info.mean).dump();
    m["std"] = nlohmann::json(info.std).dump();
    m["config"] = configToJson(cfg);
    return m;
}

std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DataError(path, "missing: a run folder written by imblab-cli train --out has it");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

std::vector<NamedTensorBytes> moduleStateBytes(const torch::nn::Module& module) {
    std::vector<NamedTensorBytes> out;
    auto add = [&](const std::string& name, const torch::Tensor& t) {
        NamedTensorBytes b;
        b.name = name;
        b.shape = t.sizes().vec();
        // PyTorch keeps num_batches_tracked as int64; everything else we hold is float32.
        const auto c = t.is_floating_point() ? t.detach().to(torch::kCPU, torch::kFloat32).contiguous()
                                             : t.detach().to(torch::kCPU, torch::kInt64).contiguous();
        b.dtype = t.is_floating_point() ? "F32" : "I64";
        b.bytes.resize(size_t(c.numel() * c.element_size()));
        std::memcpy(b.bytes.data(), c.data_ptr(), b.bytes.size());
        out.push_back(std::move(b));
    };
    for (const auto& p : module.named_parameters()) add(p.key(), p.value());
    for (const auto& b : module.named_buffers()) add(b.key(), b.value());
    return out;
}

void exportSafetensors(const Trainer& trainer, const std::string& outPath) {
    const RunInfo& info = trainer.info();
    SafetensorsFile f;
    f.tensors = trainer.stateDict();
    if (f.tensors.empty()) throw TrainingError("no model to export: the run was never prepared");
    f.metadata = metadataFor(trainer.config(), info.classNames, info.classCounts, info.inputShape);
    writeSafetensors(outPath, f);
}

void exportRunSafetensors(const std::string& runDir, const std::string& outPath) {
    namespace fs = std::filesystem;
    const std::string configPath = (fs::path(runDir) / "config.json").string();
    const std::string modelPath = (fs::path(runDir) / "model.pt").string();
    const std::string text = readText(configPath);
    const ExperimentConfig cfg = parseConfig(text, configPath);
    nlohmann::json resolved;
    try {
        resolved = nlohmann::json::parse(text).at("resolved");
    } catch (const nlohmann::json::exception& e) {
        throw DataError(configPath, std::string("has no 'resolved' section (not written by a run): ") + e.what());
    }
    const auto classNames = resolved.at("class_names").get<std::vector<std::string>>();
    const auto counts = resolved.at("class_counts").get<std::vector<int64_t>>();
    const auto shape = resolved.at("input_shape").get<std::vector<int>>();
    ModelInput input;
    if (shape.size() == 3) input = {shape[0], shape[1], shape[2], 0};
    else input.features = shape.at(0);
    auto model = makeModel(cfg.train.model, input, int(classNames.size()), cfg.loss.usesNormalizedHead(), cfg.train.mlpHidden);
    if (!fs::exists(modelPath)) throw DataError(modelPath, "missing: the run did not save its model");
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(modelPath);
        model->load(archive);
    } catch (const c10::Error& e) {
        throw DataError(modelPath, "cannot be read as this run's " + cfg.train.model + " model: " + e.msg());
    }
    SafetensorsFile f;
    f.tensors = moduleStateBytes(*model);
    f.metadata = metadataFor(cfg, classNames, counts, shape);
    writeSafetensors(outPath, f);
}

} // namespace imblab
