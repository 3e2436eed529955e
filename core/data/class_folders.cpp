// Listing class folders; see class_folders.h.
#include "data/class_folders.h"

#include "data/stratified_split.h"
#include "errors.h"

#include <algorithm>
#include <filesystem>

namespace imblab {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> subfolders(const fs::path& dir, const std::vector<std::string>& ignored) {
    std::vector<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (it->is_directory(ec) && std::find(ignored.begin(), ignored.end(), name) == ignored.end()) names.push_back(name);
    }
    if (ec) throw DataError(dir.string(), "cannot be listed: " + ec.message());
    std::sort(names.begin(), names.end());
    return names;
}

// Every data file below `dir`, sorted. Directory links are not followed (a link loop cannot trap
// the walk); file links are, and a broken or looping one fails to open later and is listed as
// skipped.
std::vector<std::string> dataFiles(const fs::path& dir, const DataFileKind& kind) {
    std::vector<std::string> files;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end; !ec && it != end;
         it.increment(ec)) {
        std::error_code typeError;
        if (it->is_directory(typeError)) continue;
        if (kind.isDataFile(it->path().string())) files.push_back(it->path().string());
    }
    if (ec) throw DataError(dir.string(), "cannot be listed: " + ec.message());
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<std::vector<std::string>> filesPerClass(const fs::path& root, const std::vector<std::string>& classes,
                                                    const DataFileKind& kind) {
    std::vector<std::vector<std::string>> out;
    for (const auto& c : classes) out.push_back(fs::is_directory(root / c) ? dataFiles(root / c, kind) : std::vector<std::string>{});
    return out;
}

} // namespace

ClassFolderListing listClassFolders(const std::string& dirText, const DataFileKind& kind) {
    const fs::path dir(dirText);
    ClassFolderListing l;
    std::error_code ec;
    const fs::path testDir = fs::is_directory(dir / "test", ec) ? dir / "test" : dir / "val";
    l.ownSplits = fs::is_directory(dir / "train", ec) && fs::is_directory(testDir, ec);
    const fs::path trainRoot = l.ownSplits ? dir / "train" : dir;
    l.classNames = subfolders(trainRoot, kind.ignoredFolders);
    if (l.classNames.empty())
        throw DataError(trainRoot.string(), "has no class folders: put each class's files in a folder named after it");
    if (l.classNames.size() == 1)
        throw DataError(trainRoot.string(), "has only one class folder ('" + l.classNames[0] + "'): a classifier needs two or more");
    l.trainFiles = filesPerClass(trainRoot, l.classNames, kind);
    for (size_t c = 0; c < l.classNames.size(); ++c)
        if (l.trainFiles[c].empty()) throw DataError((trainRoot / l.classNames[c]).string(), "has no " + kind.description);
    for (const auto& c : l.classNames) l.classPlaces.push_back((trainRoot / c).string());
    if (l.ownSplits) {
        for (const auto& name : subfolders(testDir, kind.ignoredFolders))
            if (!std::binary_search(l.classNames.begin(), l.classNames.end(), name))
                throw DataError((testDir / name).string(), "is a class the training folder does not have");
        l.testFiles = filesPerClass(testDir, l.classNames, kind);
    }
    return l;
}

void holdOutTestFiles(ClassFolderListing& l, double testSplit, uint64_t seed) {
    l.testFiles.assign(l.classNames.size(), {});
    for (size_t c = 0; c < l.classNames.size(); ++c) l.testFiles[c] = splitOffTestItems(l.trainFiles[c], testSplit, seed, c);
}

ListedFiles listedFiles(const ClassFolderListing& l) {
    ListedFiles out;
    for (int test = 0; test < 2; ++test)
        for (size_t c = 0; c < l.classNames.size(); ++c)
            for (const auto& p : (test ? l.testFiles : l.trainFiles)[c]) {
                out.paths.push_back(p);
                out.where.emplace_back(int(c), test == 1);
            }
    return out;
}

} // namespace imblab
