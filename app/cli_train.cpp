// `imblab-cli train`: one experiment, with its files written to --out.
#include "cli_commands.h"
#include "cli_experiment_options.h"
#include "cli_progress.h"
#include "errors.h"
#include "io/config_json.h"
#include "io/run_directory.h"
#include "api/methods.h"
#include "training/trainer.h"

#include <spdlog/spdlog.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <cstdio>
#include <memory>

namespace imblab {

namespace {
RunControl* activeControl = nullptr;
void onInterrupt(int) {
    if (activeControl) activeControl->cancel = true;  // the run stops at the next step, files intact
}
} // namespace

CommandRunner addTrainCommand(CLI::App& app) {
    auto* cmd = app.add_subcommand("train", "Train one configuration and write config.json, metrics.jsonl, summary.json and model.pt");
    auto opts = std::make_shared<ExperimentOptions>();
    auto out = std::make_shared<std::string>();
    auto resume = std::make_shared<std::string>();
    opts->addDatasetFlags(*cmd);
    opts->addTrainingFlags(*cmd);
    cmd->add_option("--out", *out, "Folder that receives the run's files (and checkpoint.pt every --checkpoint-every epochs)");
    cmd->add_option("--resume", *resume, "Continue the stopped or killed run in this folder from its checkpoint.pt")
        ->excludes("--out");
    return [=]() {
        // A resumed run takes its configuration from the folder it continues.
        const ExperimentConfig cfg =
            resume->empty() ? opts->resolve("fmnist-lt-quick") : loadConfigFile((std::filesystem::path(*resume) / "config.json").string());
        Trainer trainer(cfg);
        std::unique_ptr<RunDirectoryWriter> writer;
        const std::string dir = resume->empty() ? *out : *resume;
        if (!dir.empty()) writer = std::make_unique<RunDirectoryWriter>(dir);
        if (!resume->empty()) {
            const auto summaryPath = std::filesystem::path(*resume) / "summary.json";
            std::ifstream previous(summaryPath);
            std::string text((std::istreambuf_iterator<char>(previous)), std::istreambuf_iterator<char>());
            if (text.find("\"status\": \"finished\"") != std::string::npos)
                throw DataError(summaryPath.string(), "the run already finished; nothing to resume");
            const auto [epochs, step] = trainer.resumeFrom(writer->checkpointPath());
            writer->resumeAt(step);
            spdlog::info("{}: continuing after epoch {} (step {})", dir, epochs, step);
        }
        if (writer) trainer.setCheckpointPath(writer->checkpointPath());
        RunControl control;
        activeControl = &control;
        std::signal(SIGINT, onInterrupt);
        std::signal(SIGTERM, onInterrupt);
        const RunInfo& info = trainer.prepare(&control);
        spdlog::info("{} on {} ({} pipeline, {}{}): {} training / {} test examples, {} parameters, method {}",
                     cfg.train.model, info.device, info.pipeline, cfg.train.precision,
                     cfg.train.channelsLast ? ", channels-last" : "", info.trainSize, info.testSize, info.parameterCount,
                     methodIdOf(cfg));
        if (writer && resume->empty()) writer->writeConfig(cfg, info);

        CliRunObserver fanout(cfg.train.model, cfg.train.epochs, writer.get());
        const RunSummary summary = trainer.run(fanout, control);
        activeControl = nullptr;
        fanout.progress.finish(summary);
        if (writer) {
            writer->finish(summary, trainer.trainedModel());
            spdlog::info("wrote {}/config.json, metrics.jsonl, summary.json, model.pt", writer->dir());
        }
        if (summary.hasFinalReport) {
            const auto& r = summary.finalReport;
            std::printf("balanced error %.2f%%  (frequent %.2f%%, minority %.2f%%, post-hoc LA %.2f%%)  "
                        "%.1f s, %.0f img/s on %s\n",
                        100 * r.balancedError, 100 * r.frequentError, 100 * r.minorityError,
                        100 * r.balancedErrorPostHocLA, summary.wallSeconds, summary.imgPerSec, summary.device.c_str());
        }
        if (summary.status == RunStatus::Failed) return 4;
        if (summary.status == RunStatus::Cancelled) return 130;
        return 0;
    };
}

} // namespace imblab
