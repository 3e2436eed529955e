// The c10d group; see communicator.h. The one translation unit that sees c10d and Gloo.
#define USE_C10D_GLOO 1
#include "distributed/communicator.h"

#include "errors.h"

#include <spdlog/spdlog.h>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/torch.h>

#include <thread>

namespace imblab {

namespace {
// How long the survivors of a failed collective wait for each other to check in before they
// name the ranks that did not. Short: torchrun stops the survivors soon after one worker dies.
constexpr auto kCheckInWait = std::chrono::milliseconds(1500);
} // namespace

struct Communicator::Impl {
    LaunchEnv env;
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<c10d::ProcessGroupGloo> group;

    // Runs one collective; a failure becomes a GroupError that names the lost ranks.
    template <typename F>
    void collective(const char* what, F&& op) {
        try {
            op()->wait();
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

Communicator::Communicator(const LaunchEnv& env, std::chrono::seconds timeout) : impl_(std::make_unique<Impl>()) {
    Impl& d = *impl_;
    d.env = env;
    try {
        c10d::TCPStoreOptions o;
        o.port = uint16_t(env.masterPort);
        // Under torchrun the agent serves the store already; binding the port again would fail.
        o.isServer = env.rank == 0 && !env.agentStore;
        o.numWorkers = env.worldSize;
        o.waitWorkers = false;
        o.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(timeout);
        auto tcp = c10::make_intrusive<c10d::TCPStore>(env.masterAddr, o);
        // A restarted group meets under a fresh prefix: the old generation's keys stay behind.
        d.store = c10::make_intrusive<c10d::PrefixStore>("imblab/" + std::to_string(env.restartCount), tcp);
        auto options = c10d::ProcessGroupGloo::Options::create(std::chrono::duration_cast<std::chrono::milliseconds>(timeout));
        const char* iface = std::getenv("GLOO_SOCKET_IFNAME");
        options->devices.push_back(iface && *iface ? c10d::ProcessGroupGloo::createDeviceForInterface(iface)
                                                   : c10d::ProcessGroupGloo::createDefaultDevice());
        options->threads = 2;
        d.group = c10::make_intrusive<c10d::ProcessGroupGloo>(d.store, env.rank, env.worldSize, options);
    } catch (const std::exception& e) {
        throw GroupError("rank " + std::to_string(env.rank) + " could not join the group of " +
                         std::to_string(env.worldSize) + " at " + env.masterAddr + ":" + std::to_string(env.masterPort) +
                         " within " + std::to_string(timeout.count()) + " s: " + e.what());
    }
    spdlog::debug("rank {} of {} joined at {}:{} over gloo", env.rank, env.worldSize, env.masterAddr, env.masterPort);
}

Communicator::~Communicator() = default;

int Communicator::rank() const { return impl_->env.rank; }
int Communicator::worldSize() const { return impl_->env.worldSize; }
const LaunchEnv& Communicator::env() const { return impl_->env; }
std::string Communicator::backend() const { return "gloo"; }

void Communicator::allreduceSum(at::Tensor& t) {
    std::vector<at::Tensor> ts{t};
    impl_->collective("allreduce", [&] { return impl_->group->allreduce(ts); });
}

void Communicator::broadcast(at::Tensor& t, int root) {
    std::vector<at::Tensor> ts{t};
    c10d::BroadcastOptions o;
    o.rootRank = root;
    impl_->collective("broadcast", [&] { return impl_->group->broadcast(ts, o); });
}

// Gloo gathers equal shapes only: every rank's leading size, then each part padded to the
// largest and gathered; the parts come back trimmed, in rank order.
std::vector<at::Tensor> Communicator::allgatherParts(const at::Tensor& t) {
    const int n = worldSize();
    std::vector<std::vector<at::Tensor>> counts(1);
    for (int r = 0; r < n; ++r) counts[0].push_back(torch::zeros({1}, torch::kInt64));
    std::vector<at::Tensor> in{torch::tensor({t.size(0)}, torch::kInt64)};
    impl_->collective("allgather", [&] { return impl_->group->allgather(counts, in); });
    int64_t most = 1;
    for (const auto& c : counts[0]) most = std::max(most, c.item<int64_t>());
    auto sizes = t.sizes().vec();
    sizes[0] = most;
    auto padded = torch::zeros(sizes, t.options());
    padded.slice(0, 0, t.size(0)).copy_(t);
    std::vector<std::vector<at::Tensor>> out(1);
    for (int r = 0; r < n; ++r) out[0].push_back(torch::empty(sizes, t.options()));
    std::vector<at::Tensor> mine{padded};
    impl_->collective("allgather", [&] { return impl_->group->allgather(out, mine); });
    std::vector<at::Tensor> parts;
    for (int r = 0; r < n; ++r) parts.push_back(out[0][size_t(r)].slice(0, 0, counts[0][size_t(r)].item<int64_t>()));
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
    impl_->collective("barrier", [&] { return impl_->group->barrier(); });
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
