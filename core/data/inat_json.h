// iNaturalist's annotation files (2017, 2018, 2019, 2021; the COCO layout): "images" (id,
// file_name relative to a root), "annotations" (image_id, category_id), "categories" (id, name).
// Read as a stream (train2018.json describes 437 513 images: a JSON tree of it would take
// gigabytes), into the listing every image source shares (data/class_folders.h): classes are the
// training file's categories in id order, named by their "name".
#pragma once

#include "data/class_folders.h"

#include <string>

namespace imblab {

struct InatSource {
    std::string trainFile;  // train2018.json
    std::string testFile;   // val2018.json (its balanced validation set, the paper's test set); empty = hold-out
    std::string root;       // the folder file names are relative to; empty = the training file's folder
};

// DataError naming the file (and the record) for: JSON that is not valid or ends early (the byte
// offset named), a missing section, an annotation naming an image id or a category id the file
// lacks, an image id or file listed twice, an image without an annotation, a test category the
// training file lacks, a category without a training image, fewer than two categories.
ClassFolderListing listInatJson(const InatSource& source, double testSplit, uint64_t seed);

} // namespace imblab
