// Safetensors export of our networks.
#include "io/model_export.h"

#include "data/dataset_manifest.h"
#include "errors.h"
#include "io/config_json.h"
#include "io/safetensors.h"
#include "losses/loss_factory.h"
#include "models/classifier.h"
#include "models/model_factory.h"
#include "io/atomic_file.h"
#include "io/vocabulary_file.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace imblab {

namespace {

std::map<std::string, std::string> metadataFor(const ExperimentConfig& cfg, const RunInfo& run) {
    std::map<std::string, std::string> m;
    m["format"] = "pt";
    m["imblab_version"] = IMBLAB_VERSION;
    m["model"] = cfg.train.model;
    m["head"] = cfg.loss.usesNormalizedHead() ? "normed" : "linear";
    m["class_names"] = nlohmann::json(run.classNames).dump();
    m["class_counts"] = nlohmann::json(run.classCounts).dump();
    m["input_shape"] = nlohmann::json(run.inputShape).dump();
    if (!run.vocabulary.empty()) {
        m["vocabulary_size"] = std::to_string(run.vocabulary.size());
        m["embedding_dim"] = std::to_string(cfg.train.embeddingDim);
        if (cfg.train.model == "bilstm") m["lstm_hidden"] = std::to_string(cfg.train.lstmHidden);
    }
    const Normalisation norm = normalisationOf(cfg, run);
    m["mean"] = nlohmann::json(norm.mean).dump();
    m["std"] = nlohmann::json(norm.std).dump();
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

TrainedModel trainedModelOf(const torch::nn::Module& module, const ExperimentConfig& cfg, const RunInfo& info) {
    return TrainedModel{cfg, info, moduleStateBytes(module)};
}

void loadStateBytes(torch::nn::Module& module, const std::vector<NamedTensorBytes>& state, const std::string& source) {
    std::map<std::string, const NamedTensorBytes*> byName;
    for (const auto& t : state) byName[t.name] = &t;
    torch::NoGradGuard noGrad;
    auto fill = [&](const std::string& name, torch::Tensor& target) {
        const auto it = byName.find(name);
        if (it == byName.end()) throw DataError(source, "has no tensor '" + name + "'");
        const NamedTensorBytes& b = *it->second;
        if (b.shape != target.sizes().vec()) throw DataError(source, "tensor '" + name + "' has another shape than the model's");
        const auto dtype = b.dtype == "I64" ? torch::kInt64 : torch::kFloat32;
        if (b.bytes.size() != size_t(target.numel()) * (dtype == torch::kInt64 ? 8 : 4))
            throw DataError(source, "tensor '" + name + "' has the wrong number of bytes");
        auto host = torch::empty(b.shape, torch::TensorOptions().dtype(dtype));
        std::memcpy(host.data_ptr(), b.bytes.data(), b.bytes.size());
        target.copy_(host);
    };
    for (auto& p : module.named_parameters()) fill(p.key(), p.value());
    for (auto& b : module.named_buffers()) fill(b.key(), b.value());
}

namespace {

std::shared_ptr<Classifier> rebuild(const TrainedModel& model) {
    const ExperimentConfig& cfg = model.config;
    return makeModel(cfg.train.model, modelInputOfRun(cfg.train.model, model.info.inputShape, int64_t(model.info.vocabulary.size())),
                     int(model.info.classNames.size()), cfg.loss.usesNormalizedHead(), modelSizes(cfg.train));
}

} // namespace

void exportSafetensors(const TrainedModel& model, const std::string& outPath) {
    if (model.empty()) throw TrainingError("no model to export: the run was never prepared");
    SafetensorsFile f;
    f.tensors = model.stateDict;
    for (auto& t : f.tensors) t.name = torchvisionExportName(model.config.train.model, t.name);  // "fc.*" for torchvision's ResNets
    f.metadata = metadataFor(model.config, model.info);
    if (!model.info.vocabulary.empty()) {
        const std::string vocabPath = vocabularyPathBeside(outPath);
        f.metadata["vocabulary_file"] = std::filesystem::path(vocabPath).filename().string();
        writeTextAtomically(vocabPath, vocabularyJson(model.info.vocabulary, model.config.dataset.maxTokens));
    }
    writeSafetensors(outPath, f);
}

void saveModelArchive(const TrainedModel& model, const std::string& outPath) {
    if (model.empty()) throw TrainingError("no model to save: the run was never prepared");
    auto module = rebuild(model);
    loadStateBytes(*module, model.stateDict, outPath);
    writeFileAtomically(outPath, [&](const std::string& tmp) {
        torch::serialize::OutputArchive archive;
        module->save(archive);
        archive.save_to(tmp);
    });
}

Normalisation normalisationOf(const ExperimentConfig& cfg, const RunInfo& run) {
    if (!run.mean.empty() || !run.dataShape.empty()) return {run.dataShape, run.mean, run.std};
    // Runs from before RunInfo carried it: the manifest's published values for the benchmarks.
    const DatasetInfo& info = DatasetManifest::builtin().find(cfg.dataset.id);
    return {info.shape, info.mean, info.std};
}

TrainedModel loadRunModel(const std::string& runDir) {
    namespace fs = std::filesystem;
    const std::string configPath = (fs::path(runDir) / "config.json").string();
    const std::string modelPath = (fs::path(runDir) / "model.pt").string();
    const std::string text = readText(configPath);
    TrainedModel tm;
    tm.config = parseConfig(text, configPath);
    const ExperimentConfig& cfg = tm.config;
    try {
        const nlohmann::json resolved = nlohmann::json::parse(text).at("resolved");
        tm.info.classNames = resolved.at("class_names").get<std::vector<std::string>>();
        tm.info.classCounts = resolved.at("class_counts").get<std::vector<int64_t>>();
        tm.info.inputShape = resolved.at("input_shape").get<std::vector<int>>();
        tm.info.predictionScale = resolved.value("prediction_scale", predictionScale(cfg.loss));
        tm.info.dataShape = resolved.value("data_shape", std::vector<int>{});
        tm.info.mean = resolved.value("mean", std::vector<double>{});
        tm.info.std = resolved.value("std", std::vector<double>{});
        tm.info.featureNames = resolved.value("feature_names", std::vector<std::string>{});
        tm.info.stepsPerEpoch = resolved.value("steps_per_epoch", int64_t(0));  // a second stage counts on from it
        if (resolved.contains("vocabulary_file"))
            tm.info.vocabulary = readVocabularyFile((fs::path(runDir) / resolved["vocabulary_file"].get<std::string>()).string());
    } catch (const nlohmann::json::exception& e) {
        throw DataError(configPath, std::string("has no complete 'resolved' section (not written by a run): ") + e.what());
    }
    auto model = rebuild(tm);
    if (!fs::exists(modelPath)) throw DataError(modelPath, "missing: the run did not save its model");
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(modelPath);
        model->load(archive);
    } catch (const c10::Error& e) {
        throw DataError(modelPath, "cannot be read as this run's " + cfg.train.model + " model: " + e.msg());
    }
    tm.stateDict = moduleStateBytes(*model);
    return tm;
}

void exportRunSafetensors(const std::string& runDir, const std::string& outPath) {
    exportSafetensors(loadRunModel(runDir), outPath);
}

} // namespace imblab
