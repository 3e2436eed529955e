// Reading list files into a listing of files per class; see image_list.h.
#include "data/image_list.h"

#include "data/decoded_cache.h"
#include "errors.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace imblab {

namespace fs = std::filesystem;

namespace {

// More classes than this is a typo in a label, not a dataset (iNaturalist 2018 has 8 142).
constexpr int64_t kMaxClasses = 100000;

struct ListLine {
    std::string path;
    int64_t label = 0;
    int number = 0;  // 1-based line number, for errors
};

std::string trimmed(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

std::ifstream openText(const std::string& file, const std::string& what) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) throw DataError(file, "no such " + what);
    std::ifstream in(file);
    if (!in) throw DataError(file, "cannot be opened for reading");
    return in;
}

std::string at(const std::string& file, int line) { return file + ":" + std::to_string(line); }

// The non-blank, non-comment lines of a list, each split into path and label (the last
// whitespace-separated token, so paths may hold spaces).
std::vector<ListLine> readList(const std::string& file) {
    std::ifstream in = openText(file, "list file");
    std::vector<ListLine> lines;
    std::string raw;
    for (int number = 1; std::getline(in, raw); ++number) {
        const std::string line = trimmed(raw);
        if (line.empty() || line[0] == '#') continue;
        const auto cut = line.find_last_of(" \t");
        if (cut == std::string::npos)
            throw DataError(at(file, number), "expected 'relative/path label', found no label in '" + line + "'");
        ListLine l;
        l.path = trimmed(line.substr(0, cut));
        l.number = number;
        const std::string label = line.substr(cut + 1);
        if (label.empty() || label.size() > 9 || !std::all_of(label.begin(), label.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
            throw DataError(at(file, number), "label '" + label + "' is not a class number (0, 1, 2, ...)");
        l.label = std::stoll(label);
        if (l.label >= kMaxClasses)
            throw DataError(at(file, number), "label " + label + " is larger than any dataset's class count (at most " +
                                                  std::to_string(kMaxClasses - 1) + ")");
        lines.push_back(std::move(l));
    }
    if (lines.empty()) throw DataError(file, "has no 'relative/path label' line");
    return lines;
}

std::vector<std::string> readClassNames(const std::string& file) {
    std::ifstream in = openText(file, "class-names file");
    std::vector<std::string> names;
    std::string raw;
    for (int number = 1; std::getline(in, raw); ++number) {
        const std::string name = trimmed(raw);
        if (name.empty()) throw DataError(at(file, number), "is empty: line i names the class with label i");
        if (std::find(names.begin(), names.end(), name) != names.end())
            throw DataError(at(file, number), "names class '" + name + "' a second time");
        names.push_back(name);
    }
    return names;
}

void requireInRange(const std::vector<ListLine>& lines, size_t k, const std::string& file, const std::string& namesFile) {
    for (const auto& l : lines)
        if (size_t(l.label) >= k)
            throw DataError(at(file, l.number), "label " + std::to_string(l.label) + " is out of range 0.." +
                                                    std::to_string(k - 1) + " (" + namesFile + " names " +
                                                    std::to_string(k) + " classes)");
}

std::vector<std::vector<std::string>> filesPerClass(const std::vector<ListLine>& lines, size_t k, const fs::path& root) {
    std::vector<std::vector<std::string>> files(k);
    for (const auto& l : lines) {
        const fs::path p(l.path);
        files[size_t(l.label)].push_back((p.is_absolute() ? p : root / p).lexically_normal().string());
    }
    return files;
}

} // namespace

ImageFolderListing listImageList(const ImageListSource& src, const ImageFolderOptions& o) {
    validateDecodeOptions(o);
    if (src.listFile.empty()) throw DataError("list", "no list file given: choose a file of 'relative/path label' lines");
    const fs::path root = src.root.empty() ? fs::path(src.listFile).parent_path() : fs::path(src.root);
    std::error_code ec;
    if (!src.root.empty() && !fs::is_directory(root, ec)) throw DataError(src.root, "no such folder (the root of the listed paths)");
    const std::vector<ListLine> train = readList(src.listFile);
    const std::vector<ListLine> test = src.testList.empty() ? std::vector<ListLine>{} : readList(src.testList);

    ImageFolderListing l;
    if (!src.classNamesFile.empty()) {
        l.classNames = readClassNames(src.classNamesFile);
        requireInRange(train, l.classNames.size(), src.listFile, src.classNamesFile);
        requireInRange(test, l.classNames.size(), src.testList, src.classNamesFile);
    } else {
        int64_t k = 0;
        for (const auto& line : train) k = std::max(k, line.label + 1);
        for (const auto& line : test)
            if (line.label >= k)
                throw DataError(at(src.testList, line.number), "label " + std::to_string(line.label) +
                                                                   " does not occur in the training list " + src.listFile);
        for (int64_t c = 0; c < k; ++c) l.classNames.push_back(std::to_string(c));
    }
    if (l.classNames.size() < 2)
        throw DataError(src.listFile, "names only one class: a classifier needs two or more");
    l.trainFiles = filesPerClass(train, l.classNames.size(), root);
    for (size_t c = 0; c < l.classNames.size(); ++c) {
        l.classPlaces.push_back(src.listFile + " (class '" + l.classNames[c] + "', label " + std::to_string(c) + ")");
        if (l.trainFiles[c].empty())
            throw DataError(src.listFile, "has no line for class '" + l.classNames[c] + "' (label " + std::to_string(c) +
                                              "): every class needs at least one training image");
    }
    l.ownSplits = !src.testList.empty();
    if (l.ownSplits) l.testFiles = filesPerClass(test, l.classNames.size(), root);
    else holdOutTestFiles(l, o.testSplit, o.seed);
    return l;
}

ImageFolderData loadImageList(const ImageListSource& src, const ImageFolderOptions& o) {
    ImageFolderData out = decodeListingCached(listImageList(src, o), o);
    out.data.id = "list";
    return out;
}

} // namespace imblab
