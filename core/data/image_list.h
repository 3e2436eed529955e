// List-file datasets (the ImageNet-LT / iNaturalist-LT convention): each line "relative/path
// label" with an integer label 0..k-1, paths relative to a root folder; a second list for the
// test split, else the stratified hold-out of image folders. Decoding, skipping and the resize
// are the image folder's (image_folder.h).
#pragma once

#include "data/image_folder.h"

#include <string>

namespace imblab {

struct ImageListSource {
    std::string listFile;        // the training list
    std::string root;            // listed paths are relative to it; empty = the list file's folder
    std::string testList;        // the test split's list; empty = a stratified hold-out
    std::string classNamesFile;  // line i names label i; empty = the label numbers "0", "1", ...
};

// The files per class without decoding. DataError naming the file and line for a line without
// a label, a label that is not a number ≥ 0 or is out of range of the class names, a missing
// list, fewer than two classes, a class without a training line.
ImageFolderListing listImageList(const ImageListSource& source, const ImageFolderOptions& options);

// Listed and decoded; id "list". Missing and unreadable files are skipped and listed.
ImageFolderData loadImageList(const ImageListSource& source, const ImageFolderOptions& options);

} // namespace imblab
