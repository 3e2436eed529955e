// The c10d group; see communicator.h. The one translation unit that sees c10d, Gloo and NCCL.
// IMBLAB_WITH_GLOO / IMBLAB_WITH_NCCL come from core/CMakeLists.txt (which headers were found).
#if !defined(IMBLAB_WITH_GLOO) || !defined(IMBLAB_WITH_NCCL)
#error "core/CMakeLists.txt defines IMBLAB_WITH_GLOO and IMBLAB_WITH_NCCL for this file"
#endif
#if IMBLAB_WITH_GLOO
#define USE_C10D_GLOO 1
#endif
#if IMBLAB_WITH_NCCL
#define USE_C10D_NCCL 1
#endif
#include "distributed/communicator.h"

#include "errors.h"

#include <spdlog/spdlog.h>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/csrc/distributed/c10d/Types.hpp>
#if IMBLAB_WITH_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#if IMBLAB_WITH_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#include <torch/torch.h>

#include <thread>

namespace imblab {

namespace {
// How long the survivors of a failed collective wait for each other to check in before they
// name the ranks that did not. Short: torchrun stops the survivors soon after one worker dies.
constexpr auto kCheckInWait = std::chrono::milliseconds(1500);
} // namespace

GroupBackend groupBackendFromName(const std::string& name, const std::string& field) {
    if (name == "auto") return GroupBackend::Auto;
    if (name == "gloo") return GroupBackend::Gloo;
    if (name == "nccl") return GroupBackend::Nccl;
    throw ConfigError(field, "'" + name + "' is not a backend (auto, gloo or nccl)");
}

std::vector<std::string> compiledGroupBackends() {
    std::vector<std::string> names;
    if (IMBLAB_WITH_GLOO) names.push_back("gloo");
    if (IMBLAB_WITH_NCCL) names.push_back("nccl");
    return names;
}

struct Communicator::Impl {
    LaunchEnv env;
    std::chrono::milliseconds timeout{};
    GroupBackend asked = GroupBackend::Auto;
    int cudaIndex = -1;  // the run's GPU; -1: a CPU run (or not said yet)
    c10::intrusive_ptr<c10d::Store> store;
#if IMBLAB_WITH_GLOO
    c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
#endif
#if IMBLAB_WITH_NCCL
    c10::intrusive_ptr<c10d::ProcessGroupNCCL> nccl;
    torch::Device ncclDevice{torch::kCUDA, 0};
#endif
    std::string formed;  // the backend's name once the group exists

    // NCCL when the run is on a GPU (or NCCL was asked for, or there is nothing else) and this
    // build has it; Gloo otherwise.
    bool choosesNccl(bool onGpu) const {
        if (!IMBLAB_WITH_NCCL || asked == GroupBackend::Gloo) return false;
        return onGpu || asked == GroupBackend::Nccl || !IMBLAB_WITH_GLOO;
    }
    bool choosesNccl() const { return choosesNccl(cudaIndex >= 0); }

    // Forms the process group: every rank reaches its first collective at the same point of the
    // run, so the group's own rendezvous (Gloo connects all pairs; NCCL shares its id through the
    // store) meets there.
    void form() {
        if (!formed.empty()) return;
        const std::string who = "rank " + std::to_string(env.rank);
        try {
            if (choosesNccl()) {
#if IMBLAB_WITH_NCCL
                const int index = cudaIndex >= 0 ? cudaIndex : env.localRank;
                if (!torch::cuda::is_available() || index >= int(torch::cuda::device_count()))
                    throw ConfigError("--dist-backend", "nccl needs a GPU per rank on its node (cuda:" +
                                                            std::to_string(index) + "); this machine has " +
                                                            std::to_string(torch::cuda::device_count()));
                ncclDevice = torch::Device(torch::kCUDA, c10::DeviceIndex(index));
                auto options = c10d::ProcessGroupNCCL::Options::create();
                options->timeout = timeout;
                nccl = c10::make_intrusive<c10d::ProcessGroupNCCL>(store, env.rank, env.worldSize, options);
                formed = "nccl";
                if (env.rank == 0) spdlog::info("data-parallel: collectives over nccl on {}", ncclDevice.str());
#endif
            } else {
#if IMBLAB_WITH_GLOO
                auto options = c10d::ProcessGroupGloo::Options::create(timeout);
                const char* iface = std::getenv("GLOO_SOCKET_IFNAME");
                options->devices.push_back(iface && *iface ? c10d::ProcessGroupGloo::createDeviceForInterface(iface)
                                                           : c10d::ProcessGroupGloo::createDefaultDevice());
                options->threads = 2;
                gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(store, env.rank, env.worldSize, options);
                formed = "gloo";
                if (env.rank == 0) spdlog::info("data-parallel: collectives over gloo");
#else
                // Only a build with neither backend comes here (with NCCL, choosesNccl() holds).
                throw ConfigError("--dist-backend", "this build has no backend for the group: gloo's headers were "
                                                    "missing when it was built, and its LibTorch has no NCCL");
#endif
            }
        } catch (const ConfigError&) {
            throw;
        } catch (const std::exception& e) {
            throw GroupError(who + " could not form the group of " + std::to_string(env.worldSize) + " at " +
                             env.masterAddr + ":" + std::to_string(env.masterPort) + " within " +
                             std::to_string(timeout.count() / 1000) + " s: " + e.what());
        }
    }

    // A tensor where the group's collectives take it: NCCL works on its GPU only.
    at::Tensor staged(const at::Tensor& t) const {
#if IMBLAB_WITH_NCCL
        if (nccl && t.device() != ncclDevice) return t.to(ncclDevice);
#endif
        return t;
    }

    // Runs one collective on whichever group formed; a failure becomes a GroupError that names the
    // lost ranks. `op` takes the group (either class: their collectives have one signature).
    template <typename F>
    void collective(const char* what, F&& op) {
        form();
        try {
#if IMBLAB_WITH_NCCL
            if (nccl) {
                op(nccl)->wait();
                return;
            }
#endif
#if IMBLAB_WITH_GLOO
            op(gloo)->wait();
#endif
        } catch (const std::exception& e) {
            throw GroupError(failureMessage(what, e.what()));
        }
    }

    std::string failureMessage(const char* what, const std::string& cause) {
        std::vector<int> lost;
        try {
            store->set("lost-check/" + std::to_string(env.rank), std::vector<uint8_t>{1});
            const auto until = std::chrono::steady_clock::now() + kCheckInWait;
            std::vector<bool> in(size_t(env.worldSize), false);
            in[size_t(env.rank)] = true;
            while (std::chrono::steady_clock::now() < until) {
                for (int r = 0; r < env.worldSize; ++r)
                    if (!in[size_t(r)]) in[size_t(r)] = store->check({"lost-check/" + std::to_string(r)});
                if (std::all_of(in.begin(), in.end(), [](bool b) { return b; })) break;
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
            for (int r = 0; r < env.worldSize; ++r)
                if (!in[size_t(r)]) lost.push_back(r);
        } catch (const std::exception&) {
            return "rank " + std::to_string(env.rank) + ": the " + what + " failed and the rendezvous store at " +
                   env.masterAddr + ":" + std::to_string(env.masterPort) + " is gone too (" + cause + ")";
        }
        std::string names;
        for (int r : lost) names += (names.empty() ? "" : ", ") + std::to_string(r);
        if (lost.empty())
            return "rank " + std::to_string(env.rank) + ": the " + what + " failed although every rank still answers (" +
                   cause + ")";
        return "rank " + std::to_string(env.rank) + " lost rank" + (lost.size() > 1 ? "s " : " ") + names +
               " (its process ended or stopped answering within the timeout) during the " + what + ": " + cause;
    }
};

Communicator::Communicator(const LaunchEnv& env, std::chrono::seconds timeout, GroupBackend backend)
    : impl_(std::make_unique<Impl>()) {
    Impl& d = *impl_;
    d.env = env;
    d.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(timeout);
    d.asked = backend;
    if (backend == GroupBackend::Nccl && !IMBLAB_WITH_NCCL)
        throw ConfigError("--dist-backend", "nccl is not in this build (its LibTorch has no CUDA, or nccl.h was not "
                                            "found when it was built); use gloo");
    if (backend == GroupBackend::Gloo && !IMBLAB_WITH_GLOO)
        throw ConfigError("--dist-backend", "gloo is not in this build (gloo's headers were missing when it was "
                                            "built); use nccl");
    try {
        c10d::TCPStoreOptions o;
        o.port = uint16_t(env.masterPort);
        // Under torchrun the agent serves the store already; binding the port again would fail.
        o.isServer = env.rank == 0 && !env.agentStore;
        o.numWorkers = env.worldSize;
        o.waitWorkers = false;
        o.timeout = d.timeout;
        auto tcp = c10::make_intrusive<c10d::TCPStore>(env.masterAddr, o);
        // A restarted group meets under a fresh prefix: the old generation's keys stay behind.
        d.store = c10::make_intrusive<c10d::PrefixStore>("imblab/" + std::to_string(env.restartCount), tcp);
    } catch (const std::exception& e) {
        throw GroupError("rank " + std::to_string(env.rank) + " could not join the group of " +
                         std::to_string(env.worldSize) + " at " + env.masterAddr + ":" + std::to_string(env.masterPort) +
                         " within " + std::to_string(timeout.count()) + " s: " + e.what());
    }
    spdlog::debug("rank {} of {} met the others at {}:{}", env.rank, env.worldSize, env.masterAddr, env.masterPort);
}

Communicator::~Communicator() = default;

int Communicator::rank() const { return impl_->env.rank; }
int Communicator::worldSize() const { return impl_->env.worldSize; }
const LaunchEnv& Communicator::env() const { return impl_->env; }

void Communicator::useCudaDevice(int index) {
    if (!impl_->formed.empty() && impl_->cudaIndex != index)
        throw GroupError("the data-parallel group formed before the run chose cuda:" + std::to_string(index));
    impl_->cudaIndex = index;
}

std::string Communicator::backendOnGpu() const {
    return impl_->choosesNccl(true) ? "nccl" : "gloo";
}

std::string Communicator::backend() const {
    if (!impl_->formed.empty()) return impl_->formed;
    return impl_->choosesNccl() ? "nccl" : "gloo";
}

void Communicator::allreduceSum(at::Tensor& t) {
    impl_->form();
    std::vector<at::Tensor> ts{impl_->staged(t)};
    impl_->collective("allreduce", [&](auto& g) { return g->allreduce(ts); });
    if (!ts[0].is_same(t)) t.copy_(ts[0]);
}

void Communicator::broadcast(at::Tensor& t, int root) {
    impl_->form();
    std::vector<at::Tensor> ts{impl_->staged(t)};
    c10d::BroadcastOptions o;
    o.rootRank = root;
    impl_->collective("broadcast", [&](auto& g) { return g->broadcast(ts, o); });
    if (!ts[0].is_same(t)) t.copy_(ts[0]);
}

// Gloo gathers equal shapes only (NCCL too): every rank's leading size, then each part padded to
// the largest and gathered; the parts come back trimmed, in rank order, where `t` lives.
std::vector<at::Tensor> Communicator::allgatherParts(const at::Tensor& t) {
    Impl& d = *impl_;
    d.form();
    const int n = worldSize();
    std::vector<std::vector<at::Tensor>> counts(1);
    for (int r = 0; r < n; ++r) counts[0].push_back(d.staged(torch::zeros({1}, torch::kInt64)));
    std::vector<at::Tensor> in{d.staged(torch::tensor({t.size(0)}, torch::kInt64))};
    d.collective("allgather", [&](auto& g) { return g->allgather(counts, in); });
    std::vector<int64_t> rows;
    for (const auto& c : counts[0]) rows.push_back(c.item<int64_t>());
    const int64_t most = std::max<int64_t>(1, *std::max_element(rows.begin(), rows.end()));
    auto sizes = t.sizes().vec();
    sizes[0] = most;
    auto padded = torch::zeros(sizes, t.options());
    padded.slice(0, 0, t.size(0)).copy_(t);
    std::vector<std::vector<at::Tensor>> out(1);
    std::vector<at::Tensor> mine{d.staged(padded)};
    for (int r = 0; r < n; ++r) out[0].push_back(torch::empty(sizes, mine[0].options()));
    d.collective("allgather", [&](auto& g) { return g->allgather(out, mine); });
    std::vector<at::Tensor> parts;
    for (int r = 0; r < n; ++r) parts.push_back(out[0][size_t(r)].slice(0, 0, rows[size_t(r)]).to(t.device()));
    return parts;
}

at::Tensor Communicator::allgatherRows(const at::Tensor& t) { return torch::cat(allgatherParts(t)); }

std::vector<std::string> Communicator::allgatherText(const std::string& text) {
    auto bytes = torch::from_blob(const_cast<char*>(text.data()), {int64_t(text.size())}, torch::kUInt8).clone();
    std::vector<std::string> texts;
    for (const auto& part : allgatherParts(bytes)) {
        const auto c = part.contiguous();
        texts.push_back(c.numel() ? std::string(reinterpret_cast<const char*>(c.data_ptr<uint8_t>()), size_t(c.numel()))
                                  : std::string());
    }
    return texts;
}

bool Communicator::anyTrue(bool v) {
    auto flag = torch::tensor({v ? 1.0f : 0.0f});
    allreduceSum(flag);
    return flag.item<float>() > 0;
}

void Communicator::barrier() {
    impl_->collective("barrier", [&](auto& g) { return g->barrier(); });
}

int64_t Communicator::storeAdd(const std::string& key, int64_t delta) {
    try {
        return impl_->store->add(key, delta);
    } catch (const std::exception& e) {
        throw GroupError("rank " + std::to_string(rank()) + ": the rendezvous store at " + impl_->env.masterAddr + ":" +
                         std::to_string(impl_->env.masterPort) + " did not answer: " + e.what());
    }
}

} // namespace imblab
