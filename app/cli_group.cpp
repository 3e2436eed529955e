// Joining a launched group; see cli_group.h.
#include "cli_group.h"

#include "distributed/communicator.h"
#include "distributed/launch_env.h"

#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdlib>
#include <pthread.h>
#include <thread>

namespace imblab {

namespace {
std::atomic<std::atomic<bool>*> stopFlag{nullptr};

// Blocks SIGINT/SIGTERM in this thread — and so in every thread started after, Gloo's included —
// and waits for them on one thread of its own.
void takeStopSignalsOnOneThread() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::thread([set] {
        for (;;) {
            int sig = 0;
            if (sigwait(&set, &sig) != 0) continue;
            if (std::atomic<bool>* flag = stopFlag.load()) *flag = true;
            else std::_Exit(130);
        }
    }).detach();
}
} // namespace

void setGroupStopFlag(std::atomic<bool>* flag) { stopFlag = flag; }

void addGroupFlags(CLI::App& cmd, GroupFlags& flags) {
    cmd.add_option("--dist-timeout", flags.timeoutSeconds,
                   "Under torchrun or srun: seconds a rank waits for the others (joining, and every collective) "
                   "before it stops and names the ranks that did not answer")
        ->capture_default_str()
        ->check(CLI::Range(1, 86400));
    std::string built;
    for (const auto& b : compiledGroupBackends()) built += (built.empty() ? "" : ", ") + b;
    cmd.add_option("--dist-backend", flags.backend,
                   "Under torchrun or srun: the collectives' backend. auto: NCCL for a CUDA run, Gloo otherwise; "
                   "naming one also makes a launched world of one a group (to measure the collectives' cost). "
                   "This build has: " + built)
        ->capture_default_str()
        ->check(CLI::IsMember({"auto", "gloo", "nccl"}));
}

std::shared_ptr<Communicator> joinLaunchedGroup(const GroupFlags& flags) {
    const GroupBackend backend = groupBackendFromName(flags.backend, "--dist-backend");
    const auto env = launchEnvFromProcess(backend != GroupBackend::Auto);
    if (!env) return nullptr;
    takeStopSignalsOnOneThread();
    auto group = std::make_shared<Communicator>(*env, std::chrono::seconds(flags.timeoutSeconds), backend);
    if (env->rank == 0)
        spdlog::info("data-parallel: {} rank{} ({}) meeting at {}:{}{}", env->worldSize, env->worldSize > 1 ? "s" : "",
                     env->launcher, env->masterAddr, env->masterPort,
                     env->restartCount > 0 ? ", restart " + std::to_string(env->restartCount) : std::string());
    else if (spdlog::get_level() < spdlog::level::warn)
        spdlog::set_level(spdlog::level::warn);  // rank 0 speaks for the group
    return group;
}

} // namespace imblab
