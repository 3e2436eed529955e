// The class-folder convention every folder source shares (ImageFolder's): DIR/<class>/**/<file>,
// class names = the folder names in sorted order; DIR/train and DIR/test (or DIR/val) are the
// splits when both exist, else the caller holds out a stratified share (stratified_split.h).
// What counts as a data file, and which folders are not classes, is the source's own.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace imblab {

// Files per class and split, before any file is read.
struct ClassFolderListing {
    std::vector<std::string> classNames;
    std::vector<std::vector<std::string>> trainFiles, testFiles;  // [class] → paths, sorted
    std::vector<std::string> classPlaces;  // [class] → where its files come from, for errors
    bool ownSplits = false;
};

// Every listed file in one list: the training files, then the test files, class by class; with
// each one's class and split (what the decoders and the stream's header probe walk).
struct ListedFiles {
    std::vector<std::string> paths;
    std::vector<std::pair<int, bool>> where;  // class, is test
};
ListedFiles listedFiles(const ClassFolderListing& listing);

struct DataFileKind {
    std::function<bool(const std::string& path)> isDataFile;
    std::string description;                   // "image files (.png, .jpg, .jpeg, .bmp)"
    std::vector<std::string> ignoredFolders;   // folder names that are never classes (aclImdb's "unsup")
};

// DataError naming the folder for a structural problem: no such folder, no class folders, one
// class, a class without data files, a test class the training folder lacks. Without splits of
// its own, testFiles is left empty for the caller's hold-out.
ClassFolderListing listClassFolders(const std::string& dir, const DataFileKind& kind);

// Moves a stratified, seeded share of each class's training files to the test split: round(n·f)
// per class, at least one where the class has two or more, never its last one.
void holdOutTestFiles(ClassFolderListing& listing, double testSplit, uint64_t seed);

} // namespace imblab
