// The training split's vocabulary; see vocabulary.h.
#include "data/vocabulary.h"

#include "errors.h"

#include <algorithm>
#include <numeric>

namespace imblab {

Vocabulary buildVocabulary(const Dataset& ds, const VocabularyOptions& o) {
    if (o.maxSize < 3 || o.maxSize > 10000000) throw ConfigError("dataset.vocab_size", "must lie in 3..10000000 (two entries are <pad> and <unk>)");
    if (o.minCount < 1) throw ConfigError("dataset.min_count", "must be at least 1");
    std::vector<int64_t> count(ds.corpusTokens.size(), 0);
    for (uint32_t t : ds.train.tokens) ++count[t];
    std::vector<uint32_t> kept;
    for (uint32_t c = 0; c < count.size(); ++c)
        if (count[c] >= o.minCount) kept.push_back(c);
    std::sort(kept.begin(), kept.end(), [&](uint32_t a, uint32_t b) {
        return count[a] != count[b] ? count[a] > count[b] : ds.corpusTokens[a] < ds.corpusTokens[b];
    });
    if (kept.size() > size_t(o.maxSize - 2)) kept.resize(size_t(o.maxSize - 2));
    Vocabulary v;
    v.words = {"<pad>", "<unk>"};
    v.counts = {0, 0};
    v.fromCorpus.assign(ds.corpusTokens.size(), int32_t(kUnknownToken));
    for (uint32_t c : kept) {
        v.fromCorpus[c] = int32_t(v.words.size());
        v.words.push_back(ds.corpusTokens[c]);
        v.counts.push_back(count[c]);
    }
    return v;
}

std::vector<int64_t> vocabularyIds(const Vocabulary& vocab, const DatasetSplit& split, int64_t i) {
    std::vector<int64_t> ids;
    for (int64_t t = split.tokenOffsets[size_t(i)]; t < split.tokenOffsets[size_t(i) + 1]; ++t)
        ids.push_back(vocab.fromCorpus[split.tokens[size_t(t)]]);
    return ids;
}

TextStatistics textStatistics(const Dataset& ds, const Vocabulary& vocab) {
    TextStatistics s;
    s.vocabularySize = vocab.size();
    s.corpusWords = int64_t(ds.corpusTokens.size());
    std::vector<int64_t> lengths;
    for (const DatasetSplit* split : {&ds.train, &ds.test}) {
        for (size_t i = 0; i + 1 < split->tokenOffsets.size(); ++i) lengths.push_back(split->tokenOffsets[i + 1] - split->tokenOffsets[i]);
        for (uint8_t t : split->textTruncated) s.truncated += t;
    }
    if (!lengths.empty()) {
        std::sort(lengths.begin(), lengths.end());
        s.meanTokens = double(std::accumulate(lengths.begin(), lengths.end(), int64_t(0))) / double(lengths.size());
        auto quantile = [&](double q) { return double(lengths[size_t(q * double(lengths.size() - 1) + 0.5)]); };
        s.medianTokens = quantile(0.5);
        s.p90Tokens = quantile(0.9);
        s.maxTokens = lengths.back();
    }
    int64_t unknown = 0;
    for (uint32_t t : ds.test.tokens) unknown += vocab.fromCorpus[t] == kUnknownToken;
    s.testUnknownRate = ds.test.tokens.empty() ? 0.0 : double(unknown) / double(ds.test.tokens.size());
    return s;
}

} // namespace imblab
