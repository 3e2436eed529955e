// safetensors reading and writing; see safetensors.h.
#include "io/safetensors.h"

#include "errors.h"
#include "io/atomic_file.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace imblab {

using nlohmann::json;
using nlohmann::ordered_json;

size_t dtypeSize(const std::string& d) {
    if (d == "F64" || d == "I64" || d == "U64") return 8;
    if (d == "F32" || d == "I32" || d == "U32") return 4;
    if (d == "F16" || d == "BF16" || d == "I16" || d == "U16") return 2;
    if (d == "I8" || d == "U8" || d == "BOOL") return 1;
    return 0;
}

void writeSafetensors(const std::string& path, const SafetensorsFile& file) {
    ordered_json header;
    if (!file.metadata.empty()) header["__metadata__"] = file.metadata;
    uint64_t offset = 0;
    for (const auto& t : file.tensors) {
        header[t.name] = {{"dtype", t.dtype}, {"shape", t.shape}, {"data_offsets", {offset, offset + t.bytes.size()}}};
        offset += t.bytes.size();
    }
    std::string text = header.dump();
    while (text.size() % 8 != 0) text.push_back(' ');  // the data starts 8-byte aligned
    writeFileAtomically(path, [&](const std::string& tmp) {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw DataError(path, "cannot be written");
        uint8_t len[8];
        for (int i = 0; i < 8; ++i) len[i] = uint8_t(uint64_t(text.size()) >> (8 * i));
        out.write(reinterpret_cast<const char*>(len), 8);
        out.write(text.data(), std::streamsize(text.size()));
        for (const auto& t : file.tensors) out.write(reinterpret_cast<const char*>(t.bytes.data()), std::streamsize(t.bytes.size()));
        out.flush();
        if (!out) throw DataError(path, "write failed (disk full?)");
    });
}

SafetensorsFile readSafetensors(const std::string& path) {
    namespace fs = std::filesystem;
    if (!fs::exists(path)) throw DataError(path, "file not found");
    const uint64_t size = fs::file_size(path);
    if (size < 8) throw DataError(path, "too short for a safetensors file (no header length)");
    std::ifstream in(path, std::ios::binary);
    uint8_t len[8];
    in.read(reinterpret_cast<char*>(len), 8);
    uint64_t headerLen = 0;
    for (int i = 0; i < 8; ++i) headerLen |= uint64_t(len[i]) << (8 * i);
    if (headerLen > size - 8 || headerLen > (uint64_t(100) << 20))
        throw DataError(path, "header length " + std::to_string(headerLen) + " exceeds the file (" + std::to_string(size) +
                                  " bytes): truncated or not safetensors");
    std::string text(headerLen, '\0');
    in.read(text.data(), std::streamsize(headerLen));
    json header;
    try {
        header = json::parse(text);
    } catch (const json::exception& e) {
        throw DataError(path, std::string("header is not valid JSON: ") + e.what());
    }
    if (!header.is_object()) throw DataError(path, "header is not a JSON object");
    const uint64_t dataSize = size - 8 - headerLen;
    SafetensorsFile out;
    std::vector<std::pair<uint64_t, uint64_t>> ranges;
    try {
        for (auto it = header.begin(); it != header.end(); ++it) {
            if (it.key() == "__metadata__") {
                out.metadata = it.value().get<std::map<std::string, std::string>>();
                continue;
            }
            NamedTensorBytes t;
            t.name = it.key();
            t.dtype = it.value().at("dtype").get<std::string>();
            t.shape = it.value().at("shape").get<std::vector<int64_t>>();
            const auto offsets = it.value().at("data_offsets").get<std::vector<uint64_t>>();
            const size_t elem = dtypeSize(t.dtype);
            if (elem == 0) throw DataError(path, "tensor '" + t.name + "' has unknown dtype '" + t.dtype + "'");
            if (offsets.size() != 2 || offsets[0] > offsets[1] || offsets[1] > dataSize)
                throw DataError(path, "tensor '" + t.name + "' has data offsets outside the file");
            uint64_t count = 1;
            for (int64_t d : t.shape) {
                if (d < 0) throw DataError(path, "tensor '" + t.name + "' has a negative dimension");
                count *= uint64_t(d);
            }
            if (count * elem != offsets[1] - offsets[0])
                throw DataError(path, "tensor '" + t.name + "' shape does not match its byte size");
            ranges.push_back({offsets[0], offsets[1]});
            t.bytes.resize(offsets[1] - offsets[0]);
            in.seekg(std::streamoff(8 + headerLen + offsets[0]));
            in.read(reinterpret_cast<char*>(t.bytes.data()), std::streamsize(t.bytes.size()));
            if (!in) throw DataError(path, "tensor '" + t.name + "' could not be read");
            out.tensors.push_back(std::move(t));
        }
    } catch (const json::exception& e) {
        throw DataError(path, std::string("malformed header entry: ") + e.what());
    }
    std::sort(ranges.begin(), ranges.end());
    for (size_t i = 1; i < ranges.size(); ++i)
        if (ranges[i].first < ranges[i - 1].second) throw DataError(path, "tensors overlap in the data section");
    // Keep file order (by offset) rather than the JSON object's key order.
    std::sort(out.tensors.begin(), out.tensors.end(), [&](const auto& a, const auto& b) {
        return header[a.name]["data_offsets"][0].template get<uint64_t>() < header[b.name]["data_offsets"][0].template get<uint64_t>();
    });
    return out;
}

} // namespace imblab
