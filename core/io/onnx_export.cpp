// Our networks as ONNX graphs, walked module by module from the trained LibTorch modules.
#include "io/onnx_export.h"

#include "errors.h"
#include "io/atomic_file.h"
#include "io/config_json.h"
#include "io/model_export.h"
#include "io/onnx_model.h"
#include "models/mlp.h"
#include "models/model_factory.h"
#include "models/normed_linear.h"
#include "models/resnet_cifar.h"
#include "models/resnet_imagenet.h"
#include "models/small_cnn.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <fstream>
#include <variant>

namespace imblab {

namespace {

using Attr = OnnxAttribute;

std::vector<float> valuesOf(const torch::Tensor& t) {
    const auto c = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

// Appends nodes and constants to a model; each call returns the name of its output.
class GraphBuilder {
public:
    explicit GraphBuilder(OnnxModel& m) : m_(m) {}

    std::string constant(const std::string& name, const torch::Tensor& t) {
        m_.initializers.push_back({name, t.sizes().vec(), valuesOf(t), {}});
        return name;
    }
    std::string constantInts(const std::string& name, std::vector<int64_t> values) {
        m_.initializers.push_back({name, {int64_t(values.size())}, {}, std::move(values)});
        return name;
    }
    std::string op(const std::string& type, const std::string& name, std::vector<std::string> inputs,
                   std::vector<Attr> attributes = {}) {
        m_.nodes.push_back({type, name, std::move(inputs), {name}, std::move(attributes)});
        return name;
    }

    // A convolution followed by a BatchNorm in inference form: W' = W·γ/√(σ²+ε), b' = β − μ·γ/√(σ²+ε).
    std::string convBn(const std::string& x, const std::string& name, const torch::nn::Conv2dImpl& conv,
                       const torch::nn::BatchNorm2dImpl& bn) {
        torch::NoGradGuard noGrad;
        const auto scale = bn.weight / torch::sqrt(bn.running_var + bn.options.eps());
        const auto w = conv.weight * scale.view({-1, 1, 1, 1});
        auto b = bn.bias - bn.running_mean * scale;
        if (conv.bias.defined()) b = b + conv.bias * scale;
        const auto& o = conv.options;
        const int64_t stride = (*o.stride())[0];
        using std::get_if;  // the padding is a c10::variant in older LibTorch, a std::variant in newer: ADL picks
        const auto* pad = get_if<torch::ExpandingArray<2>>(&o.padding());
        // What is written below covers square strides and pads, no dilation, no groups: anything else
        // is refused rather than exported wrong.
        if (!pad || (**pad)[0] != (**pad)[1] || (*o.stride())[1] != stride || (*o.dilation())[0] != 1 ||
            (*o.dilation())[1] != 1 || o.groups() != 1)
            throw DataError(name, "is a convolution with options that have no ONNX mapping yet");
        const int64_t p = (**pad)[0];
        return op("Conv", name, {x, constant(name + ".weight", w), constant(name + ".bias", b)},
                  {Attr::integers("kernel_shape", {w.size(2), w.size(3)}), Attr::integers("strides", {stride, stride}),
                   Attr::integers("pads", {p, p, p, p})});
    }

    std::string relu(const std::string& x) { return op("Relu", x + ".relu", {x}); }

    std::string linear(const std::string& x, const std::string& name, const torch::nn::LinearImpl& l, double scale = 1.0) {
        torch::NoGradGuard noGrad;
        return op("Gemm", name, {x, constant(name + ".weight", l.weight * scale), constant(name + ".bias", l.bias * scale)},
                  {Attr::integer("transB", 1)});
    }

    // The classifier head, times the prediction scale s.
    std::string head(const std::string& x, torch::nn::Module& owner, double s) {
        const auto headModule = owner.named_children()["linear"];
        if (const auto* l = headModule->as<torch::nn::Linear>()) return linear(x, "linear", *l, s);
        const auto* n = headModule->as<NormedLinear>();
        if (!n) throw DataError("linear", "is a head with no ONNX mapping");
        torch::NoGradGuard noGrad;
        // F.normalize(x) = x / max(‖x‖, 1e-12) as ReduceL2 + Div: OpenCV 4.6 loads neither LpNormalization
        // nor Max/Clip with a constant, and loses the shape after an Add of one. The same values for every
        // x but the all-zero feature vector (the app: logits 0; here 0/0).
        const std::string norm = op("ReduceL2", "linear.norm", {x}, {Attr::integers("axes", {1}), Attr::integer("keepdims", 1)});
        const std::string unit = op("Div", "linear.normalized", {x, norm});
        // OpenCV's Gemm wants B transposed: [k, in], the normalized columns times s.
        const auto w = (n->weight / n->weight.norm(2, {0}, true).clamp_min(1e-12) * s).t().contiguous();
        return op("Gemm", "linear", {unit, constant("linear.weight", w), constant("linear.bias", torch::zeros({w.size(0)}))},
                  {Attr::integer("transB", 1)});
    }

private:
    OnnxModel& m_;
};

// The option-A shortcut x[:, :, ::2, ::2] padded with `pad` zero channels on each side, as a
// 1×1 stride-2 convolution whose weight maps input channel i to output channel i + pad.
std::string shortcut(GraphBuilder& g, const std::string& x, const std::string& name, int64_t inPlanes, int64_t pad) {
    const auto w = torch::zeros({inPlanes + 2 * pad, inPlanes, 1, 1});
    for (int64_t i = 0; i < inPlanes; ++i) w[i + pad][i][0][0] = 1.0f;
    return g.op("Conv", name, {x, g.constant(name + ".weight", w)},
                {Attr::integers("kernel_shape", {1, 1}), Attr::integers("strides", {2, 2}), Attr::integers("pads", {0, 0, 0, 0})});
}

std::string basicBlock(GraphBuilder& g, const std::string& x, const std::string& name, BasicBlockImpl& b) {
    std::string out = g.relu(g.convBn(x, name + ".conv1", *b.conv1, *b.bn1));
    out = g.convBn(out, name + ".conv2", *b.conv2, *b.bn2);
    const std::string id = b.subsample ? shortcut(g, x, name + ".shortcut", b.conv1->options.in_channels(), b.padChannels) : x;
    return g.relu(g.op("Add", name + ".add", {out, id}));
}

std::map<std::string, std::string> metadataOf(const TrainedModel& tm, const std::vector<int>& rawShape, const Normalisation* info) {
    nlohmann::json pre;
    const bool standardised = !info && !tm.info.mean.empty();  // a CSV table's features
    pre["input"] = info           ? "image: float32 NCHW, values in [0, 1] (uint8 / 255), no normalisation needed"
                   : standardised ? "features: float32 [batch, D], standardised first: (x - mean) / std per feature, "
                                    "in the order of feature_names"
                                  : "features: float32 [batch, D], the raw feature values";
    if (standardised) {
        pre["feature_names"] = tm.info.featureNames;
        pre["mean"] = tm.info.mean;
        pre["std"] = tm.info.std;
    }
    pre["input_shape"] = rawShape;
    pre["model_input_shape"] = tm.info.inputShape;
    if (info) {
        // OpenCV's imread and blobFromImage give BGR by default: swap to RGB (swapRB=true).
        pre["channel_order"] = rawShape.at(0) == 3 ? "RGB" : "grey";
        if (tm.config.dataset.id == "folder" || tm.config.dataset.id == "list")
            pre["resize"] = "shorter side to " + std::to_string(rawShape.at(1)) +
                            " (antialiased bilinear), then the centre square; as the app's image folders";
        pre["mean"] = info->mean;
        pre["std"] = info->std;
        const bool pads = rawShape != tm.info.inputShape;
        pre["in_graph"] = std::string(pads ? "zero-padding to model_input_shape (centred, in [0, 1] space), then " : "") +
                          "(x - mean) / std per channel";
    }
    pre["output"] = "logits [batch, classes]: the scores the app predicts with (argmax = predicted class)";
    std::map<std::string, std::string> m;
    m["imblab_version"] = IMBLAB_VERSION;
    m["model"] = tm.config.train.model;
    m["head"] = tm.config.loss.usesNormalizedHead() ? "normed" : "linear";
    m["prediction_scale"] = nlohmann::json(tm.info.predictionScale).dump();
    m["class_names"] = nlohmann::json(tm.info.classNames).dump();
    m["class_counts"] = nlohmann::json(tm.info.classCounts).dump();
    m["preprocessing"] = pre.dump();
    m["config"] = configToJson(tm.config);
    return m;
}

} // namespace

std::string onnxModelBytes(const TrainedModel& tm, const std::string& source) {
    if (tm.empty()) throw DataError(source, "has no model to export (the run was never prepared)");
    const ExperimentConfig& cfg = tm.config;
    const auto& shape = tm.info.inputShape;
    const int k = int(tm.info.classNames.size());
    if (shape.empty() || k < 2) throw DataError(source, "does not say its input shape and classes");
    if (!tm.info.vocabulary.empty())
        throw DataError(source, "is a text model (" + cfg.train.model + "); the ONNX export covers image and feature models, "
                                "because the runtime it is tested with (OpenCV 4.6's DNN module) takes no word ids (Gather "
                                "of int64 indices) and no LSTM over texts of different lengths: export it as safetensors with "
                                "its vocabulary (docs/text.md), which docs/imblab_text_pytorch.py loads into plain PyTorch");
    ModelInput input;
    if (shape.size() == 3) input = {shape[0], shape[1], shape[2], 0};
    else input.features = shape[0];
    auto module = makeModel(cfg.train.model, input, k, cfg.loss.usesNormalizedHead(), cfg.train.mlpHidden);
    loadStateBytes(*module, tm.stateDict, source);
    module->eval();

    Normalisation norm;
    const Normalisation* data = nullptr;
    std::vector<int> raw = shape;
    if (shape.size() == 3) {
        try {
            norm = normalisationOf(cfg, tm.info);
        } catch (const ConfigError& e) {
            throw DataError(source, std::string("does not say how its images were normalised: ") + e.what());
        }
        data = &norm;
        raw = norm.dataShape;
        // Only what the trainer did: the model's input for these images must be exactly `shape`.
        const bool fits = raw.size() == 3 && norm.mean.size() == size_t(shape[0]) && norm.std.size() == size_t(shape[0]) &&
                          [&] {
                              const ModelInput in = modelInputFor(cfg.train.model, raw[0], raw[1], raw[2], 0);
                              return in.channels == shape[0] && in.height == shape[1] && in.width == shape[2];
                          }();
        if (!fits)
            throw DataError(source, "was trained on " + nlohmann::json(shape).dump() + " inputs, which its " + cfg.dataset.id +
                                        " images " + nlohmann::json(raw).dump() + " do not make for a " + cfg.train.model);
    }

    OnnxModel m;
    m.producerName = "Imbalance Lab";
    m.producerVersion = IMBLAB_VERSION;
    m.graphName = cfg.train.model;
    m.docString = "Imbalance Lab " + cfg.train.model + " on " + cfg.dataset.id + "; see the metadata for the preprocessing";
    GraphBuilder g(m);
    std::string x;
    if (data) {
        x = "image";
        m.inputs.push_back({x, {-1, raw[0], raw[1], raw[2]}});
        const int64_t ph = shape[1] - raw[1], pw = shape[2] - raw[2];
        if (ph > 0 || pw > 0)  // as the trainer: zeros in uint8 space, centred (the extra row/column at the end)
            x = g.op("Pad", "pad", {x, g.constantInts("pad.pads", {0, 0, ph / 2, pw / 2, 0, 0, ph - ph / 2, pw - pw / 2})});
        // The trainer's u·1/(255σ) − μ/σ for uint8 u is x·1/σ − μ/σ for x = u/255, written as a 1×1
        // convolution with a diagonal weight: OpenCV 4.6 fails on a per-channel Mul/Add after Pad.
        const int64_t C = int64_t(data->mean.size());
        auto w = torch::zeros({C, C, 1, 1});
        auto b = torch::zeros({C});
        for (int64_t c = 0; c < C; ++c) {
            w[c][c][0][0] = float(1.0 / data->std[size_t(c)]);
            b[c] = float(-data->mean[size_t(c)] / data->std[size_t(c)]);
        }
        x = g.op("Conv", "normalize", {x, g.constant("normalize.weight", w), g.constant("normalize.bias", b)},
                 {Attr::integers("kernel_shape", {1, 1}), Attr::integers("strides", {1, 1}), Attr::integers("pads", {0, 0, 0, 0})});
    } else {
        x = "features";
        m.inputs.push_back({x, {-1, shape[0]}});
    }

    const double s = tm.info.predictionScale;
    std::string logits;
    if (auto* mlp = dynamic_cast<MlpImpl*>(module.get())) {
        if (data) x = g.op("Flatten", "flatten", {x}, {Attr::integer("axis", 1)});
        x = g.relu(g.linear(x, "fc1", *mlp->fc1));
        x = g.relu(g.linear(x, "fc2", *mlp->fc2));
        logits = g.head(x, *mlp, s);
    } else if (auto* cnn = dynamic_cast<SmallCnnImpl*>(module.get())) {
        const std::vector<Attr> pool = {Attr::integers("kernel_shape", {2, 2}), Attr::integers("strides", {2, 2})};
        x = g.op("MaxPool", "pool1", {g.relu(g.convBn(x, "conv1", *cnn->conv1, *cnn->bn1))}, pool);
        x = g.op("MaxPool", "pool2", {g.relu(g.convBn(x, "conv2", *cnn->conv2, *cnn->bn2))}, pool);
        x = g.op("Flatten", "flatten", {x}, {Attr::integer("axis", 1)});
        x = g.relu(g.linear(x, "fc1", *cnn->fc1));
        logits = g.head(x, *cnn, s);
    } else if (auto* resnet = dynamic_cast<ResNetCifarImpl*>(module.get())) {
        x = g.relu(g.convBn(x, "conv1", *resnet->conv1, *resnet->bn1));
        for (const auto& [stage, layer] : {std::pair{"layer1", resnet->layer1}, {"layer2", resnet->layer2}, {"layer3", resnet->layer3}})
            for (size_t b = 0; b < layer->size(); ++b)
                x = basicBlock(g, x, std::string(stage) + "." + std::to_string(b), *layer->ptr<BasicBlockImpl>(b));
        x = g.op("Flatten", "flatten", {g.op("GlobalAveragePool", "avgpool", {x})}, {Attr::integer("axis", 1)});
        logits = g.head(x, *resnet, s);
    } else if (auto* tv = dynamic_cast<ResNetImageNetImpl*>(module.get())) {
        x = g.relu(g.convBn(x, "conv1", *tv->conv1, *tv->bn1));
        x = g.op("MaxPool", "maxpool", {x},
                 {Attr::integers("kernel_shape", {3, 3}), Attr::integers("strides", {2, 2}), Attr::integers("pads", {1, 1, 1, 1})});
        for (const auto& [stage, layer] :
             {std::pair{"layer1", tv->layer1}, {"layer2", tv->layer2}, {"layer3", tv->layer3}, {"layer4", tv->layer4}})
            for (size_t b = 0; b < layer->size(); ++b) {
                const std::string name = std::string(stage) + "." + std::to_string(b);
                const auto& block = *layer->ptr<TorchvisionBlockImpl>(b);
                std::string out = g.relu(g.convBn(x, name + ".conv1", *block.conv1, *block.bn1));
                if (block.bottleneck) out = g.relu(g.convBn(out, name + ".conv2", *block.conv2, *block.bn2));
                out = block.bottleneck ? g.convBn(out, name + ".conv3", *block.conv3, *block.bn3)
                                       : g.convBn(out, name + ".conv2", *block.conv2, *block.bn2);
                const std::string identity =
                    block.downsampleConv ? g.convBn(x, name + ".downsample", *block.downsampleConv, *block.downsampleBn) : x;
                x = g.relu(g.op("Add", name + ".add", {out, identity}));
            }
        x = g.op("Flatten", "flatten", {g.op("GlobalAveragePool", "avgpool", {x})}, {Attr::integer("axis", 1)});
        logits = g.head(x, *tv, s);
    } else {
        throw DataError(source, "model '" + cfg.train.model + "' has no ONNX mapping yet");
    }
    // The graph's output is named "logits": an Identity keeps the last node's own name free.
    g.op("Identity", "logits", {logits});
    m.outputs.push_back({"logits", {-1, k}});
    for (auto& [key, value] : metadataOf(tm, raw, data)) m.metadata.emplace_back(key, value);
    return serializeOnnx(m);
}

void exportOnnx(const TrainedModel& model, const std::string& outPath) {
    const std::string bytes = onnxModelBytes(model, outPath);
    writeFileAtomically(outPath, [&](const std::string& tmp) {
        std::ofstream out(tmp, std::ios::binary);
        out.write(bytes.data(), std::streamsize(bytes.size()));
        if (!out.flush()) throw DataError(outPath, "cannot be written");
    });
}

} // namespace imblab
