// Listing, decoding and splitting an image folder; see image_folder.h.
#include "data/image_folder.h"

#include "data/decoded_cache.h"
#include "data/image_decode.h"
#include "errors.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

namespace imblab {

namespace fs = std::filesystem;

namespace {

struct Decoded {
    std::optional<DecodedImage> image;
    std::string reason;
};

// Decodes every path on `threads` workers; the calling thread reports progress meanwhile.
std::vector<Decoded> decodeAll(const std::vector<std::string>& paths, const ImageFolderOptions& o) {
    std::vector<Decoded> out(paths.size());
    std::atomic<size_t> next{0}, done{0};
    std::atomic<bool> cancelled{false};
    std::mutex m;
    std::condition_variable cv;
    auto work = [&] {
        for (size_t i; !cancelled && (i = next++) < paths.size();) {
            try {
                out[i].image = resizeShorterSideAndCrop(decodeImageFile(paths[i], o.imageSize), o.imageSize);
            } catch (const DataError& e) {
                out[i].reason = std::string(e.what()).substr(e.file().size() + 2);
            } catch (const std::bad_alloc&) {
                out[i].reason = "out of memory while decoding";
            }
            if (++done == paths.size()) {
                std::lock_guard<std::mutex> lock(m);
                cv.notify_all();
            }
        }
    };
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const size_t n = std::min<size_t>(paths.size(), o.threads > 0 ? size_t(o.threads) : cores);
    std::vector<std::thread> workers;
    for (size_t t = 0; t < n; ++t) workers.emplace_back(work);
    {
        std::unique_lock<std::mutex> lock(m);
        while (done < paths.size() && !cancelled) {
            cv.wait_for(lock, std::chrono::milliseconds(100));
            if (o.progress && !o.progress(int64_t(done), int64_t(paths.size()))) cancelled = true;
        }
    }
    for (auto& w : workers) w.join();
    if (cancelled) throw DataError("image folder", "cancelled while decoding");
    // A cancel that arrives with the last file is still a cancel: the caller asked for no data.
    if (o.progress && !o.progress(int64_t(paths.size()), int64_t(paths.size())))
        throw DataError("image folder", "cancelled while decoding");
    return out;
}

} // namespace

bool hasImageExtension(const std::string& path) {
    const std::string ext = lowerExtension(path);
    return ext == "png" || ext == "jpg" || ext == "jpeg" || ext == "bmp";
}

ImageFolderListing listImageFolder(const std::string& dirText, const ImageFolderOptions& o) {
    std::error_code ec;
    if (!fs::is_directory(dirText, ec)) throw DataError(dirText, "no such folder (an image folder holds one folder per class)");
    validateDecodeOptions(o);
    ImageFolderListing l = listClassFolders(dirText, {hasImageExtension, "image files (.png, .jpg, .jpeg, .bmp)", {}});
    if (!l.ownSplits) holdOutTestFiles(l, o.testSplit, o.seed);
    return l;
}

void validateDecodeOptions(const ImageFolderOptions& o) {
    if (!(o.testSplit > 0 && o.testSplit < 1)) throw ConfigError("dataset.test_split", "must lie between 0 and 1 (exclusive)");
    if (o.imageSize < 8 || o.imageSize > 512) throw ConfigError("dataset.image_size", "must lie in 8..512");
    if (o.channels != 0 && o.channels != 1 && o.channels != 3) throw ConfigError("dataset.channels", "must be 1, 3 or 0 (auto)");
}

ImageFolderData loadImageFolder(const std::string& dir, const ImageFolderOptions& o) {
    return decodeListingCached(listImageFolder(dir, o), o);
}

ImageFolderData decodeListing(const ImageFolderListing& l, const ImageFolderOptions& o) {
    std::vector<std::string> paths;
    std::vector<std::pair<int, bool>> where;  // class, is test
    for (int test = 0; test < 2; ++test)
        for (size_t c = 0; c < l.classNames.size(); ++c)
            for (const auto& p : (test ? l.testFiles : l.trainFiles)[c]) {
                paths.push_back(p);
                where.emplace_back(int(c), test == 1);
            }
    std::vector<Decoded> decoded = decodeAll(paths, o);

    ImageFolderData out;
    out.ownSplits = l.ownSplits;
    bool anyColour = false;
    for (size_t i = 0; i < paths.size(); ++i) {
        if (!decoded[i].image) {
            if (o.strict) throw DataError(paths[i], decoded[i].reason + " (strict: no file may be skipped)");
            out.skipped.push_back({paths[i], decoded[i].reason});
        } else {
            anyColour = anyColour || decoded[i].image->channels == 3;
        }
    }
    std::sort(out.skipped.begin(), out.skipped.end(), [](const SkippedFile& a, const SkippedFile& b) { return a.path < b.path; });

    Dataset& ds = out.data;
    ds.id = "folder";
    ds.classNames = l.classNames;
    ds.channels = o.channels ? o.channels : (anyColour ? 3 : 1);
    ds.height = ds.width = o.imageSize;
    const size_t plane = size_t(o.imageSize) * o.imageSize;
    std::vector<double> sum(size_t(ds.channels), 0.0), sumSq(size_t(ds.channels), 0.0);
    int64_t trainPixels = 0;
    for (size_t i = 0; i < paths.size(); ++i) {
        if (!decoded[i].image) continue;
        const DecodedImage img = withChannels(std::move(*decoded[i].image), ds.channels);
        decoded[i].image.reset();
        DatasetSplit& split = where[i].second ? ds.test : ds.train;
        const size_t at = split.images.size();
        split.images.resize(at + plane * ds.channels);
        for (size_t p = 0; p < plane; ++p)  // interleaved → channel-planar
            for (int c = 0; c < ds.channels; ++c) {
                const uint8_t v = img.pixels[p * ds.channels + c];
                split.images[at + size_t(c) * plane + p] = v;
                if (!where[i].second) {
                    sum[size_t(c)] += v / 255.0;
                    sumSq[size_t(c)] += (v / 255.0) * (v / 255.0);
                }
            }
        split.labels.push_back(where[i].first);
        if (!where[i].second) trainPixels += int64_t(plane);
    }
    const auto counts = countPerClass(ds.train, ds.numClasses());
    for (size_t c = 0; c < counts.size(); ++c)
        if (counts[c] == 0)
            throw DataError(l.classPlaces[c], "has no readable image (" + std::to_string(l.trainFiles[c].size()) + " skipped)");
    // The normalisation of the training split, as the benchmarks' published mean/std are.
    for (int c = 0; c < ds.channels; ++c) {
        const double mean = sum[size_t(c)] / double(trainPixels);
        ds.mean.push_back(mean);
        ds.std.push_back(std::max(1e-3, std::sqrt(std::max(0.0, sumSq[size_t(c)] / double(trainPixels) - mean * mean))));
    }
    ds.skipped = out.skipped;
    return out;
}

} // namespace imblab
