// Opening a set to stream; see streamed_images.h.
#include "data/streamed_images.h"

#include "data/example_decode.h"
#include "data/image_crops.h"
#include "errors.h"
#include "util/parallel_files.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace imblab {

namespace {

// The header of every file costs one read of its first bytes, not a decode.
constexpr int64_t kHeaderBytes = 64 * 1024;

std::string gigabytes(double bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f GB", bytes / 1e9);
    return buf;
}

// The file's size and channels from its header; DataError when it is unreadable.
ImageSize probeImageFile(const std::string& path) {
    const std::vector<uint8_t> head = readImageFileBytes(path, kHeaderBytes);
    try {
        return imageSizeOf(path, head);
    } catch (const DataError&) {
        if (int64_t(head.size()) < kHeaderBytes) throw;
        return imageSizeOf(path, readImageFileBytes(path));  // a header longer than the first bytes (a large EXIF block)
    }
}

} // namespace

int64_t physicalMemoryBytes() {
    const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGE_SIZE);
    return pages > 0 && pageSize > 0 ? int64_t(pages) * pageSize : 0;
}

PipelineChoice chooseImagePipeline(const std::string& setting, int64_t images, int channels, int size, int64_t memoryBytes) {
    const double bytes = double(images) * channels * size * size;
    const std::string decodedSize = std::to_string(images) + " images at " + std::to_string(size) + " px decoded would take " +
                                    gigabytes(bytes);
    if (setting == "stream") return {true, "stream (chosen by hand; " + decodedSize + ")"};
    if (setting == "decoded") return {false, "decoded in memory (chosen by hand; " + decodedSize + ")"};
    if (setting != "auto") throw ConfigError("dataset.pipeline", "must be auto, decoded or stream, not '" + setting + "'");
    if (memoryBytes > 0 && bytes > double(memoryBytes) / 4)
        return {true, "stream: " + decodedSize + ", over a quarter of this machine's " + gigabytes(double(memoryBytes)) +
                          " memory"};
    return {false, "decoded in memory: " + decodedSize +
                       (memoryBytes > 0 ? ", within a quarter of this machine's " + gigabytes(double(memoryBytes)) + " memory" : "")};
}

int evaluationResize(int size, int resize) { return resize > 0 ? resize : int(std::lround(size * 256.0 / 224.0)); }

Dataset streamListing(const ClassFolderListing& l, const ImageFolderOptions& o, int evalResize) {
    const auto [paths, where] = listedFiles(l);
    std::vector<ImageSize> sizes(paths.size());
    std::vector<std::string> reasons(paths.size());
    auto probe = [&](int64_t i) {
        try {
            sizes[size_t(i)] = probeImageFile(paths[size_t(i)]);
        } catch (const DataError& e) {
            reasons[size_t(i)] = std::string(e.what()).substr(e.file().size() + 2);
        }
    };
    if (!forEachFileInParallel(int64_t(paths.size()), o.threads, probe, o.progress))
        throw DataError("image folder", "cancelled while checking the files");

    Dataset ds;
    ds.id = "folder";
    ds.classNames = l.classNames;
    bool anyColour = false;
    for (size_t i = 0; i < paths.size(); ++i) {
        if (!reasons[i].empty()) {
            if (o.strict) throw DataError(paths[i], reasons[i] + " (strict: no file may be skipped)");
            ds.skipped.push_back({paths[i], reasons[i]});
            continue;
        }
        anyColour = anyColour || sizes[i].channels == 3;
        DatasetSplit& split = where[i].second ? ds.test : ds.train;
        split.files.push_back(paths[i]);
        split.labels.push_back(where[i].first);
    }
    ds.channels = o.channels ? o.channels : (anyColour ? 3 : 1);
    ds.height = ds.width = o.imageSize;

    // Mean and std over a sample of training images spread evenly over the listing, summed in
    // the decoded path's order (data/image_folder.cpp), so a small set gets its numbers exactly.
    // A sampled file that does not decode joins the skipped ones.
    const int64_t n = ds.train.size(), step = std::max<int64_t>(1, (n + kStreamStatsImages - 1) / kStreamStatsImages);
    std::vector<int64_t> sample;
    for (int64_t i = 0; i < n; i += step) sample.push_back(i);
    const int size = o.imageSize;
    const size_t plane = size_t(size) * size_t(size), bytesPerImage = plane * size_t(ds.channels);
    std::vector<uint8_t> pixels(sample.size() * bytesPerImage);
    std::vector<std::string> failed(sample.size());
    auto decode = [&](int64_t s) {
        try {
            decodeExample(ds.train.files[size_t(sample[size_t(s)])],
                          [&](const ImageSize& is) { return centreCropAfterResize(is.width, is.height, size, evalResize); },
                          size, ds.channels, pixels.data() + size_t(s) * bytesPerImage);
        } catch (const DataError& e) {
            failed[size_t(s)] = std::string(e.what()).substr(e.file().size() + 2);
        }
    };
    if (!forEachFileInParallel(int64_t(sample.size()), o.threads, decode, o.progress))
        throw DataError("image folder", "cancelled while checking the files");
    for (size_t s = sample.size(); s-- > 0;) {
        if (failed[s].empty()) continue;
        const auto i = size_t(sample[s]);
        if (o.strict) throw DataError(ds.train.files[i], failed[s] + " (strict: no file may be skipped)");
        ds.skipped.push_back({ds.train.files[i], failed[s]});
        ds.train.files.erase(ds.train.files.begin() + long(i));
        ds.train.labels.erase(ds.train.labels.begin() + long(i));
    }
    std::sort(ds.skipped.begin(), ds.skipped.end(), [](const SkippedFile& a, const SkippedFile& b) { return a.path < b.path; });
    const auto counts = countPerClass(ds.train, ds.numClasses());
    for (size_t c = 0; c < counts.size(); ++c)
        if (counts[c] == 0)
            throw DataError(l.classPlaces[c], "has no readable image (" + std::to_string(l.trainFiles[c].size()) + " skipped)");

    std::vector<double> sum(size_t(ds.channels), 0.0), sumSq(size_t(ds.channels), 0.0);
    size_t decoded = 0;
    for (size_t s = 0; s < sample.size(); ++s) {
        if (!failed[s].empty()) continue;
        ++decoded;
        for (size_t p = 0; p < plane; ++p)
            for (int c = 0; c < ds.channels; ++c) {
                const uint8_t v = pixels[s * bytesPerImage + size_t(c) * plane + p];
                sum[size_t(c)] += v / 255.0;
                sumSq[size_t(c)] += (v / 255.0) * (v / 255.0);
            }
    }
    const double count = double(decoded * plane);
    for (int c = 0; c < ds.channels; ++c) {
        const double mean = sum[size_t(c)] / count;
        ds.mean.push_back(mean);
        ds.std.push_back(std::max(1e-3, std::sqrt(std::max(0.0, sumSq[size_t(c)] / count - mean * mean))));
    }
    return ds;
}

} // namespace imblab
