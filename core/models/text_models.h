// Text classifiers over right-padded word ids [B, L] (0 = <pad>, data/vocabulary.h). Each finds
// its texts' lengths from the padding itself and computes nothing on it, so the loop hands them
// batches as it hands images to the others.
//   textbag: the mean of the words' embeddings, then the head: seconds on a CPU (torchtext's
//            text-classification example, as EmbeddingBag(mode="mean") computes it).
//   bilstm:  embedding, a two-layer bidirectional LSTM over the packed words (models/packed_lstm.h),
//            the top layer's last forward and first backward states side by side, then the
//            head: the paper's Table 1 model.
// Parameters are named as the PyTorch definitions in docs/imblab_text_pytorch.py name them.
#pragma once

#include "models/classifier.h"
#include "models/packed_lstm.h"

#include <torch/nn/modules/embedding.h>

#include <cstdint>
#include <functional>

namespace imblab {

struct TextBagImpl : Classifier {
    TextBagImpl(int64_t vocabulary, int64_t embeddingDim, int64_t classes, bool normalizedHead);
    torch::Tensor forward(const torch::Tensor& ids) override;
    torch::Tensor features(const torch::Tensor& ids) override;

    torch::nn::Embedding embedding{nullptr};
    std::function<torch::Tensor(const torch::Tensor&)> head;
};

struct BiLstmClassifierImpl : Classifier {
    static constexpr int64_t kLayers = 2;
    BiLstmClassifierImpl(int64_t vocabulary, int64_t embeddingDim, int64_t hidden, int64_t classes, bool normalizedHead);
    torch::Tensor forward(const torch::Tensor& ids) override;
    torch::Tensor features(const torch::Tensor& ids) override;  // [B, 2·hidden]

    torch::nn::Embedding embedding{nullptr};
    std::shared_ptr<PackedBiLstmImpl> lstm;
    std::function<torch::Tensor(const torch::Tensor&)> head;
};

} // namespace imblab
