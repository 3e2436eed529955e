// Tiny ImageNet as it is unpacked (tiny-imagenet-200/): train/<wnid>/images/*.JPEG, the labelled
// validation images in val/images/ with val/val_annotations.txt ("file<TAB>wnid<TAB>box"), the
// class names in words.txt ("wnid<TAB>name, other name"). The validation set is the test split
// (test/ has no labels). Classes: the training folder's wnids in sorted order, named by words.txt
// (its first name) where it names them.
#pragma once

#include "data/class_folders.h"

#include <string>

namespace imblab {

// DataError naming the folder or file:line for: no train/ folder, a class folder without images,
// no val_annotations.txt, a line of it without a file and a wnid, a line naming a wnid the
// training folder lacks. A listed file missing from val/images is skipped when decoding, and listed.
ClassFolderListing listTinyImageNet(const std::string& dir);

} // namespace imblab
