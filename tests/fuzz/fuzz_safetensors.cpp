// libFuzzer target: the safetensors reader (header JSON, offsets, dtypes) on arbitrary bytes.
#include "errors.h"
#include "fuzz_file_input.h"
#include "io/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string& path = imblab::fuzz::writeInput(data, size, ".safetensors");
    try {
        imblab::readSafetensors(path);
    } catch (const imblab::DataError&) {
    }
    return 0;
}
