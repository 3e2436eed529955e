// Data-parallel helpers; see data_parallel.h.
#include "training/data_parallel.h"

#include "distributed/communicator.h"
#include "errors.h"
#include "models/classifier.h"
#include "training/step_pipeline.h"

#include <torch/torch.h>

#include <cstring>
#include <sstream>

namespace imblab {

namespace {

// The first line where two texts differ, for the refusal message.
std::string firstDifference(const std::string& a, const std::string& b) {
    std::istringstream sa(a), sb(b);
    std::string la, lb;
    while (true) {
        const bool ga = bool(std::getline(sa, la)), gb = bool(std::getline(sb, lb));
        if (!ga && !gb) return "";
        if (!ga) la = "(nothing)";
        if (!gb) lb = "(nothing)";
        if (la != lb || !ga || !gb) {
            auto trim = [](std::string s) { return s.erase(0, s.find_first_not_of(' ')); };
            return "'" + trim(la) + "' on rank 0, '" + trim(lb) + "'";
        }
    }
}

} // namespace

void checkGroupAgreement(Communicator& group, const std::string& configText, const std::string& splitFingerprint) {
    const auto all = group.allgatherText(configText + "\ndata " + splitFingerprint);
    std::string problems;
    for (size_t r = 1; r < all.size(); ++r) {
        if (all[r] == all[0]) continue;
        const bool dataOnly = all[r].substr(0, all[r].rfind('\n')) == all[0].substr(0, all[0].rfind('\n'));
        problems += (problems.empty() ? "" : "; ") + std::string("rank ") + std::to_string(r) +
                    (dataOnly ? " has different data than rank 0 (same configuration, different files or "
                                "contents: is every node reading the same dataset?)"
                              : "'s configuration differs from rank 0's: " + firstDifference(all[0], all[r]) + " on rank " +
                                    std::to_string(r));
    }
    if (!problems.empty())
        throw ConfigError("data-parallel group", problems + ". Every rank must run the same command on the same data");
}

void broadcastModel(Communicator& group, Classifier& model, bool buffersOnly) {
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> ts;
    if (!buffersOnly)
        for (auto& p : model.parameters()) ts.push_back(p);
    for (auto& b : model.buffers())
        if (b.is_floating_point()) ts.push_back(b);  // BatchNorm's step counters stay each rank's
    if (ts.empty()) return;
    std::vector<torch::Tensor> flatParts;
    for (const auto& t : ts) flatParts.push_back(t.reshape(-1).to(torch::kFloat32));
    auto flat = torch::cat(flatParts);
    group.broadcast(flat, 0);
    int64_t at = 0;
    for (auto& t : ts) {
        t.copy_(flat.slice(0, at, at + t.numel()).view_as(t));
        at += t.numel();
    }
}

torch::Tensor evaluateSharded(Communicator& group, StepPipeline& pipe, const torch::Tensor& x) {
    const int64_t n = x.size(0);
    const int r = group.rank(), world = group.worldSize();
    // No cancel inside: a rank leaving a gather half-way would stall the others (a stop is taken
    // by all ranks together at the next step).
    if (n < world) return pipe.evaluate(x, nullptr);  // too few rows to share
    return group.allgatherRows(pipe.evaluate(x.slice(0, n * r / world, n * (r + 1) / world), nullptr));
}

LogitTable evaluateLogits(StepPipeline& pipe, Communicator* group, const torch::Tensor& x, int classes,
                          const std::atomic<bool>& cancel) {
    LogitTable t;
    t.rows = x.size(0);
    t.classes = classes;
    torch::Tensor z = group ? evaluateSharded(*group, pipe, x) : pipe.evaluate(x, &cancel);
    t.values.assign(size_t(t.rows * t.classes), 0.0f);
    if (z.defined() && z.size(0) == t.rows) {
        z = z.contiguous();
        std::memcpy(t.values.data(), z.data_ptr<float>(), size_t(z.numel()) * sizeof(float));
    }
    return t;
}

bool stopsHere(Communicator* group, std::atomic<bool>& cancel) {
    const bool stopped = group ? group->anyTrue(cancel) : cancel.load();
    if (stopped) cancel = true;
    return stopped;
}

} // namespace imblab
