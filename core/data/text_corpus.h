// Documents of every text source (folder, table, built-in corpus) made into a dataset: each text
// read (from its file, or as the source already has it), decoded (data/text_decode.h), split into
// words (data/word_tokenizer.h) on a pool of threads, and its words stored as ids into one
// corpus of distinct words. Corpus ids follow the words' first appearance in document order,
// whatever the number of threads. The vocabulary a model sees is made later, from the training
// split alone (data/vocabulary.h).
#pragma once

#include "data/dataset.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace imblab {

struct TextDocument {
    std::string path;    // a file to read; empty when `text` is given
    std::string text;    // the bytes as the source has them (a table cell, a mail body)
    std::string source;  // where it comes from, for skip lists and the app ("file:line"); empty = path
    int64_t label = 0;
    bool test = false;
};

struct TextCorpusOptions {
    int maxTokens = 256;      // words kept per document (the first ones)
    int threads = 0;          // 0 = all cores
    bool strict = false;      // an unreadable document is an error instead of a skip
    // Called from the calling thread as documents finish (done, total); false cancels (DataError).
    std::function<bool(int64_t done, int64_t total)> progress;
    // A read file's bytes → its text (data/text_source.h); empty: the file is the text.
    std::function<std::string(const std::string& bytes, std::string& problem)> extract;
};

// The characters of a document's text kept for display (the app's sample strip and drill-down).
constexpr size_t kTextPreviewBytes = 2000;

// A dataset with id `id`, the given classes, both splits tokenized (in document order) and the
// unreadable documents in `skipped` (in source order). DataError naming `classPlaces[c]` when
// class c keeps no readable training text; DataError naming the document with --strict.
Dataset tokenizeDocuments(const std::string& id, const std::vector<std::string>& classNames,
                          const std::vector<std::string>& classPlaces, std::vector<TextDocument> documents,
                          const TextCorpusOptions& options);

// The tokens of example i as strings (tests and the app's tooltips).
std::vector<std::string> exampleWords(const Dataset& ds, const DatasetSplit& split, int64_t i);

} // namespace imblab
