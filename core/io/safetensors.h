// The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
// header length, a JSON header {name: {dtype, shape, data_offsets}, "__metadata__": {str: str}},
// then the raw little-endian tensor bytes. Plain bytes here; no torch.
#pragma once

#include "api/trained_model.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace imblab {

struct SafetensorsFile {
    std::vector<NamedTensorBytes> tensors;  // in file order
    std::map<std::string, std::string> metadata;
};

// Writes atomically (temporary file + rename); DataError naming the path on failure.
void writeSafetensors(const std::string& path, const SafetensorsFile& file);

// Reads and checks: header length within the file, valid JSON, known dtypes, offsets inside the
// data and matching shape × dtype size, no overlap. DataError naming the path otherwise.
SafetensorsFile readSafetensors(const std::string& path);

size_t dtypeSize(const std::string& dtype);  // 0 when unknown

} // namespace imblab
