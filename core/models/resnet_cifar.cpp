// ResNet-32 with the names of the official PyTorch module (layer1.0.conv1.weight, ...).
#include "models/resnet_cifar.h"

#include "models/batch_norm.h"

#include <torch/nn/functional/padding.h>

namespace imblab {

namespace nn = torch::nn;

BasicBlockImpl::BasicBlockImpl(int64_t inPlanes, int64_t planes, int64_t stride) {
    conv1 = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(inPlanes, planes, 3).stride(stride).padding(1).bias(false)));
    bn1 = register_module("bn1", nn::BatchNorm2d(planes));
    conv2 = register_module("conv2", nn::Conv2d(nn::Conv2dOptions(planes, planes, 3).stride(1).padding(1).bias(false)));
    bn2 = register_module("bn2", nn::BatchNorm2d(planes));
    if (stride != 1 || inPlanes != planes) {
        subsample = true;
        padChannels = planes / 4;
    }
}

torch::Tensor BasicBlockImpl::forward(const torch::Tensor& x) {
    auto out = torch::relu(batchNorm(bn1, conv1->forward(x)));
    out = batchNorm(bn2, conv2->forward(out));
    torch::Tensor shortcut = x;
    if (subsample) {
        using torch::indexing::Slice;
        shortcut = nn::functional::pad(x.index({Slice(), Slice(), Slice(torch::indexing::None, torch::indexing::None, 2),
                                                Slice(torch::indexing::None, torch::indexing::None, 2)}),
                                       nn::functional::PadFuncOptions({0, 0, 0, 0, padChannels, padChannels}));
    }
    return torch::relu(out + shortcut);
}

ResNetCifarImpl::ResNetCifarImpl(int64_t channels, int64_t classes, bool normalizedHead, int64_t blocksPerStage) {
    conv1 = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(channels, 16, 3).stride(1).padding(1).bias(false)));
    bn1 = register_module("bn1", nn::BatchNorm2d(16));
    int64_t inPlanes = 16;
    auto stage = [&](int64_t planes, int64_t stride) {
        nn::Sequential seq;
        for (int64_t b = 0; b < blocksPerStage; ++b) {
            seq->push_back(BasicBlock(inPlanes, planes, b == 0 ? stride : 1));
            inPlanes = planes;
        }
        return seq;
    };
    layer1 = register_module("layer1", stage(16, 1));
    layer2 = register_module("layer2", stage(32, 2));
    layer3 = register_module("layer3", stage(64, 2));
    registerHead(*this, 64, classes, normalizedHead, head);
    kaimingInit(*this);
}

torch::Tensor ResNetCifarImpl::features(const torch::Tensor& x) {
    auto out = torch::relu(batchNorm(bn1, conv1->forward(x)));
    out = layer3->forward(layer2->forward(layer1->forward(out)));
    return out.mean({2, 3});  // global average pool = avg_pool2d over the whole 8×8 map
}

torch::Tensor ResNetCifarImpl::forward(const torch::Tensor& x) { return head(features(x)); }

} // namespace imblab
