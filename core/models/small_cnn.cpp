// The small CNN; two 2×2 poolings take H×W to (H/4)×(W/4).
#include "models/small_cnn.h"

#include "models/batch_norm.h"

#include <torch/nn/functional/pooling.h>

namespace imblab {

SmallCnnImpl::SmallCnnImpl(int64_t channels, int64_t height, int64_t width, int64_t classes, bool normalizedHead) {
    namespace nn = torch::nn;
    conv1 = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(channels, 16, 3).padding(1).bias(false)));
    bn1 = register_module("bn1", nn::BatchNorm2d(16));
    conv2 = register_module("conv2", nn::Conv2d(nn::Conv2dOptions(16, 32, 3).padding(1).bias(false)));
    bn2 = register_module("bn2", nn::BatchNorm2d(32));
    fc1 = register_module("fc1", nn::Linear(32 * (height / 4) * (width / 4), 128));
    registerHead(*this, 128, classes, normalizedHead, head);
    kaimingInit(*this);
}

torch::Tensor SmallCnnImpl::features(const torch::Tensor& x) {
    auto h = torch::max_pool2d(torch::relu(batchNorm(bn1, conv1->forward(x))), 2);
    h = torch::max_pool2d(torch::relu(batchNorm(bn2, conv2->forward(h))), 2);
    return torch::relu(fc1->forward(h.flatten(1)));
}

torch::Tensor SmallCnnImpl::forward(const torch::Tensor& x) { return head(features(x)); }

} // namespace imblab
