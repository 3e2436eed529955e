// libFuzzer target: the CIFAR-10 and CIFAR-100 binary readers on arbitrary bytes.
#include "data/cifar_reader.h"
#include "errors.h"
#include "fuzz_file_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string& path = imblab::fuzz::writeInput(data, size, "-cifar.bin");
    try {
        imblab::readCifarFile(path, 1, 10);
    } catch (const imblab::DataError&) {
    }
    try {
        imblab::readCifarFile(path, 2, 100);
    } catch (const imblab::DataError&) {
    }
    return 0;
}
