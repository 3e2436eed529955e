// `imblab-cli train`: one experiment, with its files written to --out.
#include "cli_commands.h"
#include "cli_experiment_options.h"
#include "cli_group.h"
#include "cli_progress.h"
#include "errors.h"
#include "io/config_json.h"
#include "io/run_directory.h"
#include "api/methods.h"
#include "distributed/communicator.h"
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
    auto distTimeout = std::make_shared<int>(120);
    opts->addDatasetFlags(*cmd);
    opts->addTrainingFlags(*cmd);
    cmd->add_option("--out", *out, "Folder that receives the run's files (and checkpoint.pt every --checkpoint-every epochs)");
    cmd->add_option("--resume", *resume, "Continue the stopped or killed run in this folder from its checkpoint.pt")
        ->excludes("--out");
    addGroupFlags(*cmd, *distTimeout);
    return [=]() {
        // Under torchrun/srun this process is one rank of a data-parallel run; rank 0 ("lead")
        // alone writes the folder and reports.
        const auto group = joinLaunchedGroup(*distTimeout);
        const bool lead = !group || group->rank() == 0;
        // After torchrun restarted the group (--max_restarts), every rank continues from the
        // folder's last checkpoint, as --resume would.
        std::string resumeDir = *resume;
        if (group && group->env().restartCount > 0 && resumeDir.empty() && !out->empty() &&
            std::filesystem::exists(std::filesystem::path(*out) / "checkpoint.pt")) {
            resumeDir = *out;
            if (lead) spdlog::info("torchrun restarted the group: continuing {} from its checkpoint", resumeDir);
        }
        // A resumed run takes its configuration from the folder it continues.
        const ExperimentConfig cfg =
            resumeDir.empty() ? opts->resolve("fmnist-lt-quick") : loadConfigFile((std::filesystem::path(resumeDir) / "config.json").string());
        Trainer trainer(cfg);
        if (group) trainer.joinGroup(group);
        std::unique_ptr<RunDirectoryWriter> writer;
        const std::string dir = resumeDir.empty() ? *out : resumeDir;
        if (!dir.empty() && lead) writer = std::make_unique<RunDirectoryWriter>(dir);
        if (!resumeDir.empty()) {
            const auto summaryPath = std::filesystem::path(resumeDir) / "summary.json";
            std::ifstream previous(summaryPath);
            std::string text((std::istreambuf_iterator<char>(previous)), std::istreambuf_iterator<char>());
            if (text.find("\"status\": \"finished\"") != std::string::npos)
                throw DataError(summaryPath.string(), "the run already finished; nothing to resume");
            const auto [epochs, step] = trainer.resumeFrom((std::filesystem::path(dir) / "checkpoint.pt").string());
            if (writer) writer->resumeAt(step);
            spdlog::info("{}: continuing after epoch {} (step {})", dir, epochs, step);
        }
        if (writer) trainer.setCheckpointPath(writer->checkpointPath());
        RunControl control;
        activeControl = &control;
        std::signal(SIGINT, onInterrupt);
        std::signal(SIGTERM, onInterrupt);
        setGroupStopFlag(&control.cancel);  // in a group the signals arrive on a thread of their own
        const RunInfo& info = trainer.prepare(&control);
        spdlog::info("{} on {} ({} pipeline, {}{}): {} training / {} test examples, {} parameters, method {}",
                     cfg.train.model, info.device, info.pipeline, cfg.train.precision,
                     cfg.train.channelsLast ? ", channels-last" : "", info.trainSize, info.testSize, info.parameterCount,
                     methodIdOf(cfg));
        if (writer && resumeDir.empty()) writer->writeConfig(cfg, info);

        CliRunObserver fanout(cfg.train.model, cfg.train.epochs, writer.get());
        struct : TrainingObserver {
            void onReport(const MetricsReport&) override {}
        } silent;  // ranks other than 0
        const RunSummary summary = trainer.run(lead ? static_cast<TrainingObserver&>(fanout) : silent, control);
        activeControl = nullptr;
        setGroupStopFlag(nullptr);
        if (!lead) return summary.status == RunStatus::Failed ? 4 : summary.status == RunStatus::Cancelled ? 130 : 0;
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
