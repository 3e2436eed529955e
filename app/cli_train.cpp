// `imblab-cli train`: one experiment, with its files written to --out.
#include "cli_commands.h"
#include "cli_experiment_options.h"
#include "cli_group.h"
#include "cli_progress.h"
#include "errors.h"
#include "io/config_json.h"
#include "io/run_directory.h"
#include "api/engine.h"
#include "api/methods.h"
#include "data/dataset_manifest.h"
#include "api/planned_epochs.h"
#include "distributed/communicator.h"
#include "training/second_stage.h"
#include "training/trainer.h"
#include "io/atomic_file.h"
#include "io/metrics_json.h"
#include "io/model_export.h"

#include <nlohmann/json.hpp>

#include <spdlog/spdlog.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <cstdio>
#include <memory>
#include <optional>

namespace imblab {

namespace {
RunControl* activeControl = nullptr;
struct SmoothingFlags {
    std::optional<double> head, tail;  // --smooth-head / --smooth-tail (mislas)
};
int runSecondStageCommand(const ExperimentOptions& opts, const std::string& from, const std::string& kind, const std::string& out,
                          const SmoothingFlags& smoothing);
void onInterrupt(int) {
    if (activeControl) activeControl->cancel = true;  // the run stops at the next step, files intact
}
} // namespace

namespace {

// `train --from RUN --stage2 KIND --out DIR`: a decoupled second stage (training/second_stage.h).
int runSecondStageCommand(const ExperimentOptions& opts, const std::string& from, const std::string& kind, const std::string& out,
                          const SmoothingFlags& smoothing) {
    if (from.empty()) throw ConfigError("--from", "--stage2 needs the finished run it continues (--from RUN_DIR)");
    if (kind.empty()) throw ConfigError("--stage2", "--from needs a second stage: crt, lws, tau-norm, mislas or wb");
    if (out.empty()) throw ConfigError("--out", "a second stage needs a folder of its own (--out DIR)");
    if (opts.dataset || opts.data || opts.profile || opts.rho || opts.mu || opts.dataSeed)
        throw ConfigError("--dataset", "a second stage trains on its run's own data; drop the dataset flags");
    if (std::filesystem::exists(std::filesystem::path(out) / "summary.json") &&
        std::filesystem::equivalent(std::filesystem::path(out), std::filesystem::path(from)))
        throw ConfigError("--out", "must differ from --from: the first stage's files stay as they are");
    SecondStageConfig sc;
    sc.kind = kind;
    if (opts.epochs) sc.epochs = *opts.epochs;
    if (opts.lr) sc.lr = *opts.lr;
    if (opts.batchSize) sc.batchSize = *opts.batchSize;
    if (opts.tau) sc.tau = *opts.tau;
    if (opts.seed) sc.seed = *opts.seed;
    if (opts.weightDecay) sc.weightDecay = *opts.weightDecay;
    if (smoothing.head) sc.smoothHead = *smoothing.head;
    if (smoothing.tail) sc.smoothTail = *smoothing.tail;
    if ((smoothing.head || smoothing.tail) && kind != "mislas")
        throw ConfigError(smoothing.head ? "--smooth-head" : "--smooth-tail", "label-aware smoothing belongs to --stage2 mislas");
    validateSecondStage(sc);
    const std::string summaryPath = (std::filesystem::path(from) / "summary.json").string();
    if (readSummaryJson(summaryPath).status != "finished")
        throw DataError(summaryPath, "the run did not finish: a second stage starts from a finished run's model");
    const TrainedModel first = loadRunModel(from);
    SecondStage stage(first, from, sc);
    RunDirectoryWriter writer(out);
    writer.writeConfig(first.config, stage.info());
    {
        nlohmann::ordered_json j;
        j["stage2"] = kind;
        j["from"] = std::filesystem::absolute(from).string();
        j["epochs"] = kind == "tau-norm" ? 0 : sc.epochs;
        j["lr"] = secondStageLr(sc);
        j["batch_size"] = sc.batchSize;
        j["weight_decay"] = secondStageWeightDecay(sc);
        if (kind == "tau-norm") j["tau"] = sc.tau;
        if (kind == "mislas") {  // as the stage resolved them (the paper's values for this data)
            j["smooth_head"] = stage.config().smoothHead;
            j["smooth_tail"] = stage.config().smoothTail;
            j["head_lr_factor"] = stage.headLrFactor();
        }
        j["seed"] = sc.seed;
        j["note"] = kind == "mislas" ? "Zhong et al. 2021: BatchNorm statistics re-estimated on class-balanced batches, then the "
                                       "classifier (lr x head_lr_factor) and per-class scales with label-aware smoothing (concave), "
                                       "class-balanced sampling, SGD momentum 0.9, cosine LR"
                    : kind == "wb" ? "Alshammari et al. 2022: the classifier with the class-balanced softmax BCE (beta 0.9999), "
                                     "instance sampling, MaxNorm (threshold 0.1 of the first stage's norm range) each epoch, "
                                     "SGD momentum 0.9, cosine LR"
                                   : "Kang et al. 2020 on the first stage's frozen features (eval mode, no augmentation); "
                                     "class-balanced sampling, SGD momentum 0.9, cosine LR";
        writeTextAtomically((std::filesystem::path(out) / "stage2.json").string(), j.dump(2) + "\n");
    }
    RunControl control;
    activeControl = &control;
    std::signal(SIGINT, onInterrupt);
    // The same progress line as a first stage; its epochs continue the first stage's numbering
    // (τ-norm has none: its one evaluation counts as one).
    CliRunObserver fanout(kind, plannedEpochs(first.config.train) + (kind == "tau-norm" ? 1 : sc.epochs), &writer);
    const RunSummary summary = stage.run(fanout, control);
    activeControl = nullptr;
    fanout.progress.finish(summary);
    writer.finish(summary, stage.trainedModel());
    spdlog::info("wrote {}/config.json, stage2.json, metrics.jsonl, summary.json, model.pt", out);
    if (summary.hasFinalReport) {
        const auto& r = summary.finalReport;
        std::printf("%s on %s: balanced error %.2f%%  (frequent %.2f%%, minority %.2f%%)  %.1f s\n", kind.c_str(),
                    from.c_str(), 100 * r.balancedError, 100 * r.frequentError, 100 * r.minorityError, summary.wallSeconds);
    }
    return summary.status == RunStatus::Cancelled ? 130 : 0;
}

} // namespace

CommandRunner addTrainCommand(CLI::App& app) {
    auto* cmd = app.add_subcommand("train", "Train one configuration and write config.json, metrics.jsonl, summary.json and model.pt");
    auto opts = std::make_shared<ExperimentOptions>();
    auto out = std::make_shared<std::string>();
    auto resume = std::make_shared<std::string>();
    auto groupFlags = std::make_shared<GroupFlags>();
    opts->addDatasetFlags(*cmd);
    opts->addTrainingFlags(*cmd);
    cmd->add_option("--out", *out, "Folder that receives the run's files (and checkpoint.pt every --checkpoint-every epochs)");
    cmd->add_option("--resume", *resume, "Continue the stopped or killed run in this folder from its checkpoint.pt")
        ->excludes("--out");
    auto from = std::make_shared<std::string>();
    auto stage2 = std::make_shared<std::string>();
    cmd->add_option("--from", *from, "A finished run's folder: train a decoupled second stage on its model (with --stage2)")
        ->excludes("--resume");
    cmd->add_option("--stage2", *stage2, "crt (re-train the classifier), lws (learn a scale per class), tau-norm "
                                         "(rows / norm^tau, no training), mislas (label-aware smoothing) or wb (weight "
                                         "balancing's), on --from's frozen features");
    auto smoothing = std::make_shared<SmoothingFlags>();
    cmd->add_option("--smooth-head", smoothing->head, "--stage2 mislas: label smoothing of the largest class (default: "
                                    "their official value for the nearest CIFAR-LT setting, e.g. 0.3 at 10 classes, rho 100)");
    cmd->add_option("--smooth-tail", smoothing->tail, "--stage2 mislas: label smoothing of the smallest class (default: "
                                    "their official value, 0 but for 100 classes at rho 100)");
    addGroupFlags(*cmd, *groupFlags);
    return [=]() {
        if (!from->empty() || !stage2->empty()) return runSecondStageCommand(*opts, *from, *stage2, *out, *smoothing);
        // Under torchrun/srun this process is one rank of a data-parallel run; rank 0 ("lead")
        // alone writes the folder and reports.
        const auto group = joinLaunchedGroup(*groupFlags);
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
        // Own data are read here, so a terminal sees the decoding progress (the leader's only).
        std::shared_ptr<const Dataset> data;
        validateConfig(cfg);  // a bad setting is reported before any image is decoded
        if (isOwnDataId(cfg.dataset.id))
            data = std::make_shared<const Dataset>(loadDataset(cfg.dataset, lead ? decodeProgressOnTerminal() : LoadProgress{}));
        Trainer trainer(cfg, data);
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
                     cfg.train.model, info.device, info.pipeline, info.precision,
                     info.channelsLast ? ", channels-last" : "", info.trainSize, info.testSize, info.parameterCount,
                     methodIdOf(cfg));
        if (writer && resumeDir.empty()) writer->writeConfig(cfg, info);

        CliRunObserver fanout(cfg.train.model, plannedEpochs(cfg.train), writer.get(), cfg.train.model);
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
            char top5[40] = "";
            if (MetricsReport::showsTop5(int(info.classNames.size())))
                std::snprintf(top5, sizeof top5, ", top-5 %.2f%%", 100 * r.top5Error);
            std::printf("balanced error %.2f%%%s  (frequent %.2f%%, minority %.2f%%, post-hoc LA %.2f%%)  "
                        "%.1f s, %.0f %s on %s\n",
                        100 * r.balancedError, top5, 100 * r.frequentError, 100 * r.minorityError, 100 * r.balancedErrorPostHocLA,
                        summary.wallSeconds, summary.imgPerSec, throughputUnit(cfg.train.model), summary.device.c_str());
        }
        if (summary.status == RunStatus::Failed) return 4;
        if (summary.status == RunStatus::Cancelled) return 130;
        return 0;
    };
}

} // namespace imblab
