// Tokenizing a source's documents; see text_corpus.h.
#include "data/text_corpus.h"

#include "data/text_decode.h"
#include "data/word_tokenizer.h"
#include "errors.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

namespace imblab {

namespace {

// Documents are tokenized in fixed chunks, each with its own word → local id table; merging the
// chunks in order gives ids by first appearance, independent of which thread took which chunk.
constexpr size_t kChunk = 256;

struct Tokenized {
    std::vector<uint32_t> localIds;
    std::string preview;
    bool truncated = false;
    std::string problem;  // "" when read
};

struct Chunk {
    std::vector<Tokenized> docs;
    std::vector<std::string> words;  // local id → word
};

std::optional<std::string> readFileBytes(const std::string& path, std::string& problem) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) {
        problem = "cannot be opened for reading";
        return std::nullopt;
    }
    const auto size = in.tellg();
    if (size < 0) {
        problem = "cannot be read";
        return std::nullopt;
    }
    std::string bytes(size_t(size), '\0');
    in.seekg(0);
    if (size > 0 && !in.read(bytes.data(), size)) {
        problem = "cannot be read to its end";
        return std::nullopt;
    }
    return bytes;
}

void tokenizeChunk(const std::vector<TextDocument>& docs, size_t from, size_t to, const TextCorpusOptions& o,
                   WordTokenizer& tokenizer, Chunk& out) {
    std::unordered_map<std::string, uint32_t> ids;
    out.docs.resize(to - from);
    for (size_t i = from; i < to; ++i) {
        const TextDocument& doc = docs[i];
        Tokenized& t = out.docs[i - from];
        std::string bytes;
        if (!doc.path.empty()) {
            auto read = readFileBytes(doc.path, t.problem);
            if (!read) continue;
            bytes = std::move(*read);
            if (o.extract) {
                bytes = o.extract(bytes, t.problem);
                if (!t.problem.empty()) continue;
            }
        }
        DecodedText decoded = decodeTextBytes(doc.path.empty() ? std::string_view(doc.text) : std::string_view(bytes));
        if (!decoded.problem.empty()) {
            t.problem = std::move(decoded.problem);
            continue;
        }
        t.truncated = tokenizer.forEachWord(decoded.text, size_t(o.maxTokens), [&](std::string_view w) {
            auto [it, added] = ids.try_emplace(std::string(w), uint32_t(out.words.size()));
            if (added) out.words.emplace_back(w);
            t.localIds.push_back(it->second);
        });
        if (t.localIds.empty()) {
            t.problem = "holds no words (only punctuation or symbols)";
            continue;
        }
        t.preview = textPreview(decoded.text, kTextPreviewBytes);
    }
}

} // namespace

Dataset tokenizeDocuments(const std::string& id, const std::vector<std::string>& classNames,
                          const std::vector<std::string>& classPlaces, std::vector<TextDocument> documents,
                          const TextCorpusOptions& o) {
    if (o.maxTokens < 1 || o.maxTokens > 100000) throw ConfigError("dataset.max_tokens", "must lie in 1..100000");
    const size_t n = documents.size();
    const size_t chunks = (n + kChunk - 1) / kChunk;
    std::vector<Chunk> parts(chunks);
    std::atomic<size_t> next{0}, done{0};
    std::atomic<bool> cancelled{false};
    std::string failure;
    std::mutex m;
    std::condition_variable cv;
    auto work = [&] {
        try {
            WordTokenizer tokenizer;
            for (size_t c; !cancelled && (c = next++) < chunks;) {
                const size_t from = c * kChunk, to = std::min(n, from + kChunk);
                tokenizeChunk(documents, from, to, o, tokenizer, parts[c]);
                done += to - from;
                std::lock_guard<std::mutex> lock(m);
                cv.notify_all();
            }
        } catch (const std::exception& e) {
            std::lock_guard<std::mutex> lock(m);
            failure = e.what();
            cancelled = true;
            cv.notify_all();
        }
    };
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const size_t workers = std::max<size_t>(1, std::min<size_t>(chunks, o.threads > 0 ? size_t(o.threads) : cores));
    std::vector<std::thread> pool;
    for (size_t t = 0; t < workers && chunks > 0; ++t) pool.emplace_back(work);
    bool userCancelled = false;
    {
        std::unique_lock<std::mutex> lock(m);
        while (done < n && !cancelled) {
            cv.wait_for(lock, std::chrono::milliseconds(100));
            if (o.progress && !o.progress(int64_t(done), int64_t(n))) userCancelled = cancelled = true;
        }
    }
    for (auto& w : pool) w.join();
    if (!failure.empty()) throw std::runtime_error(failure);
    if (userCancelled || (o.progress && !o.progress(int64_t(n), int64_t(n))))
        throw DataError(id, "cancelled while reading the texts");

    Dataset ds;
    ds.id = id;
    ds.classNames = classNames;
    ds.maxTokens = o.maxTokens;
    for (DatasetSplit* s : {&ds.train, &ds.test}) s->tokenOffsets.push_back(0);
    std::unordered_map<std::string, uint32_t> corpusIds;
    std::vector<uint32_t> toCorpus;
    for (size_t c = 0; c < chunks; ++c) {
        Chunk& part = parts[c];
        toCorpus.resize(part.words.size());
        for (size_t w = 0; w < part.words.size(); ++w) {
            auto [it, added] = corpusIds.try_emplace(part.words[w], uint32_t(ds.corpusTokens.size()));
            if (added) ds.corpusTokens.push_back(std::move(part.words[w]));
            toCorpus[w] = it->second;
        }
        for (size_t i = 0; i < part.docs.size(); ++i) {
            TextDocument& doc = documents[c * kChunk + i];
            Tokenized& t = part.docs[i];
            std::string source = doc.source.empty() ? doc.path : doc.source;
            if (!t.problem.empty()) {
                if (o.strict) throw DataError(source, t.problem + " (strict: no text may be skipped)");
                ds.skipped.push_back({std::move(source), std::move(t.problem)});
                continue;
            }
            DatasetSplit& split = doc.test ? ds.test : ds.train;
            for (uint32_t local : t.localIds) split.tokens.push_back(toCorpus[local]);
            split.tokenOffsets.push_back(int64_t(split.tokens.size()));
            split.texts.push_back(std::move(t.preview));
            split.textSources.push_back(std::move(source));
            split.textTruncated.push_back(t.truncated ? 1 : 0);
            split.labels.push_back(doc.label);
        }
        part = Chunk{};
    }
    const auto counts = countPerClass(ds.train, ds.numClasses());
    for (size_t c = 0; c < counts.size(); ++c)
        if (counts[c] == 0)
            throw DataError(c < classPlaces.size() ? classPlaces[c] : classNames[c],
                            "has no readable text (class '" + classNames[c] + "')");
    return ds;
}

std::vector<std::string> exampleWords(const Dataset& ds, const DatasetSplit& split, int64_t i) {
    std::vector<std::string> words;
    for (int64_t t = split.tokenOffsets[size_t(i)]; t < split.tokenOffsets[size_t(i) + 1]; ++t)
        words.push_back(ds.corpusTokens[split.tokens[size_t(t)]]);
    return words;
}

} // namespace imblab
