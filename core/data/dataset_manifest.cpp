// Parses the dataset manifest; the built-in copy comes from datasets/manifest.json.
#include "data/dataset_manifest.h"

#include "errors.h"
#include "util/embedded_resources.h"

#include <nlohmann/json.hpp>

namespace imblab {

using nlohmann::json;

DatasetManifest DatasetManifest::parse(const std::string& text, const std::string& source) {
    DatasetManifest manifest;
    try {
        const json doc = json::parse(text);
        for (const json& d : doc.at("datasets")) {
            DatasetInfo info;
            info.id = d.at("id").get<std::string>();
            info.name = d.at("name").get<std::string>();
            info.format = d.at("format").get<std::string>();
            info.defaultPath = d.value("default_path", "");
            info.debianPackage = d.value("debian_package", "");
            info.npmPackage = d.value("npm_package", "");
            if (d.contains("files"))
                info.files = d.at("files").get<std::map<std::string, std::string>>();
            info.classNames = d.at("class_names").get<std::vector<std::string>>();
            info.shape = d.at("shape").get<std::vector<int>>();
            info.mean = d.at("mean").get<std::vector<double>>();
            info.std = d.at("std").get<std::vector<double>>();
            info.nMax = d.at("n_max").get<int64_t>();
            const json& counts = d.at("train_counts");
            if (counts.is_string())  // "uniform": n_max of every class
                info.trainCounts.assign(info.classNames.size(), info.nMax);
            else
                info.trainCounts = counts.get<std::vector<int64_t>>();
            manifest.datasets_.push_back(std::move(info));
        }
    } catch (const json::exception& e) {
        throw DataError(source, std::string("not a valid dataset manifest: ") + e.what());
    }
    return manifest;
}

const DatasetManifest& DatasetManifest::builtin() {
    static const DatasetManifest manifest =
        parse(embeddedResource("datasets/manifest.json"), "datasets/manifest.json (built in)");
    return manifest;
}

const DatasetInfo& DatasetManifest::find(const std::string& id) const {
    for (const auto& d : datasets_)
        if (d.id == id) return d;
    std::string known;
    for (const auto& d : datasets_) known += (known.empty() ? "" : ", ") + d.id;
    throw ConfigError("dataset", "unknown dataset '" + id + "' (known: " + known + ")");
}

std::vector<std::string> DatasetManifest::ids() const {
    std::vector<std::string> out;
    for (const auto& d : datasets_) out.push_back(d.id);
    return out;
}

bool isOwnDataId(const std::string& id) {
    for (const auto& d : DatasetManifest::builtin().datasets())
        if (d.id == id) return d.isOwnData();
    return false;
}

bool isTextDatasetId(const std::string& id) {
    for (const auto& d : DatasetManifest::builtin().datasets())
        if (d.id == id) return d.isText();
    return false;
}

} // namespace imblab
