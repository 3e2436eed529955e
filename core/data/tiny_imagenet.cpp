// Tiny ImageNet's layout; see tiny_imagenet.h.
#include "data/tiny_imagenet.h"

#include "data/csv_records.h"
#include "data/image_folder.h"
#include "errors.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace imblab {

namespace fs = std::filesystem;

namespace {

std::string trimmed(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// wnid → its first name in words.txt ("n01443537<TAB>goldfish, Carassius auratus").
std::map<std::string, std::string> readWords(const fs::path& file) {
    std::map<std::string, std::string> names;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        const auto tab = line.find('\t');
        if (tab == std::string::npos) continue;
        const std::string all = trimmed(line.substr(tab + 1));
        names[trimmed(line.substr(0, tab))] = trimmed(all.substr(0, all.find(',')));
    }
    return names;
}

} // namespace

ClassFolderListing listTinyImageNet(const std::string& dirText) {
    const fs::path dir(dirText);
    std::error_code ec;
    if (!fs::is_directory(dir / "train", ec))
        throw DataError(dirText, "has no train/ folder (Tiny ImageNet unpacks as tiny-imagenet-200/ with train/, val/, test/)");
    // train/<wnid>/images/*.JPEG (the <wnid>_boxes.txt beside images/ is no image).
    ClassFolderListing l = listClassFolders((dir / "train").string(), {hasImageExtension, "image files (.JPEG)", {}});
    const auto words = readWords(dir / "words.txt");
    std::vector<std::string> wnids = l.classNames;
    for (auto& name : l.classNames)
        if (const auto it = words.find(name); it != words.end() && !it->second.empty()) name = it->second;
    l.ownSplits = true;
    l.testFiles.assign(wnids.size(), {});
    const fs::path annotations = dir / "val" / "val_annotations.txt";
    if (!fs::is_regular_file(annotations, ec))
        throw DataError(annotations.string(), "missing: Tiny ImageNet's labelled test split (val/images) is named there");
    std::ifstream in(annotations);
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (trimmed(line).empty()) continue;
        std::istringstream fields(line);
        std::string file, wnid;
        std::getline(fields, file, '\t');
        std::getline(fields, wnid, '\t');
        file = trimmed(file);
        wnid = trimmed(wnid);
        const std::string where = tablePlace(annotations.string(), number);
        if (file.empty() || wnid.empty()) throw DataError(where, "expected 'file<TAB>wnid<TAB>box', found '" + trimmed(line) + "'");
        const auto at = std::lower_bound(wnids.begin(), wnids.end(), wnid);
        if (at == wnids.end() || *at != wnid) throw DataError(where, "names wnid '" + wnid + "', which train/ has no folder for");
        l.testFiles[size_t(at - wnids.begin())].push_back((dir / "val" / "images" / file).string());
    }
    for (auto& files : l.testFiles) std::sort(files.begin(), files.end());
    return l;
}

} // namespace imblab
