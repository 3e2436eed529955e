// The few ONNX messages our exports need, written straight to protobuf's wire format: a model
// with one graph of nodes, constant initializers, typed inputs/outputs and metadata. Writing
// them ourselves keeps libprotobuf and its version pinning out of the build.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace imblab {

struct OnnxAttribute {
    enum class Kind { Int, Ints, Float };
    std::string name;
    Kind kind = Kind::Int;
    int64_t i = 0;
    std::vector<int64_t> ints;
    float f = 0;

    static OnnxAttribute integer(std::string name, int64_t v) { return {std::move(name), Kind::Int, v, {}, 0}; }
    static OnnxAttribute integers(std::string name, std::vector<int64_t> v) { return {std::move(name), Kind::Ints, 0, std::move(v), 0}; }
    static OnnxAttribute real(std::string name, float v) { return {std::move(name), Kind::Float, 0, {}, v}; }
};

struct OnnxNode {
    std::string opType, name;
    std::vector<std::string> inputs, outputs;
    std::vector<OnnxAttribute> attributes;
};

// A constant: float32 or int64 values, row-major.
struct OnnxTensor {
    std::string name;
    std::vector<int64_t> dims;
    std::vector<float> floats;
    std::vector<int64_t> int64s;  // used instead of floats when non-empty
};

// A float32 graph input or output; a dimension < 0 is the dynamic one named "batch".
struct OnnxValue {
    std::string name;
    std::vector<int64_t> dims;
};

struct OnnxModel {
    int64_t irVersion = 7;  // ONNX IR 7 is the one opset 13 came with
    int64_t opset = 13;
    std::string producerName, producerVersion, graphName, docString;
    std::vector<OnnxNode> nodes;  // in topological order
    std::vector<OnnxTensor> initializers;
    std::vector<OnnxValue> inputs, outputs;
    std::vector<std::pair<std::string, std::string>> metadata;
};

// The serialized ModelProto.
std::string serializeOnnx(const OnnxModel& model);

} // namespace imblab
