// The words a text model knows, made from the (imbalanced) training split alone, as torchtext's
// vocab factory makes it: counted over the training texts, kept when seen at least minCount
// times, ordered by (−count, word) so it is the same on every machine, capped at maxSize
// entries counting the two specials: id 0 is "<pad>" (what padding and masking use), id 1
// "<unk>" (every word left out, and every test word the training split lacks).
#pragma once

#include "data/dataset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace imblab {

struct VocabularyOptions {
    int maxSize = 20000;  // entries, "<pad>" and "<unk>" included
    int minCount = 2;     // occurrences in the training split
};

constexpr int64_t kPadToken = 0;
constexpr int64_t kUnknownToken = 1;

struct Vocabulary {
    std::vector<std::string> words;     // id → word; words[0] = "<pad>", words[1] = "<unk>"
    std::vector<int64_t> counts;        // id → training occurrences (0 for the specials)
    std::vector<int32_t> fromCorpus;    // corpus id → vocabulary id (kUnknownToken when left out)

    int64_t size() const { return int64_t(words.size()); }
};

// ConfigError naming dataset.vocab_size / dataset.min_count when out of range.
Vocabulary buildVocabulary(const Dataset& ds, const VocabularyOptions& options);

// The vocabulary ids of example i of `split`.
std::vector<int64_t> vocabularyIds(const Vocabulary& vocab, const DatasetSplit& split, int64_t i);

// What `imblab-cli dataset --json` says of a text dataset: words per example (after the
// max-tokens cut) and how many were cut, and the share of test words the vocabulary lacks.
struct TextStatistics {
    int64_t vocabularySize = 0, corpusWords = 0;
    double meanTokens = 0, medianTokens = 0, p90Tokens = 0;
    int64_t maxTokens = 0, truncated = 0;
    double testUnknownRate = 0;
};
TextStatistics textStatistics(const Dataset& ds, const Vocabulary& vocab);

} // namespace imblab
