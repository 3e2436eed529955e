// Text folders; see text_folder.h.
#include "data/text_folder.h"

#include "data/class_folders.h"
#include "data/image_folder.h"
#include "errors.h"

#include <algorithm>
#include <filesystem>

namespace imblab {

namespace {

bool isTextFile(const std::string& path) {
    const std::filesystem::path p(path);
    std::string ext = p.extension().string();
    for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
    return ext == ".txt";
}

} // namespace

bool holdsTexts(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path root = fs::is_directory(fs::path(dir) / "train", ec) ? fs::path(dir) / "train" : fs::path(dir);
    std::vector<fs::path> classes;
    for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_directory(ec) && it->path().filename() != "unsup") classes.push_back(it->path());
    if (classes.empty()) return false;
    std::sort(classes.begin(), classes.end());
    bool texts = false;
    int seen = 0;
    for (fs::recursive_directory_iterator it(classes.front(), ec), end; !ec && it != end && seen < 200; it.increment(ec), ++seen) {
        if (it->is_directory(ec)) continue;
        if (hasImageExtension(it->path().string())) return false;
        texts = texts || isTextFile(it->path().string());
    }
    return texts;
}

TextSource listTextFolder(const std::string& dir, double testSplit, uint64_t seed) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw DataError(dir, "no such folder (a text folder holds one folder of .txt files per class)");
    ClassFolderListing l = listClassFolders(dir, {isTextFile, "text files (.txt)", {"unsup"}});
    if (!l.ownSplits) holdOutTestFiles(l, testSplit, seed);
    TextSource s;
    s.classNames = l.classNames;
    s.classPlaces = l.classPlaces;
    for (int test = 0; test < 2; ++test)
        for (size_t c = 0; c < l.classNames.size(); ++c)
            for (const auto& path : (test ? l.testFiles : l.trainFiles)[c]) {
                TextDocument d;
                d.path = path;
                d.label = int64_t(c);
                d.test = test == 1;
                s.documents.push_back(std::move(d));
                s.files.push_back(path);
            }
    return s;
}

} // namespace imblab
