// Speed probe; see speed_probe.h.
#include "training/speed_probe.h"

#include "models/model_names.h"

#include "training/trainer.h"
#include "util/blas_library.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace imblab {

namespace fs = std::filesystem;

namespace {

const char* const kFile = "speed_probes.json";

std::string processorName(const std::string& device) {
    if (device == "cuda") return torch::cuda::is_available() ? "cuda x" + std::to_string(torch::cuda::device_count()) : "cuda";
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("model name", 0) == 0) return line.substr(std::min(line.size(), line.find(':') + 2));
    return "cpu";
}

nlohmann::json readAll(const std::string& folder) {
    std::ifstream in(fs::path(folder) / kFile);
    if (!in) return nlohmann::json::object();
    const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    return j.is_object() ? j : nlohmann::json::object();  // a damaged file is measured over
}

} // namespace

std::string SpeedMeasure::note(const std::string& model, const std::string& device) const {
    char buf[200];
    std::snprintf(buf, sizeof buf, "%s: bf16 + channels-last %.0f vs fp32 %.0f img/s (%.2fx), %s for %s on %s",
                  fastWins() ? "fast" : "fp32", fastImgPerSec, fp32ImgPerSec,
                  fp32ImgPerSec > 0 ? fastImgPerSec / fp32ImgPerSec : 0.0, fromCache ? "measured earlier" : "measured now",
                  model.c_str(), device.c_str());
    return buf;
}

std::string speedProbeKey(const ExperimentConfig& cfg, const std::string& device, const std::vector<int>& inputShape) {
    std::string shape;
    for (int d : inputShape) shape += (shape.empty() ? "" : "x") + std::to_string(d);
    const int threads = device == "cpu" ? torch::get_num_threads() : 0;
    return cfg.train.model + "|" + shape + "|batch " + std::to_string(cfg.train.batchSize) + "|" + cfg.train.pipeline + "|" +
           device + "|" + processorName(device) + "|threads " + std::to_string(threads) + "|torch " + TORCH_VERSION +
           (device == "cpu" ? "|" + blasLibrary() : std::string());
}

std::optional<SpeedMeasure> readSpeedProbe(const std::string& folder, const std::string& key) {
    if (folder.empty()) return std::nullopt;
    const nlohmann::json all = readAll(folder);
    const auto it = all.find(key);
    if (it == all.end() || !it->is_object()) return std::nullopt;
    SpeedMeasure m;
    m.fp32ImgPerSec = it->value("fp32_img_per_s", 0.0);
    m.fastImgPerSec = it->value("fast_img_per_s", 0.0);
    m.fromCache = true;
    if (!(m.fp32ImgPerSec > 0) || !(m.fastImgPerSec > 0)) return std::nullopt;
    return m;
}

bool writeSpeedProbe(const std::string& folder, const std::string& key, const SpeedMeasure& m) {
    if (folder.empty()) return false;
    std::error_code ec;
    fs::create_directories(folder, ec);
    nlohmann::json all = readAll(folder);
    all[key] = {{"fp32_img_per_s", m.fp32ImgPerSec}, {"fast_img_per_s", m.fastImgPerSec}};
    const fs::path tmp = fs::path(folder) / (std::string(kFile) + ".partial");
    {
        std::ofstream out(tmp, std::ios::trunc);
        if (!out) return false;
        out << all.dump(2) << '\n';
        if (!out) return false;
    }
    fs::rename(tmp, fs::path(folder) / kFile, ec);
    return !ec;
}

SpeedMeasure measureInRounds(const std::function<double(bool fast)>& throughput, int maxRounds, double budgetSeconds) {
    SpeedMeasure m;
    const auto start = std::chrono::steady_clock::now();
    for (int round = 0; round < std::max(1, maxRounds); ++round) {
        if (round > 0 && std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >= budgetSeconds)
            break;
        m.fp32ImgPerSec = std::max(m.fp32ImgPerSec, throughput(false));
        m.fastImgPerSec = std::max(m.fastImgPerSec, throughput(true));
    }
    return m;
}

SpeedMeasure measureSpeed(const ExperimentConfig& cfg, std::shared_ptr<const Dataset> data, const std::string& device,
                          const std::vector<int>& inputShape, const std::string& folder) {
    const std::string key = speedProbeKey(cfg, device, inputShape);
    if (auto stored = readSpeedProbe(folder, key)) return *stored;
    spdlog::info("measuring fp32 against bf16 + channels-last for {} on {} (once; kept in {})", cfg.train.model, device,
                 folder.empty() ? "no cache" : (fs::path(folder) / kFile).string());
    // The run itself, a few steps in each mode (its batch, at most 64 so a large model on a CPU
    // is measured in seconds): the same pipeline, data and augmentation the run will use.
    auto throughput = [&](bool fast) {
        ExperimentConfig probe = cfg;
        probe.train.precision = fast ? "bf16" : "fp32";
        probe.train.channelsLast = fast;
        probe.train.stage2 = "none";
        probe.train.batchSize = std::min(cfg.train.batchSize, 64);
        Trainer t(probe, data);
        return t.benchmark(1, 4).imgPerSec;
    };
    // Measured under load (the app's first run while a build used both cores) a single round
    // gave fp32 149 img/s against 8 238 undisturbed, and that answer would have been kept.
    const SpeedMeasure m = measureInRounds(throughput, 3, 3.0);
    if (!writeSpeedProbe(folder, key, m) && !folder.empty())
        spdlog::warn("{}: cannot store the speed measurement; the next run measures again", folder);
    return m;
}

SpeedChoice chooseSpeed(const ExperimentConfig& cfg, std::shared_ptr<const Dataset> data, const std::string& device,
                        const std::vector<int>& inputShape, const std::string& folder, bool dataParallel) {
    SpeedChoice c{cfg.train.precision, cfg.train.channelsLast, {}};
    if (cfg.train.precision != "auto") return c;
    if (isTextModel(cfg.train.model)) {
        c.precision = "fp32";
        c.note = "fp32: the text models train in fp32 (their LSTM kernel is fp32; auto)";
    } else if (dataParallel) {
        c.precision = "fp32";
        c.note = "fp32: a data-parallel run does not measure its speed (auto)";
    } else {
        const SpeedMeasure m = measureSpeed(cfg, std::move(data), device, inputShape, folder);
        c.precision = m.fastWins() ? "bf16" : "fp32";
        c.channelsLast = m.fastWins();
        c.note = m.note(cfg.train.model, device);
    }
    spdlog::info("speed auto: {}", c.note);
    return c;
}

} // namespace imblab
