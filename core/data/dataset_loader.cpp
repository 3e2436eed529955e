// Dataset loading by manifest format, and the imbalance step applied to the training split.
#include "data/dataset_loader.h"

#include "data/blobs.h"
#include "data/cifar_reader.h"
#include "data/csv_table.h"
#include "data/decoded_cache.h"
#include "data/dataset_manifest.h"
#include "data/idx_reader.h"
#include "data/image_folder.h"
#include "data/image_list.h"
#include "data/inat_json.h"
#include "data/streamed_images.h"
#include "data/tiny_imagenet.h"
#include "data/text_dataset.h"
#include "errors.h"

#include <algorithm>
#include <filesystem>

namespace imblab {
namespace {

ImageFolderOptions folderOptions(const DatasetConfig& cfg) {
    ImageFolderOptions o;
    o.imageSize = cfg.imageSize;
    o.channels = cfg.channels;
    o.testSplit = cfg.testSplit;
    // One hold-out for every run of a folder, whatever the run's seed: seeds of one setting are
    // then compared on the same test files.
    o.seed = 0;
    o.strict = cfg.strict;
    o.cacheFolder = decodedCacheFolder();
    return o;
}

ImageListSource listSource(const DatasetConfig& cfg) {
    return {cfg.path, cfg.root, cfg.testPath, cfg.classNamesFile};
}

CsvTableOptions csvOptions(const DatasetConfig& cfg) {
    CsvTableOptions o;
    o.labelColumn = cfg.labelColumn;
    o.testFile = cfg.testPath;
    o.testSplit = cfg.testSplit;
    o.seed = 0;  // as for folders: one hold-out for every seed of a setting
    return o;
}

BlobsSpec blobsSpec(const DatasetConfig& cfg) {
    BlobsSpec spec;
    spec.numClasses = cfg.blobsClasses;
    spec.perClass = cfg.blobsPerClass;
    spec.testPerClass = cfg.blobsPerClass;
    spec.spread = cfg.blobsSpread;
    spec.separation = cfg.blobsSeparation;
    spec.seed = cfg.seed;
    return spec;
}

DatasetSplit readIdxSplit(const std::string& folder, const DatasetInfo& info, const std::string& role,
                          int numClasses) {
    const std::string imagesPath = findIdxFile(folder, info.files.at(role + "_images"));
    const std::string labelsPath = findIdxFile(folder, info.files.at(role + "_labels"));
    IdxImages images = readIdxImages(imagesPath);
    if (info.shape.size() == 3 && (images.rows != info.shape[1] || images.cols != info.shape[2]))
        throw DataError(imagesPath, "images are " + std::to_string(images.rows) + "x" + std::to_string(images.cols) +
                                        ", expected " + std::to_string(info.shape[1]) + "x" +
                                        std::to_string(info.shape[2]) + " for " + info.name);
    std::vector<int64_t> labels = readIdxLabels(labelsPath);
    if (int64_t(labels.size()) != images.count)
        throw DataError(labelsPath, "holds " + std::to_string(labels.size()) + " labels but " + imagesPath + " holds " +
                                        std::to_string(images.count) + " images");
    for (size_t i = 0; i < labels.size(); ++i)
        if (labels[i] >= numClasses)
            throw DataError(labelsPath, "label " + std::to_string(labels[i]) + " at index " + std::to_string(i) +
                                            " is out of range 0.." + std::to_string(numClasses - 1));
    DatasetSplit split;
    split.images = std::move(images.pixels);
    split.labels = std::move(labels);
    return split;
}

// The new index of each class when `order` reorders `names`; ConfigError naming the field when
// `order` is not the classes in some order.
std::vector<int64_t> classPermutation(const std::vector<std::string>& names, const std::vector<std::string>& order) {
    std::string all;
    for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
    std::vector<int64_t> newIndex(names.size(), -1);
    for (size_t i = 0; i < order.size(); ++i) {
        const auto it = std::find(names.begin(), names.end(), order[i]);
        if (it == names.end())
            throw ConfigError("dataset.class_order", "names '" + order[i] + "', which is not a class (classes: " + all + ")");
        if (newIndex[size_t(it - names.begin())] >= 0)
            throw ConfigError("dataset.class_order", "names '" + order[i] + "' twice");
        newIndex[size_t(it - names.begin())] = int64_t(i);
    }
    for (size_t c = 0; c < names.size(); ++c)
        if (newIndex[c] < 0) throw ConfigError("dataset.class_order", "leaves out class '" + names[c] + "' (classes: " + all + ")");
    return newIndex;
}

void applyClassOrder(Dataset& ds, const std::vector<std::string>& order) {
    if (order.empty()) return;
    const auto newIndex = classPermutation(ds.classNames, order);
    for (DatasetSplit* s : {&ds.train, &ds.test})
        for (int64_t& y : s->labels) y = newIndex[size_t(y)];
    ds.classNames = order;
}

void requireEveryClass(const DatasetSplit& split, int numClasses, const std::string& where) {
    const auto counts = countPerClass(split, numClasses);
    for (int c = 0; c < numClasses; ++c)
        if (counts[size_t(c)] == 0)
            throw DataError(where, "class " + std::to_string(c) + " has no example in this split");
}

// The source's data as it is (no class order applied).
Dataset loadSource(const DatasetConfig& cfg, const DatasetInfo& info, const LoadProgress& progress);

// The files per class of an image source listed file by file (a folder, a list file, an
// iNaturalist annotation file, Tiny ImageNet), before any is decoded.
ImageFolderListing listImages(const DatasetConfig& cfg, const DatasetInfo& info) {
    const ImageFolderOptions o = folderOptions(cfg);
    if (info.format == "image-folder") {
        if (cfg.path.empty()) throw DataError(info.id, "no folder given: choose an image folder (one folder per class)");
        return listImageFolder(cfg.path, o);
    }
    if (info.format == "image-list") {
        if (cfg.path.empty()) throw DataError(info.id, "no list file given: choose a file of 'relative/path label' lines");
        return listImageList(listSource(cfg), o);
    }
    validateDecodeOptions(o);
    if (info.format == "inat-json") return listInatJson({cfg.path, cfg.testPath, cfg.root}, o.testSplit, o.seed);
    if (info.format == "tiny-imagenet") {
        if (cfg.path.empty()) throw DataError(info.id, "no folder given: choose the tiny-imagenet-200 folder");
        return listTinyImageNet(cfg.path);
    }
    throw ConfigError("dataset", "'" + cfg.id + "' is not an image source listed by file");
}

} // namespace

std::string resolveDatasetFolder(const DatasetConfig& cfg) {
    if (!cfg.path.empty()) return cfg.path;
    const DatasetInfo& info = DatasetManifest::builtin().find(cfg.id);
    return info.defaultPath;
}

ImbalanceSpec imbalanceSpec(const DatasetConfig& cfg) {
    ImbalanceSpec spec;
    spec.kind = parseProfile(cfg.profile);
    spec.rho = cfg.rho;
    spec.mu = cfg.mu;
    spec.seed = cfg.seed;
    spec.shuffleClasses = cfg.shuffleClasses;
    return spec;
}

Dataset loadDataset(const DatasetConfig& cfg, const LoadProgress& progress) {
    const DatasetInfo& info = DatasetManifest::builtin().find(cfg.id);
    Dataset ds = loadSource(cfg, info, progress);
    if (info.isOwnData()) applyClassOrder(ds, cfg.classOrder);
    else if (!cfg.classOrder.empty())
        throw ConfigError("dataset.class_order", info.name + " has fixed classes: reorder your own data's (folders, lists, tables, texts)");
    return ds;
}

namespace {

Dataset loadSource(const DatasetConfig& cfg, const DatasetInfo& info, const LoadProgress& progress) {
    if (info.format == "blobs") return makeBlobs(blobsSpec(cfg));
    if (info.isText()) return loadTextDataset(cfg, progress);

    const std::string folder = resolveDatasetFolder(cfg);
    if (folder.empty())
        throw DataError(info.id, info.format == "image-list" ? "no list file given: choose a file of 'relative/path label' lines"
                                 : info.format == "csv"  ? "no table given: choose a CSV file with a header row"
                                 : info.format == "inat-json" ? "no annotation file given: choose train2018.json (or another year's)"
                                                         : "no folder given: choose the folder holding " + info.name);
    if (info.isImageListing()) {
        ImageFolderOptions o = folderOptions(cfg);
        o.progress = progress;
        const ImageFolderListing listing = listImages(cfg, info);
        int64_t files = 0;
        for (const auto* split : {&listing.trainFiles, &listing.testFiles})
            for (const auto& c : *split) files += int64_t(c.size());
        const PipelineChoice choice =
            chooseImagePipeline(cfg.pipeline, files, o.channels ? o.channels : 3, o.imageSize, physicalMemoryBytes());
        Dataset ds = choice.stream ? streamListing(listing, o, evaluationResize(cfg.imageSize, cfg.resize))
                                   : decodeListingCached(listing, o).data;
        ds.id = info.id;
        ds.pipelineNote = choice.note;
        return ds;
    }
    if (info.format == "csv") return loadCsvTable(folder, csvOptions(cfg));
    if (!std::filesystem::exists(folder)) {
        std::string hint = info.debianPackage.empty()
                               ? "choose the folder that holds it (--data DIR)"
                               : "install the Debian package '" + info.debianPackage +
                                     "' (sudo apt-get install " + info.debianPackage + ") or choose a folder (--data DIR)";
        throw DataError(folder, info.name + " not found: " + hint);
    }

    Dataset ds;
    ds.id = info.id;
    ds.classNames = info.classNames;
    ds.channels = info.shape.at(0);
    ds.height = info.shape.at(1);
    ds.width = info.shape.at(2);
    ds.mean = info.mean;
    ds.std = info.std;
    const int k = int(info.classNames.size());
    if (info.format == "idx") {
        ds.train = readIdxSplit(folder, info, "train", k);
        ds.test = readIdxSplit(folder, info, "test", k);
    } else if (info.format == "cifar10-bin" || info.format == "cifar100-bin") {
        CifarDataset c = info.format == "cifar10-bin" ? readCifar10(folder) : readCifar100(folder);
        ds.train = std::move(c.train.split);
        ds.test = std::move(c.test.split);
        if (!c.classNames.empty()) ds.classNames = c.classNames;
    } else {
        throw ConfigError("dataset", "unsupported format '" + info.format + "' for " + info.id);
    }
    requireEveryClass(ds.train, k, folder + " (training split)");
    return ds;
}

} // namespace

CountPreview previewCounts(const DatasetConfig& cfg) {
    const DatasetInfo& info = DatasetManifest::builtin().find(cfg.id);
    CountPreview preview;
    std::vector<int64_t> available;
    if (info.format == "blobs") {
        const Dataset probe = makeBlobs([&] { auto s = blobsSpec(cfg); s.perClass = s.testPerClass = 1; return s; }());
        preview.classNames = probe.classNames;
        preview.nMax = cfg.blobsPerClass;
        available.assign(preview.classNames.size(), cfg.blobsPerClass);
    } else if (info.isImageListing()) {
        // The files per class, listed without decoding (unreadable ones still count here).
        const ImageFolderListing l = listImages(cfg, info);
        preview.classNames = l.classNames;
        for (const auto& files : l.trainFiles) available.push_back(int64_t(files.size()));
        preview.nMax = *std::max_element(available.begin(), available.end());
    } else if (info.isText()) {
        // The documents per class as listed (a text that turns out unreadable still counts here).
        const TextSource source = listTextSource(cfg);
        preview.classNames = source.classNames;
        available = documentCounts(source, false);
        preview.nMax = *std::max_element(available.begin(), available.end());
    } else if (info.format == "csv") {
        // A table has no cheaper listing than reading it; tables are small next to images.
        if (cfg.path.empty()) throw DataError(info.id, "no table given: choose a CSV file with a header row");
        const Dataset table = loadCsvTable(cfg.path, csvOptions(cfg));
        preview.classNames = table.classNames;
        available = countPerClass(table.train, table.numClasses());
        preview.nMax = *std::max_element(available.begin(), available.end());
    } else {
        preview.classNames = info.classNames;
        preview.nMax = info.nMax;
        available = info.trainCounts;
    }
    if (info.isOwnData() && !cfg.classOrder.empty()) {
        const auto newIndex = classPermutation(preview.classNames, cfg.classOrder);
        std::vector<int64_t> reordered(available.size());
        for (size_t c = 0; c < available.size(); ++c) reordered[size_t(newIndex[c])] = available[c];
        available = std::move(reordered);
        preview.classNames = cfg.classOrder;
    }
    preview.classCounts = ImbalanceProfile(imbalanceSpec(cfg)).classCounts(preview.nMax, available);
    preview.minority = minorityClasses(preview.classCounts);
    return preview;
}

KeptSubset keptSubset(const Dataset& full, const DatasetConfig& cfg) {
    const DatasetInfo& info = DatasetManifest::builtin().find(cfg.id);
    KeptSubset out;
    // n_max is the original per-class count (PRODUCT.md §1), from the manifest for known image
    // datasets; classes with fewer examples are capped at what they have.
    // A folder's own data: n_max is its largest class (profile none keeps its natural long tail).
    const auto available = countPerClass(full.train, full.numClasses());
    out.nMax = info.format == "blobs" ? cfg.blobsPerClass
               : info.isOwnData()     ? *std::max_element(available.begin(), available.end())
                                      : info.nMax;
    const ImbalanceProfile profile(imbalanceSpec(cfg));
    out.classCounts = profile.classCounts(out.nMax, available);
    out.indices = profile.drawSubset(full.train.labels, out.classCounts);
    return out;
}

ImbalancedData makeImbalanced(Dataset full, const DatasetConfig& cfg) {
    KeptSubset kept = keptSubset(full, cfg);
    ImbalancedData out;
    out.nMax = kept.nMax;
    out.classCounts = std::move(kept.classCounts);
    out.keptIndices = std::move(kept.indices);
    full.train = selectExamples(full.train, full.sampleSize(), out.keptIndices);
    out.data = std::move(full);
    return out;
}

} // namespace imblab
