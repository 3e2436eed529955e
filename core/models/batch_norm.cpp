// BatchNorm, alone or synchronised over a group; see batch_norm.h.
#include "models/batch_norm.h"

#include "distributed/communicator.h"

#include <torch/torch.h>

namespace imblab {

namespace {

thread_local Communicator* syncGroup = nullptr;

// Sum over the group, differentiable: every rank's output depends on every rank's input, so the
// gradient reaching a rank's input is the sum of all ranks' output gradients (another allreduce).
// Every rank's backward runs the same graph, so the collectives meet in the same order.
struct GroupSum : torch::autograd::Function<GroupSum> {
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x, int64_t group) {
        ctx->saved_data["group"] = group;
        auto y = x.clone();
        reinterpret_cast<Communicator*>(group)->allreduceSum(y);
        return y;
    }
    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                   torch::autograd::variable_list grads) {
        auto g = grads[0].clone();
        reinterpret_cast<Communicator*>(ctx->saved_data["group"].toInt())->allreduceSum(g);
        return {g, torch::Tensor()};
    }
};

torch::Tensor groupSum(const torch::Tensor& x, Communicator* group) {
    return GroupSum::apply(x, int64_t(reinterpret_cast<intptr_t>(group)));
}

// Training-mode BatchNorm with the global batch's statistics, two-pass as PyTorch's
// SyncBatchNorm (mean first, then the mean squared deviation), and the running statistics
// updated as nn.BatchNorm2d does (unbiased variance, momentum).
torch::Tensor syncBatchNorm(torch::nn::BatchNorm2dImpl& bn, const torch::Tensor& x, Communicator* group) {
    const auto& o = bn.options;
    const int64_t c = x.size(1);
    auto count = torch::tensor({double(x.numel() / c)}, torch::kFloat64);
    group->allreduceSum(count);
    const double m = count.item<double>();
    const std::vector<int64_t> dims{0, 2, 3};
    // Statistics accumulated in double, as ATen's CPU batch norm does for float input.
    const auto x64 = x.to(torch::kFloat64);
    const auto mean = groupSum(x64.sum(dims), group) / m;
    const auto var = groupSum((x64 - mean.view({1, c, 1, 1})).pow(2).sum(dims), group) / m;
    auto y = (x - mean.to(x.scalar_type()).view({1, c, 1, 1})) *
             torch::rsqrt(var + o.eps()).to(x.scalar_type()).view({1, c, 1, 1});
    if (o.affine()) y = y * bn.weight.view({1, c, 1, 1}) + bn.bias.view({1, c, 1, 1});
    if (o.track_running_stats()) {
        torch::NoGradGuard noGrad;
        const double momentum = o.momentum().value_or(0.1);
        bn.running_mean.mul_(1 - momentum).add_(mean.detach().to(bn.running_mean.dtype()), momentum);
        bn.running_var.mul_(1 - momentum).add_(var.detach().to(bn.running_var.dtype()) * (m / std::max(1.0, m - 1)), momentum);
        bn.num_batches_tracked.add_(1);
    }
    return y;
}

} // namespace

torch::Tensor batchNorm(torch::nn::BatchNorm2d& bn, const torch::Tensor& x) {
    if (syncGroup && bn->is_training()) return syncBatchNorm(*bn, x, syncGroup);
    return bn->forward(x);
}

SyncBatchNormScope::SyncBatchNormScope(Communicator* group) : previous_(syncGroup) { syncGroup = group; }
SyncBatchNormScope::~SyncBatchNormScope() { syncGroup = previous_; }

} // namespace imblab
