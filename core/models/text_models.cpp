// The text models; see text_models.h.
#include "models/text_models.h"

#include <torch/torch.h>

namespace imblab {

namespace {

torch::nn::Embedding makeEmbedding(int64_t vocabulary, int64_t dim) {
    // nn.Embedding's own init, N(0, 1), with the <pad> row zero and never trained.
    return torch::nn::Embedding(torch::nn::EmbeddingOptions(vocabulary, dim).padding_idx(0));
}

} // namespace

TextBagImpl::TextBagImpl(int64_t vocabulary, int64_t dim, int64_t classes, bool normalizedHead) {
    embedding = register_module("embedding", makeEmbedding(vocabulary, dim));
    registerHead(*this, dim, classes, normalizedHead, head);
}

torch::Tensor TextBagImpl::features(const torch::Tensor& ids) {
    const auto mask = ids.ne(0);
    const auto lengths = mask.sum(1);
    const auto flat = ids.masked_select(mask);
    const auto offsets = torch::cat({torch::zeros({1}, lengths.options()), lengths.cumsum(0).slice(0, 0, -1)});
    // mode 1 = mean over each text's words, as EmbeddingBag(mode="mean")
    return std::get<0>(torch::embedding_bag(embedding->weight, flat, offsets, false, 1));
}

torch::Tensor TextBagImpl::forward(const torch::Tensor& ids) { return head(features(ids)); }

BiLstmClassifierImpl::BiLstmClassifierImpl(int64_t vocabulary, int64_t dim, int64_t hidden, int64_t classes,
                                           bool normalizedHead) {
    embedding = register_module("embedding", makeEmbedding(vocabulary, dim));
    lstm = register_module("lstm", std::make_shared<PackedBiLstmImpl>(dim, hidden, kLayers));
    registerHead(*this, 2 * hidden, classes, normalizedHead, head);
}

torch::Tensor BiLstmClassifierImpl::features(const torch::Tensor& ids) {
    const PackedBatch batch = packPadded(ids);
    const auto words = embedding->forward(ids.reshape(-1).index_select(0, batch.tokenIndex));
    return finalStates(lstm->forward(words, batch.batchSizes), batch);
}

torch::Tensor BiLstmClassifierImpl::forward(const torch::Tensor& ids) { return head(features(ids)); }

} // namespace imblab
