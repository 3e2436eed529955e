// `imblab-cli bench`: training throughput after warm-up, as JSON.
#include "cli_commands.h"
#include "cli_experiment_options.h"
#include "training/trainer.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace imblab {

CommandRunner addBenchCommand(CLI::App& app) {
    auto* cmd = app.add_subcommand("bench", "Measure training throughput (img/s) after warm-up; prints JSON");
    auto opts = std::make_shared<ExperimentOptions>();
    auto steps = std::make_shared<int>(30);
    auto warmup = std::make_shared<int>(5);
    opts->addDatasetFlags(*cmd);
    opts->addTrainingFlags(*cmd);
    cmd->add_option("--steps", *steps, "Timed steps")->capture_default_str()->check(CLI::Range(1, 1000000));
    cmd->add_option("--warmup", *warmup, "Untimed warm-up steps")->capture_default_str()->check(CLI::Range(0, 1000000));
    return [=]() {
        const ExperimentConfig cfg = opts->resolve("fmnist-lt-quick");
        Trainer trainer(cfg);
        const BenchResult r = trainer.benchmark(*warmup, *steps);
        nlohmann::ordered_json j;
        j["model"] = cfg.train.model;
        j["loss"] = cfg.loss.type;
        j["dataset"] = cfg.dataset.id;
        j["batch_size"] = r.batchSize;
        j["device"] = r.device;
        j["pipeline"] = r.pipeline;
        j["precision"] = cfg.train.precision;
        j["channels_last"] = cfg.train.channelsLast;
        j["deterministic"] = cfg.train.deterministic;
        j["threads"] = r.threads;
        j["augment"] = cfg.train.augment;
        j["warmup_steps"] = *warmup;
        j["steps"] = r.steps;
        j["seconds"] = r.seconds;
        j["img_per_s"] = r.imgPerSec;
        std::cout << j.dump(2) << '\n';
        return 0;
    };
}

} // namespace imblab
