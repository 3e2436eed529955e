// This process's membership of a data-parallel group on PyTorch's c10d: a TCPStore rendezvous
// (served by torchrun's agent, or by rank 0 under srun) and a process group for the collectives:
// ProcessGroupNCCL for a CUDA run where the build has it, else ProcessGroupGloo (CPU tensors, and
// CUDA tensors through the host). There is no C++ DistributedDataParallel; the step pipeline calls
// these directly. A collective that fails (a rank died, or stopped answering within the timeout)
// throws GroupError naming the ranks that did not check in afterwards. c10d stays out of this
// header.
#pragma once

#include "distributed/launch_env.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace at {
class Tensor;
}

namespace imblab {

// The backend a group asks for: auto takes NCCL for a CUDA run where this build has it, else Gloo.
enum class GroupBackend { Auto, Gloo, Nccl };
// "auto", "gloo", "nccl"; ConfigError naming `field` for anything else.
GroupBackend groupBackendFromName(const std::string& name, const std::string& field);
// The backends compiled into this build, e.g. {"gloo"} or {"gloo", "nccl"}.
std::vector<std::string> compiledGroupBackends();

class Communicator {
public:
    // Meets the others at the store; GroupError when it cannot be reached within `timeout` (also
    // the limit on every later collective); ConfigError naming --dist-backend when `backend` is
    // not in this build. The process group itself forms at the first collective, once the run
    // has said where its tensors live (useCudaDevice).
    Communicator(const LaunchEnv& env, std::chrono::seconds timeout, GroupBackend backend = GroupBackend::Auto);
    ~Communicator();
    Communicator(const Communicator&) = delete;
    Communicator& operator=(const Communicator&) = delete;

    int rank() const;
    int worldSize() const;
    const LaunchEnv& env() const;
    // A CUDA run's device (cuda:index): NCCL carries its collectives (auto or nccl asked). Before
    // the first collective.
    void useCudaDevice(int index);
    // "gloo" or "nccl" once the group has formed; what it will be before.
    std::string backend() const;
    // What the collectives of a CUDA run will go over ("nccl" unless gloo was asked for or NCCL
    // is not in this build): known before the run picks its GPU.
    std::string backendOnGpu() const;

    // In place, over all ranks (float or integer tensors; CPU or CUDA: NCCL stages CPU tensors
    // on the run's GPU and back).
    void allreduceSum(at::Tensor& t);
    void broadcast(at::Tensor& t, int root);
    // Every rank's rows (leading dimension may differ by one or more between ranks; the other
    // dimensions must agree), concatenated in rank order.
    at::Tensor allgatherRows(const at::Tensor& t);
    // Every rank's text, in rank order.
    std::vector<std::string> allgatherText(const std::string& text);
    // True on every rank when `v` is true on any: a stop that all ranks take at the same step.
    bool anyTrue(bool v);
    void barrier();

    // The rendezvous store, shared by the group: an atomic counter and plain keys.
    int64_t storeAdd(const std::string& key, int64_t delta);

private:
    std::vector<at::Tensor> allgatherParts(const at::Tensor& t);

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace imblab
