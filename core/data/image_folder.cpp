// Listing, decoding and splitting an image folder; see image_folder.h.
#include "data/image_folder.h"

#include "data/decoded_cache.h"
#include "data/image_decode.h"
#include "errors.h"
#include "util/parallel_files.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>

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
    auto decode = [&](int64_t i) {
        Decoded& d = out[size_t(i)];
        try {
            d.image = resizeShorterSideAndCrop(decodeImageFile(paths[size_t(i)], o.imageSize), o.imageSize);
        } catch (const DataError& e) {
            d.reason = std::string(e.what()).substr(e.file().size() + 2);
        } catch (const std::bad_alloc&) {
            d.reason = "out of memory while decoding";
        }
    };
    if (!forEachFileInParallel(int64_t(paths.size()), o.threads, decode, o.progress))
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
    const auto [paths, where] = listedFiles(l);
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
