// Vocabulary files; see vocabulary_file.h.
#include "io/vocabulary_file.h"

#include "data/word_tokenizer.h"
#include "errors.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace imblab {

namespace {
constexpr const char* kFormat = "imblab-vocabulary-1";
}

std::string vocabularyJson(const std::vector<std::string>& words, int maxTokens) {
    nlohmann::ordered_json j;
    j["format"] = kFormat;
    j["tokenizer"] = "ICU word boundaries (UAX #29, root locale); segments tagged word, number, kana or ideograph kept, "
                     "spaces and punctuation dropped; each word lower-cased (ICU, root locale); before that UTF-8 (a "
                     "byte-order mark dropped) or UTF-16 with a mark, CRLF and CR read as LF, \"<br />\" tags read as a space";
    j["tokenizer_version"] = wordTokenizerVersion();
    j["max_tokens"] = maxTokens;
    j["pad_id"] = 0;
    j["unk_id"] = 1;
    j["words"] = words;
    return j.dump(1) + "\n";
}

std::vector<std::string> readVocabularyFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DataError(path, "missing: a text model's vocabulary is written beside its weights");
    std::stringstream s;
    s << in.rdbuf();
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(s.str());
    } catch (const nlohmann::json::exception& e) {
        throw DataError(path, std::string("is not valid JSON: ") + e.what());
    }
    if (!j.is_object() || j.value("format", "") != kFormat || !j.contains("words") || !j["words"].is_array())
        throw DataError(path, std::string("is not an Imbalance Lab vocabulary (\"format\": \"") + kFormat + "\" with \"words\")");
    std::vector<std::string> words;
    for (const auto& w : j["words"]) {
        if (!w.is_string()) throw DataError(path, "holds a word that is not a string");
        words.push_back(w.get<std::string>());
    }
    if (words.size() < 2 || words[0] != "<pad>" || words[1] != "<unk>")
        throw DataError(path, "must start with <pad> and <unk> (ids 0 and 1)");
    return words;
}

std::string vocabularyPathBeside(const std::string& weightsPath) {
    std::filesystem::path p(weightsPath);
    p.replace_extension(".vocabulary.json");
    return p.string();
}

} // namespace imblab
