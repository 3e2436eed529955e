// Decoding only the part of a JPEG that a crop needs, at the smallest DCT scale that still leaves
// the crop at least the output size: libjpeg-turbo's scale_num/8 with jpeg_crop_scanline and
// jpeg_skip_scanlines (Debian 12 has libjpeg-turbo 2.1.5, so the libjpeg API, not TurboJPEG 3's
// cropping call), as DALI's jpeg_mem.cc does. A random resized crop of a large photo then costs a
// fraction of a full decode.
#pragma once

#include "data/image_decode.h"

#include <cstdint>
#include <string>
#include <vector>

namespace imblab {

struct JpegRegion {
    DecodedImage image;  // scaled pixels [x0, x0 + width) × [y0, y0 + height) of the scaled image
    int x0 = 0, y0 = 0;
    double scale = 1;    // scaled / full: num/8
};

// The region of the file covering `box` (in full-size pixels) and `margin` scaled pixels around
// it (a resampling filter's support), decoded at the smallest scale num/8 (num = 1..8) at which
// the box is still at least minWidth × minHeight scaled pixels. Grey files stay one channel,
// colour ones come as RGB. DataError(path, why) for a corrupt or truncated file (libjpeg's
// warnings count: a file cut short is not decoded half grey).
JpegRegion decodeJpegRegion(const std::string& path, const std::vector<uint8_t>& bytes, const CropBox& box, int minWidth,
                            int minHeight, int margin);

// The num/8 decodeJpegRegion chooses for a box of boxWidth × boxHeight full-size pixels.
int jpegScaleNumerator(double boxWidth, double boxHeight, int minWidth, int minHeight);

} // namespace imblab
