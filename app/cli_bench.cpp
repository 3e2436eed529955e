// `imblab-cli bench`: training throughput after warm-up, as JSON; optionally what the steps spend
// their time on (a profile table in Markdown, a Chrome trace); or the input pipeline alone.
#include "cli_commands.h"
#include "cli_experiment_options.h"
#include "io/atomic_file.h"
#include "training/trainer.h"
#include "util/blas_library.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

namespace imblab {

namespace {

// The process's peak resident memory in MB (VmHWM), or -1 where /proc does not say.
double peakResidentMegabytes() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;  // kB
    return -1;
}

} // namespace

CommandRunner addBenchCommand(CLI::App& app) {
    auto* cmd = app.add_subcommand("bench", "Measure training throughput (img/s) after warm-up; prints JSON");
    auto opts = std::make_shared<ExperimentOptions>();
    auto steps = std::make_shared<int>(30);
    auto warmup = std::make_shared<int>(5);
    opts->addDatasetFlags(*cmd);
    opts->addTrainingFlags(*cmd);
    cmd->add_option("--steps", *steps, "Timed steps")->capture_default_str()->check(CLI::Range(1, 1000000));
    cmd->add_option("--warmup", *warmup, "Untimed warm-up steps")->capture_default_str()->check(CLI::Range(0, 1000000));
    auto profilePath = std::make_shared<std::string>();
    auto tracePath = std::make_shared<std::string>();
    auto profileSteps = std::make_shared<int>(20);
    cmd->add_option("--op-table", *profilePath,
                    "After the timed steps, profile --op-steps more and write a Markdown table of "
                    "device kernels and host ops (time per step) to this file");
    cmd->add_option("--op-trace", *tracePath, "Write the profiled steps' Chrome trace (JSON) to this file");
    cmd->add_option("--op-steps", *profileSteps, "Steps to profile (with --op-table or --op-trace)")
        ->capture_default_str()
        ->check(CLI::Range(1, 100000));
    auto inputOnly = std::make_shared<bool>(false);
    cmd->add_flag("--input-only", *inputOnly,
                  "Time the input pipeline alone: training batches decoded (or gathered), cut, flipped and normalised "
                  "as the step receives them, without the model; --steps counts batches; prints images/s and peak memory");
    return [=]() {
        const ExperimentConfig cfg = opts->resolve("fmnist-lt-quick");
        Trainer trainer(cfg);
        if (*inputOnly) {
            const InputBenchResult r = trainer.benchmarkInput(*warmup, *steps);
            nlohmann::ordered_json j;
            j["dataset"] = cfg.dataset.id;
            j["data_pipeline"] = r.dataPipeline;
            j["image_size"] = trainer.info().inputShape.empty() ? 0 : trainer.info().inputShape.back();
            j["train_images"] = trainer.info().trainSize;
            j["batch_size"] = r.batchSize;
            j["decode_threads"] = r.threads;
            j["augment"] = cfg.train.augment;
            j["warmup_batches"] = *warmup;
            j["batches"] = r.batches;
            j["seconds"] = r.seconds;
            j["images_per_s"] = r.imagesPerSec;
            j["peak_rss_mb"] = peakResidentMegabytes();
            std::cout << j.dump(2) << '\n';
            return 0;
        }
        const bool profiling = !profilePath->empty() || !tracePath->empty();
        const BenchResult r = trainer.benchmark(*warmup, *steps, profiling ? *profileSteps : 0, *tracePath);
        nlohmann::ordered_json j;
        j["model"] = cfg.train.model;
        j["loss"] = cfg.loss.type;
        j["dataset"] = cfg.dataset.id;
        j["batch_size"] = r.batchSize;
        j["device"] = r.device;
        j["pipeline"] = r.pipeline;
        j["precision"] = trainer.info().precision;  // what "auto" chose, when asked
        j["channels_last"] = trainer.info().channelsLast;
        if (!trainer.info().speedNote.empty()) j["speed_note"] = trainer.info().speedNote;
        j["deterministic"] = cfg.train.deterministic;
        j["threads"] = r.threads;
        if (r.device == "cpu") j["blas"] = blasLibrary();  // fp32 CPU speed is mostly its GEMMs
        j["augment"] = cfg.train.augment;
        j["warmup_steps"] = *warmup;
        j["steps"] = r.steps;
        j["seconds"] = r.seconds;
        j["img_per_s"] = r.imgPerSec;
        if (r.profile) {
            const OpProfile& p = *r.profile;
            const double perStepMs = 1e-6 / std::max(1, p.steps);
            auto& jp = j["profile"];
            jp["steps"] = p.steps;
            jp["wall_ms_per_step"] = double(p.wallNs) * perStepMs;
            if (p.deviceCalls > 0) {
                jp["device_busy_ms_per_step"] = double(p.deviceBusyNs) * perStepMs;
                jp["device_kernels_per_step"] = double(p.deviceCalls) / std::max(1, p.steps);
            }
            if (!profilePath->empty()) {
                const std::string title = "Profile: " + cfg.train.model + ", batch " + std::to_string(r.batchSize) +
                                          ", " + r.device + ", " + r.pipeline + " pipeline, " + trainer.info().precision +
                                          (trainer.info().channelsLast ? ", channels-last" : "") +
                                          (cfg.train.deterministic ? ", deterministic" : ", nondeterministic");
                writeTextAtomically(*profilePath, profileMarkdown(p, title));
            }
        }
        std::cout << j.dump(2) << '\n';
        if (!r.traceError.empty()) {
            std::cerr << "error: " << r.traceError << '\n';
            return 1;
        }
        return 0;
    };
}

} // namespace imblab
