// Launcher variables → LaunchEnv; see launch_env.h.
#include "distributed/launch_env.h"

#include "errors.h"

#include <algorithm>
#include <cstdlib>
#include <string>

namespace imblab {

namespace {

// A non-negative integer variable, or `fallback` when it is absent.
int intVar(const EnvLookup& lookup, const char* name, int fallback) {
    const char* v = lookup(name);
    if (!v || !*v) return fallback;
    char* end = nullptr;
    const long n = std::strtol(v, &end, 10);
    if (*end != '\0' || n < 0 || n > 1'000'000)
        throw DataError(std::string("environment variable ") + name, std::string("'") + v + "' is not a non-negative integer");
    return int(n);
}

// Slurm writes tasks per node as "2" or "2(x3)" or "2,1": the first figure is this node's when
// the layout is uniform, and a non-uniform layout needs SLURM_NTASKS_PER_NODE unset anyway.
int slurmTasksPerNode(const EnvLookup& lookup, int fallback) {
    const char* v = lookup("SLURM_NTASKS_PER_NODE");
    if (!v || !*v) return fallback;
    return std::max(1, std::atoi(v));
}

} // namespace

std::optional<LaunchEnv> launchEnvFrom(const EnvLookup& lookup, bool keepGroupOfOne) {
    LaunchEnv e;
    if (lookup("WORLD_SIZE") || lookup("RANK")) {
        e.launcher = "torchrun";
        e.worldSize = intVar(lookup, "WORLD_SIZE", 1);
        e.rank = intVar(lookup, "RANK", 0);
        e.localRank = intVar(lookup, "LOCAL_RANK", e.rank);
        e.localWorldSize = intVar(lookup, "LOCAL_WORLD_SIZE", e.worldSize);
    } else if (lookup("SLURM_PROCID") && lookup("SLURM_NTASKS")) {
        e.launcher = "srun";
        e.worldSize = intVar(lookup, "SLURM_NTASKS", 1);
        e.rank = intVar(lookup, "SLURM_PROCID", 0);
        e.localRank = intVar(lookup, "SLURM_LOCALID", 0);
        e.localWorldSize = slurmTasksPerNode(lookup, e.worldSize);
    } else {
        return std::nullopt;
    }
    if (e.worldSize < 1) throw DataError("environment variable WORLD_SIZE", "must be at least 1");
    if (e.rank >= e.worldSize)
        throw DataError("environment variable RANK", "rank " + std::to_string(e.rank) + " is outside a world of " +
                                                         std::to_string(e.worldSize));
    if (e.worldSize == 1 && !keepGroupOfOne) return std::nullopt;  // a group of one is a plain run
    if (const char* a = lookup("MASTER_ADDR"); a && *a) e.masterAddr = a;
    else if (e.launcher == "srun")
        throw DataError("environment variable MASTER_ADDR",
                        "is not set: export the first node's address in the job script (see the README)");
    e.masterPort = intVar(lookup, "MASTER_PORT", 29500);
    if (e.masterPort < 1 || e.masterPort > 65535)
        throw DataError("environment variable MASTER_PORT", std::to_string(e.masterPort) + " is not a port");
    const char* agent = lookup("TORCHELASTIC_USE_AGENT_STORE");
    e.agentStore = agent && std::string(agent) == "True";
    e.restartCount = intVar(lookup, "TORCHELASTIC_RESTART_COUNT", 0);
    return e;
}

int gpuForRank(const LaunchEnv& env, int gpus, const std::string& backend) {
    if (gpus <= 0) throw ConfigError("train.device", "a GPU rank needs a GPU, and this node has none");
    if (env.localWorldSize > gpus && backend == "nccl")
        throw ConfigError("--dist-backend", std::to_string(env.localWorldSize) + " ranks on this node share its " +
                                                std::to_string(gpus) + " GPU(s), and NCCL refuses two ranks on one GPU "
                                                "(\"Duplicate GPU detected\"): start one process per GPU "
                                                "(--nproc_per_node " + std::to_string(gpus) +
                                                "), or share them over --dist-backend gloo");
    return env.localRank % gpus;
}

std::optional<LaunchEnv> launchEnvFromProcess(bool keepGroupOfOne) {
    return launchEnvFrom([](const char* name) { return std::getenv(name); }, keepGroupOfOne);
}

} // namespace imblab
