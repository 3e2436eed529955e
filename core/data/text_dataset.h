// A text dataset from its config: the source (id "text": a folder of .txt files or a table, by
// what the path is; "spamassassin"; "debian-packages"), tokenized (data/text_corpus.h) through
// the decoded cache (data/decoded_cache.h), keyed by every file read and the settings that
// change the words.
#pragma once

#include "api/experiment_config.h"
#include "data/dataset.h"
#include "data/text_source.h"
#include "data/vocabulary.h"

#include <cstdint>
#include <functional>
#include <string>

namespace imblab {

// The source's classes and documents before any text is read (a table's and the package
// lists' texts come with them). DataError naming the file or folder for a structural problem.
TextSource listTextSource(const DatasetConfig& cfg);

// Reads, decodes and tokenizes every document (or reads the cache). `progress` as for image
// folders (dataset_loader.h): (done, total), false cancels.
Dataset loadTextDataset(const DatasetConfig& cfg, const std::function<bool(int64_t, int64_t)>& progress = {});

VocabularyOptions vocabularyOptions(const DatasetConfig& cfg);

} // namespace imblab
