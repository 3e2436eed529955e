// Text datasets by config; see text_dataset.h.
#include "data/text_dataset.h"

#include "data/dataset_loader.h"
#include "data/dataset_manifest.h"
#include "data/debian_packages.h"
#include "data/decoded_cache.h"
#include "data/spam_assassin.h"
#include "data/text_folder.h"
#include "data/text_table.h"
#include "data/word_tokenizer.h"
#include "errors.h"

#include <filesystem>

namespace imblab {

namespace {

// One hold-out for every run of a source, whatever the run's seed (as for image folders).
constexpr uint64_t kHoldOutSeed = 0;
// Changes whenever reading a source changes its words (decoding, mail bodies, package lists):
// the cached tokens of an older reader are then a miss.
constexpr int kTextReaderVersion = 2;

TextTableOptions tableOptions(const DatasetConfig& cfg) {
    TextTableOptions o;
    o.textColumn = cfg.textColumn;
    o.labelColumn = cfg.labelColumn;
    o.testFile = cfg.testPath;
    o.testSplit = cfg.testSplit;
    o.seed = kHoldOutSeed;
    return o;
}

std::string settingsOf(const DatasetConfig& cfg, const std::string& path) {
    return "text reader " + std::to_string(kTextReaderVersion) + " " + wordTokenizerVersion() + "\nid " + cfg.id + "\npath " + path + "\nmax_tokens " +
           std::to_string(cfg.maxTokens) + " strict " + std::to_string(int(cfg.strict)) + " test_split " +
           std::to_string(cfg.testSplit) + "\ntest " + cfg.testPath + "\ncolumns " + cfg.textColumn + " | " +
           cfg.labelColumn + "\nspam " + cfg.spamClasses;
}

} // namespace

TextSource listTextSource(const DatasetConfig& cfg) {
    const DatasetInfo& info = DatasetManifest::builtin().find(cfg.id);
    const std::string path = resolveDatasetFolder(cfg);
    if (info.format == "spamassassin") return listSpamAssassin(path, cfg.spamClasses, cfg.testSplit, kHoldOutSeed);
    if (info.format == "debian-packages") return readDebianPackages(path, cfg.testSplit, kHoldOutSeed);
    if (info.format != "text") throw ConfigError("dataset", "'" + cfg.id + "' is not a text dataset");
    if (path.empty())
        throw DataError(cfg.id, "no folder or table given: choose a folder of class folders of .txt files (aclImdb's layout) "
                                "or a CSV, TSV or JSON Lines table");
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return listTextFolder(path, cfg.testSplit, kHoldOutSeed);
    if (!std::filesystem::exists(path, ec)) throw DataError(path, "no such folder or table");
    return readTextTable(path, tableOptions(cfg));
}

Dataset loadTextDataset(const DatasetConfig& cfg, const std::function<bool(int64_t, int64_t)>& progress) {
    TextSource source = listTextSource(cfg);
    const std::string path = resolveDatasetFolder(cfg);
    const std::string folder = decodedCacheFolder();
    const std::string key = decodedCacheKeyOf(settingsOf(cfg, path), source.files);
    if (auto cached = readDecodedCache(folder, key)) {
        if (progress && !progress(1, 1)) throw DataError(cfg.id, "cancelled while reading the decoded cache");
        return std::move(cached->data);
    }
    TextCorpusOptions o;
    o.maxTokens = cfg.maxTokens;
    o.strict = cfg.strict;
    o.progress = progress;
    o.extract = source.extract;
    if (cfg.strict && !source.skipped.empty())
        throw DataError(source.skipped.front().path, source.skipped.front().reason + " (strict: nothing may be skipped)");
    Dataset ds = tokenizeDocuments(cfg.id, source.classNames, source.classPlaces, std::move(source.documents), o);
    ds.skipped.insert(ds.skipped.begin(), source.skipped.begin(), source.skipped.end());
    ImageFolderData entry;
    entry.data = std::move(ds);
    entry.skipped = entry.data.skipped;
    writeDecodedCache(folder, key, entry);
    return std::move(entry.data);
}

VocabularyOptions vocabularyOptions(const DatasetConfig& cfg) { return {cfg.vocabSize, cfg.minCount}; }

} // namespace imblab
