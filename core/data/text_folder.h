// Text folders, in the layout IMDB's own aclImdb ships: DIR/train/<class>/*.txt and
// DIR/test/<class>/*.txt, or DIR/<class>/*.txt with the stratified hold-out image folders use.
// aclImdb's extras are left alone, not errors: its unlabelled train/unsup/ is no class, and files
// outside the class folders (*.feat, urls_*.txt, imdb.vocab, README) are not texts.
#pragma once

#include "data/text_source.h"

#include <cstdint>
#include <string>

namespace imblab {

// DataError naming the folder for a structural problem (data/class_folders.h).
TextSource listTextFolder(const std::string& dir, double testSplit, uint64_t seed);

// Whether a folder of class folders holds texts rather than images: its first class folder (of
// DIR or DIR/train) has .txt files and no image files. What a dropped folder opens as.
bool holdsTexts(const std::string& dir);

} // namespace imblab
