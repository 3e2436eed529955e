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

void addGroupFlags(CLI::App& cmd, int& seconds) {
    cmd.add_option("--dist-timeout", seconds,
                   "Under torchrun or srun: seconds a rank waits for the others (joining, and every collective) "
                   "before it stops and names the ranks that did not answer")
        ->capture_default_str()
        ->check(CLI::Range(1, 86400));
}

std::shared_ptr<Communicator> joinLaunchedGroup(int timeoutSeconds) {
    const auto env = launchEnvFromProcess();
    if (!env) return nullptr;
    takeStopSignalsOnOneThread();
    auto group = std::make_shared<Communicator>(*env, std::chrono::seconds(timeoutSeconds));
    if (env->rank == 0)
        spdlog::info("data-parallel: {} ranks ({}, gloo) meeting at {}:{}{}", env->worldSize, env->launcher,
                     env->masterAddr, env->masterPort,
                     env->restartCount > 0 ? ", restart " + std::to_string(env->restartCount) : std::string());
    else if (spdlog::get_level() < spdlog::level::warn)
        spdlog::set_level(spdlog::level::warn);  // rank 0 speaks for the group
    return group;
}

} // namespace imblab
