// Model construction by name, and a plain description (names, shapes, count) for tests and docs.
#include "models/model_factory.h"

#include "api/experiment_config.h"
#include "errors.h"
#include "models/mlp.h"
#include "models/model_names.h"
#include "models/resnet_cifar.h"
#include "models/resnet_imagenet.h"
#include "models/small_cnn.h"
#include "models/text_models.h"

#include <torch/torch.h>

#include <mutex>

namespace imblab {

namespace {

// torch's default generator is process-global: every model built here takes this lock, so a
// seeded build (a run's initialisation) is never interleaved with another build's draws.
std::mutex& buildMutex() {
    static std::mutex m;
    return m;
}

std::shared_ptr<Classifier> build(const std::string& model, const ModelInput& input, int classes, bool normalizedHead,
                                  const ModelSizes& sizes);

} // namespace

ModelSizes modelSizes(const TrainConfig& t) { return {t.mlpHidden, t.embeddingDim, t.lstmHidden}; }

ModelInput textModelInput(int vocabulary, int tokens) {
    ModelInput in;
    in.vocabulary = vocabulary;
    in.tokens = tokens;
    return in;
}

ModelInput modelInputOfRun(const std::string& model, const std::vector<int>& shape, int64_t vocabularySize) {
    if (isTextModel(model)) return textModelInput(int(vocabularySize), shape.empty() ? 0 : shape[0]);
    ModelInput input;
    if (shape.size() == 3) input = {shape[0], shape[1], shape[2], 0};
    else input.features = shape.at(0);
    return input;
}

ModelInput modelInputFor(const std::string& model, int channels, int height, int width, int features) {
    ModelInput in;
    if (channels == 0) {
        in.features = features;
        return in;
    }
    in.channels = channels;
    in.height = height;
    in.width = width;
    if (model == "resnet32" || torchvisionResNetDepth(model)) {  // smaller images are zero-padded to 32
        in.height = std::max(height, 32);
        in.width = std::max(width, 32);
    }
    return in;
}

std::shared_ptr<Classifier> makeModel(const std::string& model, const ModelInput& input, int classes,
                                      bool normalizedHead, ModelSizes sizes) {
    std::lock_guard<std::mutex> lock(buildMutex());
    return build(model, input, classes, normalizedHead, sizes);
}

std::shared_ptr<Classifier> makeSeededModel(uint64_t seed, const std::string& model, const ModelInput& input, int classes,
                                            bool normalizedHead, ModelSizes sizes) {
    std::lock_guard<std::mutex> lock(buildMutex());
    torch::manual_seed(seed);
    return build(model, input, classes, normalizedHead, sizes);
}

namespace {

std::shared_ptr<Classifier> build(const std::string& model, const ModelInput& input, int classes, bool normalizedHead,
                                  const ModelSizes& sizes) {
    if (classes < 2) throw ConfigError("classes", "a classifier needs at least 2 classes");
    const int mlpHidden = sizes.mlpHidden;
    if (isTextModel(model) != (input.vocabulary > 0))
        throw ConfigError("model", input.vocabulary > 0 ? "'" + model + "' cannot read texts; use textbag or bilstm"
                                                        : "'" + model + "' reads texts; this dataset holds images or feature rows");
    if (model == "textbag") return std::make_shared<TextBagImpl>(input.vocabulary, sizes.embeddingDim, classes, normalizedHead);
    if (model == "bilstm")
        return std::make_shared<BiLstmClassifierImpl>(input.vocabulary, sizes.embeddingDim, sizes.lstmHidden, classes,
                                                      normalizedHead);
    if (model == "mlp") {
        const int64_t inFeatures = input.channels ? int64_t(input.channels) * input.height * input.width : input.features;
        if (mlpHidden < 1 || mlpHidden > 4096) throw ConfigError("train.mlp_hidden", "must be between 1 and 4096");
        return std::make_shared<MlpImpl>(inFeatures, mlpHidden, classes, normalizedHead);
    }
    if (input.channels == 0)
        throw ConfigError("model", "'" + model + "' needs images; use 'mlp' for feature data such as blobs");
    if (model == "cnn") {
        if (input.height < 4 || input.width < 4) throw ConfigError("model", "images are too small for 'cnn'");
        return std::make_shared<SmallCnnImpl>(input.channels, input.height, input.width, classes, normalizedHead);
    }
    if (model == "resnet32") return std::make_shared<ResNetCifarImpl>(input.channels, classes, normalizedHead);
    if (const int depth = torchvisionResNetDepth(model))
        return std::make_shared<ResNetImageNetImpl>(depth, input.channels, classes, normalizedHead);
    throw ConfigError("model", "unknown model '" + model + "' (expected mlp, cnn, resnet32, resnet10, resnet18, resnet50, "
                               "textbag or bilstm)");
}

} // namespace

ModelDescription describeModel(const std::string& model, const ModelInput& input, int classes, bool normalizedHead,
                               ModelSizes sizes) {
    auto net = makeModel(model, input, classes, normalizedHead, sizes);
    ModelDescription d;
    for (const auto& p : net->named_parameters()) {
        d.parameterCount += p.value().numel();
        d.entries.push_back({p.key(), p.value().sizes().vec(), true});
    }
    for (const auto& b : net->named_buffers()) d.entries.push_back({b.key(), b.value().sizes().vec(), false});
    torch::NoGradGuard noGrad;
    net->eval();
    const auto x = input.vocabulary ? torch::ones({2, std::max(1, input.tokens)}, torch::kInt64)
                   : input.channels ? torch::zeros({2, input.channels, input.height, input.width})
                                    : torch::zeros({2, input.features});
    d.outputShape = net->forward(x).sizes().vec();
    return d;
}

int torchvisionResNetDepth(const std::string& model) {
    return model == "resnet10" ? 10 : model == "resnet18" ? 18 : model == "resnet50" ? 50 : 0;
}

std::string torchvisionExportName(const std::string& model, const std::string& name) {
    if (torchvisionResNetDepth(model) && name.rfind("linear.", 0) == 0) return "fc." + name.substr(7);
    return name;
}

} // namespace imblab
