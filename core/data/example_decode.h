// One example of a streamed image set: its file read, only the part its crop covers decoded
// (JPEG at the smallest sufficient DCT scale, data/jpeg_region.h; PNG and BMP whole), resampled
// to size×size with the decoded path's filter, brought to the set's channel count and written
// channel-planar.
#pragma once

#include "data/image_decode.h"

#include <cstdint>
#include <functional>
#include <string>

namespace imblab {

// Chooses the crop from the file's size (data/image_crops.h).
using CropChooser = std::function<CropBox(const ImageSize&)>;

// Writes channels·size·size bytes to `out`. DataError(path, why) for an unreadable file.
void decodeExample(const std::string& path, const CropChooser& choose, int size, int channels, uint8_t* out);

} // namespace imblab
