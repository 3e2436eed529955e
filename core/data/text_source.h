// What a text source (folder, table, built-in corpus) hands on to be tokenized: its classes, where
// each class comes from (for errors), its documents (a file to read, or the text itself), and
// what it left out before any text was read.
#pragma once

#include "data/dataset.h"
#include "data/text_corpus.h"

#include <functional>
#include <string>
#include <vector>

namespace imblab {

struct TextSource {
    std::vector<std::string> classNames, classPlaces;
    std::vector<TextDocument> documents;
    std::vector<SkippedFile> skipped;
    // A document's file bytes → its text bytes, for sources whose files are not plain text (a
    // SpamAssassin JSON mail → its body); sets the problem and returns "" for one that cannot be
    // used. Empty: the file is the text.
    std::function<std::string(const std::string& bytes, std::string& problem)> extract;
    // The files the source read or will read, for the tokenized-text cache's key.
    std::vector<std::string> files;
};

// Per class, the documents of each split (what a count preview shows before tokenizing).
std::vector<int64_t> documentCounts(const TextSource& source, bool test);

} // namespace imblab
