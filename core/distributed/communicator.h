// This process's membership of a data-parallel group on PyTorch's c10d: a TCPStore rendezvous
// (served by torchrun's agent, or by rank 0 under srun) and a ProcessGroupGloo for the
// collectives. There is no C++ DistributedDataParallel; the step pipeline calls these directly.
// A collective that fails (a rank died, or stopped answering within the timeout) throws
// GroupError naming the ranks that did not check in afterwards. c10d stays out of this header.
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

class Communicator {
public:
    // Joins the group; GroupError when the store or a peer cannot be reached within `timeout`
    // (also the limit on every later collective).
    Communicator(const LaunchEnv& env, std::chrono::seconds timeout);
    ~Communicator();
    Communicator(const Communicator&) = delete;
    Communicator& operator=(const Communicator&) = delete;

    int rank() const;
    int worldSize() const;
    const LaunchEnv& env() const;
    std::string backend() const;  // "gloo"

    // In place, over all ranks (float or integer tensors; CPU or CUDA).
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
