// Where this process stands in a data-parallel group, as its launcher says: torchrun (RANK,
// WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT) or Slurm's srun
// (SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID, SLURM_NTASKS_PER_NODE; MASTER_ADDR/PORT from the job
// script). No Qt, no torch: plain parsing, so it is tested on its own.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace imblab {

struct LaunchEnv {
    int rank = 0, worldSize = 1;
    int localRank = 0, localWorldSize = 1;
    std::string masterAddr = "127.0.0.1";
    int masterPort = 29500;
    // torchrun's agent already serves the TCPStore on MASTER_PORT
    // (TORCHELASTIC_USE_AGENT_STORE=True): rank 0 then connects as a client like the others.
    bool agentStore = false;
    int restartCount = 0;    // TORCHELASTIC_RESTART_COUNT: > 0 after torchrun restarted the group
    std::string launcher;    // "torchrun" or "srun"
};

using EnvLookup = std::function<const char*(const char*)>;

// The group this process belongs to, or nothing when it was started alone (no launcher variables,
// or a world of one unless `keepGroupOfOne`: a group of one costs collectives that change nothing,
// which only a measurement of that cost wants). DataError naming the variable when one is present
// but malformed or inconsistent (e.g. RANK ≥ WORLD_SIZE).
std::optional<LaunchEnv> launchEnvFrom(const EnvLookup& lookup, bool keepGroupOfOne = false);
std::optional<LaunchEnv> launchEnvFromProcess(bool keepGroupOfOne = false);

// The GPU a rank trains on, of the node's `gpus` (> 0): cuda:LOCAL_RANK, or LOCAL_RANK mod gpus
// when the node runs more ranks than it has GPUs (a data-parallel run tried on a one-GPU machine).
// Gloo shares a GPU between ranks; NCCL refuses ("Duplicate GPU detected", NCCL 2.28 on an H200),
// so with `backend` "nccl" sharing is a ConfigError naming --dist-backend, raised on every rank of
// the node alike.
int gpuForRank(const LaunchEnv& env, int gpus, const std::string& backend);

} // namespace imblab
