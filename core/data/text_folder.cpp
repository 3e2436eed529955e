// Text folders; see text_folder.h.
#include "data/text_folder.h"

#include "data/class_folders.h"
#include "errors.h"

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
