// Image-folder datasets (the ImageFolder convention): DIR/<class>/**/*.{png,jpg,jpeg,bmp}, class
// names = folder names in sorted order. DIR/train and DIR/test (or DIR/val) are the splits when
// they exist; otherwise a stratified, seeded hold-out. Files are decoded on a thread pool,
// resized (shorter side to N, centre crop) and kept as uint8; unreadable ones are skipped and
// listed with the reason.
#pragma once

#include "data/class_folders.h"
#include "data/dataset.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace imblab {

struct ImageFolderOptions {
    int imageSize = 32;       // N: shorter side to N, centre N×N crop
    int channels = 0;         // 1 or 3; 0 = 3 if any file is colour, else 1
    double testSplit = 0.2;   // held-out fraction per class when DIR has no train/test folders
    uint64_t seed = 0;        // which files are held out
    bool strict = false;      // any unreadable file is an error instead of a skip
    int threads = 0;          // decoding threads; 0 = all cores
    std::string cacheFolder;  // decoded datasets cached here (data/decoded_cache.h); empty = none
    // Called from the calling thread as files finish (done, total); returning false cancels
    // (DataError "cancelled").
    std::function<bool(int64_t done, int64_t total)> progress;
};

struct ImageFolderData {
    Dataset data;                      // id "folder", images N×C×S×S, mean/std of the training split
    std::vector<SkippedFile> skipped;  // unreadable files, in path order (also in data.skipped)
    bool ownSplits = false;            // DIR/train + DIR/test (or val) were used
};

// A file list per class and split, before decoding: what `dataset --json` and the GUI's count
// preview need without reading a pixel (data/class_folders.h). DataError naming the folder for a
// structural problem.
using ImageFolderListing = ClassFolderListing;
ImageFolderListing listImageFolder(const std::string& dir, const ImageFolderOptions& options);

ImageFolderData loadImageFolder(const std::string& dir, const ImageFolderOptions& options);

// The steps a folder and a list file share. ConfigError for an image size, channel count or
// hold-out fraction out of range.
void validateDecodeOptions(const ImageFolderOptions& options);
// Decodes every listed file (skipping unreadable ones) into a dataset with id "folder"; the
// caller sets another id. DataError naming classPlaces[c] when class c keeps no training image.
ImageFolderData decodeListing(const ImageFolderListing& listing, const ImageFolderOptions& options);

// The extensions read (lower case, without the dot).
bool hasImageExtension(const std::string& path);

} // namespace imblab
