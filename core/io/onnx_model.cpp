// Protobuf wire format for the ONNX messages in onnx_model.h. Field numbers are those of
// onnx/onnx.proto (ONNX 1.12, a proto2 file); repeated scalars are written packed, which every
// protobuf parser accepts for proto2 fields too.
#include "io/onnx_model.h"

#include <cstring>

namespace imblab {

namespace {

enum Wire { Varint = 0, Fixed32 = 5, Bytes = 2 };

class Proto {
public:
    Proto& varint(uint64_t v) {
        while (v >= 0x80) {
            out_.push_back(char(uint8_t(v) | 0x80));
            v >>= 7;
        }
        out_.push_back(char(v));
        return *this;
    }
    Proto& key(int field, Wire wire) { return varint(uint64_t(field) << 3 | wire); }
    // int64 fields are plain varints of the two's complement (ten bytes when negative).
    Proto& int64(int field, int64_t v) { return key(field, Varint).varint(uint64_t(v)); }
    Proto& bytes(int field, const std::string& b) {
        key(field, Bytes).varint(b.size());
        out_ += b;
        return *this;
    }
    Proto& message(int field, const Proto& m) { return bytes(field, m.out_); }
    Proto& real(int field, float f) {
        key(field, Fixed32);
        char b[4];
        std::memcpy(b, &f, 4);  // little-endian hosts only, as safetensors
        out_.append(b, 4);
        return *this;
    }
    Proto& packed(int field, const std::vector<int64_t>& values) {
        Proto p;
        for (int64_t v : values) p.varint(uint64_t(v));
        return bytes(field, p.out_);
    }
    const std::string& str() const { return out_; }

private:
    std::string out_;
};

// AttributeProto.type values.
constexpr int64_t kAttrFloat = 1, kAttrInt = 2, kAttrInts = 7;
// TensorProto.DataType values.
constexpr int64_t kFloat = 1, kInt64 = 7;

Proto attribute(const OnnxAttribute& a) {
    Proto p;
    p.bytes(1, a.name);
    switch (a.kind) {
    case OnnxAttribute::Kind::Int: p.int64(3, a.i).int64(20, kAttrInt); break;
    case OnnxAttribute::Kind::Ints: p.packed(8, a.ints).int64(20, kAttrInts); break;
    case OnnxAttribute::Kind::Float: p.real(2, a.f).int64(20, kAttrFloat); break;
    }
    return p;
}

Proto node(const OnnxNode& n) {
    Proto p;
    for (const auto& i : n.inputs) p.bytes(1, i);
    for (const auto& o : n.outputs) p.bytes(2, o);
    if (!n.name.empty()) p.bytes(3, n.name);
    p.bytes(4, n.opType);
    for (const auto& a : n.attributes) p.message(5, attribute(a));
    return p;
}

Proto tensor(const OnnxTensor& t) {
    Proto p;
    if (!t.dims.empty()) p.packed(1, t.dims);
    const bool ints = !t.int64s.empty();
    p.int64(2, ints ? kInt64 : kFloat);
    p.bytes(8, t.name);
    std::string raw(ints ? t.int64s.size() * 8 : t.floats.size() * 4, '\0');
    if (!raw.empty()) std::memcpy(raw.data(), ints ? static_cast<const void*>(t.int64s.data()) : t.floats.data(), raw.size());
    p.bytes(9, raw);
    return p;
}

Proto valueInfo(const OnnxValue& v) {
    Proto shape;
    for (int64_t d : v.dims) {
        Proto dim;
        if (d < 0) dim.bytes(2, "batch");
        else dim.int64(1, d);
        shape.message(1, dim);
    }
    Proto tensorType;
    tensorType.int64(1, kFloat).message(2, shape);
    Proto type;
    type.message(1, tensorType);
    Proto p;
    p.bytes(1, v.name).message(2, type);
    return p;
}

} // namespace

std::string serializeOnnx(const OnnxModel& m) {
    Proto graph;
    for (const auto& n : m.nodes) graph.message(1, node(n));
    graph.bytes(2, m.graphName);
    for (const auto& t : m.initializers) graph.message(5, tensor(t));
    if (!m.docString.empty()) graph.bytes(10, m.docString);
    for (const auto& v : m.inputs) graph.message(11, valueInfo(v));
    for (const auto& v : m.outputs) graph.message(12, valueInfo(v));

    Proto opset;
    opset.bytes(1, "").int64(2, m.opset);
    Proto model;
    model.int64(1, m.irVersion).message(8, opset).bytes(2, m.producerName).bytes(3, m.producerVersion).message(7, graph);
    for (const auto& [k, v] : m.metadata) {
        Proto entry;
        entry.bytes(1, k).bytes(2, v);
        model.message(14, entry);
    }
    return model.str();
}

} // namespace imblab
