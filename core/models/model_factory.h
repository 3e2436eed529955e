// Builds a network by name for an input shape, and describes networks in plain data.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace imblab {

struct Classifier;

struct ModelInput {
    int channels = 0, height = 0, width = 0;  // images (after any padding the model needs)
    int features = 0;                         // feature vectors (when channels == 0)
    int vocabulary = 0;                       // texts: the vocabulary's size (word ids below it)
    int tokens = 0;                           // texts: the most words per text
};

// The widths a model is built with besides its input: the MLP's hidden layer, the text models'
// embedding and LSTM (api/experiment_config.h TrainConfig). An int is the MLP's width.
struct ModelSizes {
    int mlpHidden = 64, embeddingDim = 128, lstmHidden = 128;
    ModelSizes() = default;
    ModelSizes(int mlp) : mlpHidden(mlp) {}  // NOLINT: call sites pass train.mlp_hidden as they always have
    ModelSizes(int mlp, int embedding, int lstm) : mlpHidden(mlp), embeddingDim(embedding), lstmHidden(lstm) {}
};

struct TrainConfig;
ModelSizes modelSizes(const TrainConfig& train);

// The input a model takes for a dataset shape: ResNet-32 zero-pads 28×28 to 32×32.
ModelInput modelInputFor(const std::string& model, int channels, int height, int width, int features);
// A text dataset's input: `tokens` words per text at most, ids below `vocabulary`.
ModelInput textModelInput(int vocabulary, int tokens);
// The input of a trained run's model from what RunInfo recorded: its inputShape (C,H,W or D;
// texts: the words per text) and, for texts, its vocabulary's size.
ModelInput modelInputOfRun(const std::string& model, const std::vector<int>& inputShape, int64_t vocabularySize);

// "mlp" | "cnn" | "resnet32" | torchvision's ResNets | "textbag" | "bilstm"; ConfigError("model")
// otherwise or when the input does not fit.
std::shared_ptr<Classifier> makeModel(const std::string& model, const ModelInput& input, int classes,
                                      bool normalizedHead, ModelSizes sizes = {});
// The same, initialised from torch's generator seeded with `seed` (same seed, same weights,
// whatever other threads build meanwhile).
std::shared_ptr<Classifier> makeSeededModel(uint64_t seed, const std::string& model, const ModelInput& input, int classes,
                                            bool normalizedHead, ModelSizes sizes = {});

struct ParameterInfo {
    std::string name;
    std::vector<int64_t> shape;
    bool trainable = true;  // false for buffers (running stats)
};
struct ModelDescription {
    int64_t parameterCount = 0;          // trainable parameters
    std::vector<ParameterInfo> entries;  // parameters then buffers, in state-dict order
    std::vector<int64_t> outputShape;    // for a batch of 2
};
ModelDescription describeModel(const std::string& model, const ModelInput& input, int classes, bool normalizedHead,
                               ModelSizes sizes = {});

// 10, 18 or 50 when `model` is torchvision's resnet10, resnet18 or resnet50 (models/resnet_imagenet.h), else 0.
int torchvisionResNetDepth(const std::string& model);

// A parameter's name in exports of `model`: torchvision's "fc.*" for its ResNets' head (our
// networks call it "linear"), else unchanged.
std::string torchvisionExportName(const std::string& model, const std::string& name);

} // namespace imblab
