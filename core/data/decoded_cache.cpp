// The decoded-dataset cache; see decoded_cache.h.
#include "data/decoded_cache.h"

#include "errors.h"
#include "util/sha256.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <system_error>

namespace imblab {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'I', 'M', 'B', 'L', 'A', 'B', 'D', 'C'};
constexpr uint32_t kFormatVersion = 3;  // 2: texts (tokens, corpus, previews); 3: the float resampler
const char* const kSuffix = ".decoded";

std::mutex folderMutex;
std::optional<std::string> folderOverride;

std::string defaultFolder() {
    if (const char* dir = std::getenv("IMBLAB_CACHE_DIR")) return std::string(dir) == "off" ? std::string() : std::string(dir);
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return (fs::path(xdg) / "imblab" / "decoded").string();
    if (const char* home = std::getenv("HOME"); home && *home) return (fs::path(home) / ".cache" / "imblab" / "decoded").string();
    return {};
}

// Plain little-endian records: the cache is read back only by this build family on this machine.
class Writer {
public:
    explicit Writer(std::ofstream& out) : out_(out) {}
    void u64(uint64_t v) { out_.write(reinterpret_cast<const char*>(&v), sizeof v); }
    void str(const std::string& s) {
        u64(s.size());
        out_.write(s.data(), std::streamsize(s.size()));
    }
    template <typename T>
    void vec(const std::vector<T>& v) {
        u64(v.size());
        if (!v.empty()) out_.write(reinterpret_cast<const char*>(v.data()), std::streamsize(v.size() * sizeof(T)));
    }

private:
    std::ofstream& out_;
};

class Reader {
public:
    Reader(std::ifstream& in, uint64_t size) : in_(in), left_(size) {}
    bool u64(uint64_t& v) { return take(&v, sizeof v); }
    bool str(std::string& s) {
        uint64_t n = 0;
        if (!u64(n) || n > left_) return false;
        s.resize(size_t(n));
        return take(s.data(), size_t(n));
    }
    template <typename T>
    bool vec(std::vector<T>& v) {
        uint64_t n = 0;
        if (!u64(n) || n > left_ / sizeof(T)) return false;  // a damaged length cannot allocate wildly
        v.resize(size_t(n));
        return n == 0 || take(v.data(), size_t(n) * sizeof(T));
    }

private:
    bool take(void* p, size_t n) {
        if (n > left_ || !in_.read(static_cast<char*>(p), std::streamsize(n))) return false;
        left_ -= n;
        return true;
    }
    std::ifstream& in_;
    uint64_t left_;
};

void writeStrings(Writer& w, const std::vector<std::string>& v) {
    w.u64(v.size());
    for (const auto& s : v) w.str(s);
}

bool readStrings(Reader& r, std::vector<std::string>& v) {
    uint64_t n = 0;
    if (!r.u64(n) || n > 100000000) return false;
    v.resize(size_t(n));
    for (auto& s : v)
        if (!r.str(s)) return false;
    return true;
}

void writeSplit(Writer& w, const DatasetSplit& s) {
    w.vec(s.images);
    w.vec(s.labels);
    w.vec(s.tokens);
    w.vec(s.tokenOffsets);
    writeStrings(w, s.texts);
    writeStrings(w, s.textSources);
    w.vec(s.textTruncated);
}

bool readSplit(Reader& r, DatasetSplit& s) {
    return r.vec(s.images) && r.vec(s.labels) && r.vec(s.tokens) && r.vec(s.tokenOffsets) && readStrings(r, s.texts) &&
           readStrings(r, s.textSources) && r.vec(s.textTruncated);
}

// A text split read back is whole: an offset per example (plus one), rising, ending at the token
// count, every token an id of the corpus, one text, source and flag per example.
bool textSplitIsWhole(const DatasetSplit& s, size_t corpusSize) {
    const size_t n = s.labels.size();
    if (s.tokenOffsets.size() != n + 1 || s.texts.size() != n || s.textSources.size() != n || s.textTruncated.size() != n)
        return false;
    if (s.tokenOffsets.front() != 0 || s.tokenOffsets.back() != int64_t(s.tokens.size())) return false;
    for (size_t i = 0; i < n; ++i)
        if (s.tokenOffsets[i] > s.tokenOffsets[i + 1]) return false;
    for (uint32_t t : s.tokens)
        if (t >= corpusSize) return false;
    return true;
}

// Oldest entries out until the folder holds at most the limit.
void trim(const fs::path& folder) {
    std::vector<std::pair<fs::file_time_type, fs::path>> entries;
    uintmax_t total = 0;
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() != kSuffix) continue;
        std::error_code e;
        total += it->file_size(e);
        entries.emplace_back(it->last_write_time(e), it->path());
    }
    std::sort(entries.begin(), entries.end());
    for (const auto& [time, path] : entries) {
        if (total <= uintmax_t(kDecodedCacheLimitBytes)) break;
        std::error_code e;
        const uintmax_t size = fs::file_size(path, e);
        if (fs::remove(path, e)) total -= size;
    }
}

} // namespace

std::string decodedCacheFolder() {
    std::lock_guard<std::mutex> lock(folderMutex);
    return folderOverride ? *folderOverride : defaultFolder();
}

void setDecodedCacheFolder(const std::string& folder) {
    std::lock_guard<std::mutex> lock(folderMutex);
    folderOverride = folder;
}

std::string decodedCacheKey(const ImageFolderListing& l, const ImageFolderOptions& o) {
    Sha256 h;
    h.update("imblab decoded v" + std::to_string(kFormatVersion) + "\nsize " + std::to_string(o.imageSize) + " channels " +
             std::to_string(o.channels) + " strict " + std::to_string(int(o.strict)) + "\n");
    for (const auto& name : l.classNames) h.update(name + "\n");
    for (int test = 0; test < 2; ++test)
        for (size_t c = 0; c < l.classNames.size(); ++c)
            for (const auto& path : (test ? l.testFiles : l.trainFiles)[c]) {
                std::error_code ec;
                const auto size = fs::file_size(path, ec);
                const auto time = fs::last_write_time(path, ec).time_since_epoch().count();
                h.update(std::to_string(test) + " " + std::to_string(c) + " " + path + " " + std::to_string(size) + " " +
                         std::to_string(time) + "\n");
            }
    for (const auto& place : l.classPlaces) h.update(place + "\n");
    return h.hex();
}

std::string decodedCacheKeyOf(const std::string& settings, const std::vector<std::string>& files) {
    Sha256 h;
    h.update("imblab decoded v" + std::to_string(kFormatVersion) + "\n" + settings + "\n");
    for (const auto& path : files) {
        std::error_code ec;
        const auto size = fs::file_size(path, ec);
        const auto time = fs::last_write_time(path, ec).time_since_epoch().count();
        h.update(path + " " + std::to_string(size) + " " + std::to_string(time) + "\n");
    }
    return h.hex();
}

std::optional<ImageFolderData> readDecodedCache(const std::string& folder, const std::string& key) {
    if (folder.empty()) return std::nullopt;
    const fs::path path = fs::path(folder) / (key + kSuffix);
    std::error_code ec;
    const uintmax_t size = fs::file_size(path, ec);
    if (ec) return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    Reader r(in, size);
    char magic[8];
    uint64_t version = 0, channels = 0, height = 0, width = 0, ownSplits = 0, skipped = 0, maxTokens = 0;
    std::string storedKey;
    ImageFolderData out;
    Dataset& ds = out.data;
    std::vector<std::string> names;
    bool ok = in.read(magic, sizeof magic) && std::memcmp(magic, kMagic, sizeof magic) == 0 && r.u64(version) &&
              version == kFormatVersion && r.str(storedKey) && storedKey == key && r.str(ds.id) && r.u64(channels) &&
              r.u64(height) && r.u64(width) && r.u64(maxTokens) && r.vec(ds.mean) && r.vec(ds.std) && r.u64(ownSplits) &&
              r.u64(skipped);
    // The class names and skipped files are strings: a count, then each.
    uint64_t k = 0;
    ok = ok && r.u64(k) && k < 1000000;
    for (uint64_t c = 0; ok && c < k; ++c) {
        std::string name;
        ok = r.str(name);
        ds.classNames.push_back(std::move(name));
    }
    for (uint64_t i = 0; ok && i < skipped && i < 10000000; ++i) {
        SkippedFile f;
        ok = r.str(f.path) && r.str(f.reason);
        out.skipped.push_back(std::move(f));
    }
    ok = ok && readStrings(r, ds.corpusTokens) && readSplit(r, ds.train) && readSplit(r, ds.test);
    const uint64_t sample = channels * height * width;
    if (maxTokens > 0)
        ok = ok && maxTokens < 1000000 && textSplitIsWhole(ds.train, ds.corpusTokens.size()) &&
             textSplitIsWhole(ds.test, ds.corpusTokens.size());
    else
        ok = ok && sample > 0 && ds.train.images.size() == ds.train.labels.size() * sample &&
             ds.test.images.size() == ds.test.labels.size() * sample;
    if (!ok) return std::nullopt;
    ds.maxTokens = int(maxTokens);
    ds.channels = int(channels);
    ds.height = int(height);
    ds.width = int(width);
    ds.skipped = out.skipped;
    out.ownSplits = ownSplits != 0;
    out.data.fromDecodedCache = true;
    fs::last_write_time(path, fs::file_time_type::clock::now(), ec);  // recently used: trimmed last
    return out;
}

bool writeDecodedCache(const std::string& folder, const std::string& key, const ImageFolderData& d) {
    if (folder.empty()) return false;
    std::error_code ec;
    fs::create_directories(folder, ec);
    const fs::path path = fs::path(folder) / (key + kSuffix);
    const fs::path tmp = fs::path(folder) / (key + ".partial");
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) return false;
        Writer w(out);
        const Dataset& ds = d.data;
        out.write(kMagic, sizeof kMagic);
        w.u64(kFormatVersion);
        w.str(key);
        w.str(ds.id);
        w.u64(uint64_t(ds.channels));
        w.u64(uint64_t(ds.height));
        w.u64(uint64_t(ds.width));
        w.u64(uint64_t(ds.maxTokens));
        w.vec(ds.mean);
        w.vec(ds.std);
        w.u64(d.ownSplits ? 1 : 0);
        w.u64(d.skipped.size());
        w.u64(ds.classNames.size());
        for (const auto& name : ds.classNames) w.str(name);
        for (const auto& f : d.skipped) {
            w.str(f.path);
            w.str(f.reason);
        }
        writeStrings(w, ds.corpusTokens);
        writeSplit(w, ds.train);
        writeSplit(w, ds.test);
        out.flush();
        if (!out) {
            out.close();
            fs::remove(tmp, ec);
            return false;
        }
    }
    fs::rename(tmp, path, ec);
    if (ec) {
        fs::remove(tmp, ec);
        return false;
    }
    trim(folder);
    return true;
}

ImageFolderData decodeListingCached(const ImageFolderListing& l, const ImageFolderOptions& o) {
    if (o.cacheFolder.empty()) return decodeListing(l, o);
    const std::string key = decodedCacheKey(l, o);
    if (auto cached = readDecodedCache(o.cacheFolder, key)) {  // strict is in the key: no skipped file here then
        if (o.progress && !o.progress(1, 1)) throw DataError("image folder", "cancelled while reading the decoded cache");
        return std::move(*cached);
    }
    ImageFolderData data = decodeListing(l, o);
    writeDecodedCache(o.cacheFolder, key, data);
    return data;
}

} // namespace imblab
