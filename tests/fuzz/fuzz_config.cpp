// libFuzzer target: the config/session JSON parser (strict schema v1) on arbitrary text.
#include "errors.h"
#include "io/config_json.h"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const imblab::ExperimentConfig c = imblab::parseConfig(text, "fuzz.imblab", imblab::ExperimentConfig{});
        // Whatever parses must write back and parse to the same thing.
        const std::string again = imblab::configToJson(c);
        if (imblab::configToJson(imblab::parseConfig(again, "fuzz.imblab", imblab::ExperimentConfig{})) != again)
            __builtin_trap();
    } catch (const imblab::ConfigError&) {
    } catch (const imblab::DataError&) {
    }
    return 0;
}
