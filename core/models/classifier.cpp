// Shared pieces of the networks: the head choice and the official weight init.
#include "models/classifier.h"

#include "models/normed_linear.h"

#include <torch/nn/init.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>

namespace imblab {

torch::nn::Module& registerHead(torch::nn::Module& owner, int64_t inFeatures, int64_t classes, bool normalized,
                                std::function<torch::Tensor(const torch::Tensor&)>& forwardHead) {
    if (normalized) {
        auto head = owner.register_module("linear", NormedLinear(inFeatures, classes));
        forwardHead = [head](const torch::Tensor& x) { return head->forward(x); };
        return *head;
    }
    auto head = owner.register_module("linear", torch::nn::Linear(inFeatures, classes));
    forwardHead = [head](const torch::Tensor& x) { return head->forward(x); };
    return *head;
}

void kaimingInit(torch::nn::Module& module) {
    torch::NoGradGuard noGrad;
    for (auto& m : module.modules(/*include_self=*/false)) {
        if (auto* conv = m->as<torch::nn::Conv2d>()) torch::nn::init::kaiming_normal_(conv->weight);
        else if (auto* lin = m->as<torch::nn::Linear>()) torch::nn::init::kaiming_normal_(lin->weight);
    }
}

} // namespace imblab
