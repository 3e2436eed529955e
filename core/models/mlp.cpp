// The MLP; inputs of any shape are flattened per example.
#include "models/mlp.h"

namespace imblab {

MlpImpl::MlpImpl(int64_t inFeatures, int64_t hidden, int64_t classes, bool normalizedHead) {
    fc1 = register_module("fc1", torch::nn::Linear(inFeatures, hidden));
    fc2 = register_module("fc2", torch::nn::Linear(hidden, hidden));
    registerHead(*this, hidden, classes, normalizedHead, head);
}

torch::Tensor MlpImpl::features(const torch::Tensor& x) {
    const auto h = torch::relu(fc1->forward(x.flatten(1)));
    return torch::relu(fc2->forward(h));
}

torch::Tensor MlpImpl::forward(const torch::Tensor& x) { return head(features(x)); }

} // namespace imblab
