// torchvision's ResNets in LibTorch; see resnet_imagenet.h.
#include "models/resnet_imagenet.h"

#include "models/batch_norm.h"

#include <torch/nn/functional/pooling.h>
#include <torch/nn/modules/container/sequential.h>

#include <array>
#include <torch/nn/init.h>

namespace imblab {

namespace nn = torch::nn;

namespace {

nn::Conv2d conv(int64_t in, int64_t out, int64_t kernel, int64_t stride) {
    return nn::Conv2d(nn::Conv2dOptions(in, out, kernel).stride(stride).padding(kernel / 2).bias(false));
}

} // namespace

TorchvisionBlockImpl::TorchvisionBlockImpl(int64_t inPlanes, int64_t planes, int64_t stride, bool bottleneck_)
    : bottleneck(bottleneck_) {
    const int64_t outPlanes = bottleneck ? planes * 4 : planes;
    if (bottleneck) {
        conv1 = register_module("conv1", conv(inPlanes, planes, 1, 1));
        bn1 = register_module("bn1", nn::BatchNorm2d(planes));
        conv2 = register_module("conv2", conv(planes, planes, 3, stride));
        bn2 = register_module("bn2", nn::BatchNorm2d(planes));
        conv3 = register_module("conv3", conv(planes, outPlanes, 1, 1));
        bn3 = register_module("bn3", nn::BatchNorm2d(outPlanes));
    } else {
        conv1 = register_module("conv1", conv(inPlanes, planes, 3, stride));
        bn1 = register_module("bn1", nn::BatchNorm2d(planes));
        conv2 = register_module("conv2", conv(planes, planes, 3, 1));
        bn2 = register_module("bn2", nn::BatchNorm2d(planes));
    }
    if (stride != 1 || inPlanes != outPlanes) {
        // Held directly and inside a Sequential, so the names are torchvision's downsample.0/1.
        downsampleConv = conv(inPlanes, outPlanes, 1, stride);
        downsampleBn = nn::BatchNorm2d(outPlanes);
        register_module("downsample", nn::Sequential(downsampleConv, downsampleBn));
    }
}

torch::Tensor TorchvisionBlockImpl::forward(const torch::Tensor& x) {
    auto out = torch::relu(batchNorm(bn1, conv1->forward(x)));
    if (bottleneck) {
        out = torch::relu(batchNorm(bn2, conv2->forward(out)));
        out = batchNorm(bn3, conv3->forward(out));
    } else {
        out = batchNorm(bn2, conv2->forward(out));
    }
    torch::Tensor identity = x;
    if (downsampleConv) identity = batchNorm(downsampleBn, downsampleConv->forward(x));
    return torch::relu(out + identity);
}

ResNetImageNetImpl::ResNetImageNetImpl(int depth, int64_t channels, int64_t classes, bool normalizedHead) {
    const bool bottleneck = depth == 50;
    const std::array<int64_t, 4> blocks = depth == 10 ? std::array<int64_t, 4>{1, 1, 1, 1}
                                          : depth == 18 ? std::array<int64_t, 4>{2, 2, 2, 2}
                                                        : std::array<int64_t, 4>{3, 4, 6, 3};
    conv1 = register_module("conv1", conv(channels, 64, 7, 2));
    bn1 = register_module("bn1", nn::BatchNorm2d(64));
    int64_t inPlanes = 64;
    auto stage = [&](int64_t planes, int64_t count, int64_t stride) {
        nn::Sequential seq;
        for (int64_t b = 0; b < count; ++b) {
            seq->push_back(TorchvisionBlock(inPlanes, planes, b == 0 ? stride : 1, bottleneck));
            inPlanes = bottleneck ? planes * 4 : planes;
        }
        return seq;
    };
    layer1 = register_module("layer1", stage(64, blocks[0], 1));
    layer2 = register_module("layer2", stage(128, blocks[1], 2));
    layer3 = register_module("layer3", stage(256, blocks[2], 2));
    layer4 = register_module("layer4", stage(512, blocks[3], 2));
    registerHead(*this, inPlanes, classes, normalizedHead, head);
    // torchvision's init: Kaiming normal (fan_out, ReLU) for the convs, BN γ = 1, β = 0 (the
    // modules' defaults), the head as nn.Linear initialises itself.
    torch::NoGradGuard noGrad;
    for (auto& m : modules(/*include_self=*/false))
        if (auto* c = m->as<nn::Conv2d>()) nn::init::kaiming_normal_(c->weight, 0.0, torch::kFanOut, torch::kReLU);
}

torch::Tensor ResNetImageNetImpl::features(const torch::Tensor& x) {
    auto out = torch::relu(batchNorm(bn1, conv1->forward(x)));
    out = nn::functional::max_pool2d(out, nn::functional::MaxPool2dFuncOptions(3).stride(2).padding(1));
    out = layer4->forward(layer3->forward(layer2->forward(layer1->forward(out))));
    return out.mean({2, 3});  // adaptive average pool to 1×1, flattened
}

torch::Tensor ResNetImageNetImpl::forward(const torch::Tensor& x) { return head(features(x)); }

} // namespace imblab
