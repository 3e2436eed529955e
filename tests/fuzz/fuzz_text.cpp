// libFuzzer target: what reads outside text — the byte decoder, the mail-body extractor and the
// text-table reader (CSV with quoted line breaks, JSON Lines) — on arbitrary bytes. Decoding and
// mail bodies never throw; a table may only refuse with our typed errors.
#include "data/mail_body.h"
#include "data/text_decode.h"
#include "data/text_table.h"
#include "errors.h"
#include "fuzz_file_input.h"

#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const imblab::DecodedText d = imblab::decodeTextBytes(bytes);
    if (d.problem.empty() && !imblab::isValidUtf8(d.text)) __builtin_trap();  // decoded text is always UTF-8
    const std::string body = imblab::mailBodyText(bytes);
    (void)body;
    // The same bytes as a CSV and as JSON Lines (writeInput keeps one path a process, so a second one here).
    static const std::string jsonl = imblab::fuzz::writeInput(data, 0, "-text.csv") + ".jsonl";
    for (const std::string* path : {&imblab::fuzz::writeInput(data, size, "-text.csv"), &jsonl}) {
        if (path == &jsonl) {
            std::FILE* f = std::fopen(jsonl.c_str(), "wb");
            if (!f) __builtin_trap();
            if (size) std::fwrite(data, 1, size, f);
            std::fclose(f);
        }
        try {
            imblab::readTextTable(*path, {});
        } catch (const imblab::DataError&) {
        } catch (const imblab::ConfigError&) {
        }
    }
    return 0;
}
