// ResNet-10/18/50 as torchvision defines them (He et al. 2016; v1.5: the bottleneck's stride on
// its 3×3 conv), with torchvision's parameter names (conv1, bn1, layer1.0.conv1, ...,
// layer2.0.downsample.0/1), for images of 64–224 pixels: conv1 7×7 stride 2, 3×3 max pool,
// four stages (64, 128, 256, 512 planes; ×4 for the bottleneck), global average pool, head.
// ResNet-10 is ResNet-18 with one basic block per stage. The head is registered as "linear"
// like our other networks (the second stages, MaxNorm and the exports find it there); exports
// name it "fc", as torchvision does (torchvisionExportName in model_factory.h).
#pragma once

#include "models/classifier.h"

#include <cstdint>
#include <string>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>

namespace imblab {

// A basic (two 3×3 convs, expansion 1) or bottleneck (1×1, 3×3, 1×1, expansion 4) block with
// torchvision's names; `downsample` (1×1 conv + BN) when the shape changes.
struct TorchvisionBlockImpl : torch::nn::Module {
    TorchvisionBlockImpl(int64_t inPlanes, int64_t planes, int64_t stride, bool bottleneck);
    torch::Tensor forward(const torch::Tensor& x);

    bool bottleneck;
    torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, conv3{nullptr};
    torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr}, bn3{nullptr};
    torch::nn::Conv2d downsampleConv{nullptr};
    torch::nn::BatchNorm2d downsampleBn{nullptr};
};
TORCH_MODULE(TorchvisionBlock);

struct ResNetImageNetImpl : Classifier {
    // depth 10, 18 or 50.
    ResNetImageNetImpl(int depth, int64_t channels, int64_t classes, bool normalizedHead);
    torch::Tensor forward(const torch::Tensor& x) override;
    torch::Tensor features(const torch::Tensor& x) override;

    torch::nn::Conv2d conv1{nullptr};
    torch::nn::BatchNorm2d bn1{nullptr};
    torch::nn::Sequential layer1{nullptr}, layer2{nullptr}, layer3{nullptr}, layer4{nullptr};
    std::function<torch::Tensor(const torch::Tensor&)> head;
};

} // namespace imblab
