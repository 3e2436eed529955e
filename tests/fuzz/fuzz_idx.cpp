// libFuzzer target: the IDX reader (plain and gzip) on arbitrary bytes.
#include "data/idx_reader.h"
#include "errors.h"
#include "fuzz_file_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string& path = imblab::fuzz::writeInput(data, size, "-idx");
    try {
        imblab::readIdxImages(path);
    } catch (const imblab::DataError&) {
    }
    try {
        imblab::readIdxLabels(path);
    } catch (const imblab::DataError&) {
    }
    return 0;
}
