// Joining a launched group; see cli_group.h.
#include "cli_group.h"

#include "distributed/communicator.h"
#include "distributed/launch_env.h"

#include <spdlog/spdlog.h>

namespace imblab {

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
