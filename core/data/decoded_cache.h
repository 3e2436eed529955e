// Decoded image datasets (and tokenized texts) kept on disk, so the second open of a folder, a
// list file or a text source reads one file instead of decoding every image or text. The cache lives in a folder of its own (never the
// user's data folder), keyed by every listed file's path, size and modification time, the
// split and the decode settings: a changed, added or removed file, or another image size, is a
// miss. Entries are written atomically (a half-written entry never exists); a damaged one is a
// miss and is replaced; the folder is trimmed to its size limit, least recently used first.
#pragma once

#include "data/image_folder.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace imblab {

// Where decoded datasets are cached: $IMBLAB_CACHE_DIR if set ("off" turns caching off), else
// $XDG_CACHE_HOME/imblab/decoded, else ~/.cache/imblab/decoded. setDecodedCacheFolder("") turns
// it off for this process (imblab-cli --no-cache).
std::string decodedCacheFolder();
void setDecodedCacheFolder(const std::string& folder);

// The most the cache folder may hold; older entries go first when a new one would exceed it.
constexpr int64_t kDecodedCacheLimitBytes = 4LL * 1024 * 1024 * 1024;

// The key of a listing decoded with these options (SHA-256 hex). DataError naming a listed file
// that cannot be examined is not raised here: such a file only changes the key.
std::string decodedCacheKey(const ImageFolderListing& listing, const ImageFolderOptions& options);

// The key of any other source: its settings and every file it reads (path, size, modification
// time), for text sources (data/text_dataset.h).
std::string decodedCacheKeyOf(const std::string& settings, const std::vector<std::string>& files);

// The cached dataset for `key` in `folder`, or nothing (missing, another format version, damaged).
std::optional<ImageFolderData> readDecodedCache(const std::string& folder, const std::string& key);

// Stores `data` under `key`; returns false (and writes nothing) when the folder is not writable
// or the disk is full: a cache that cannot be written only costs the next open its speed.
bool writeDecodedCache(const std::string& folder, const std::string& key, const ImageFolderData& data);

// decodeListing() through the cache at options.cacheFolder (none when empty);
// data.fromDecodedCache says which way the data came.
ImageFolderData decodeListingCached(const ImageFolderListing& listing, const ImageFolderOptions& options);

} // namespace imblab
