// Decoding one streamed example; see example_decode.h.
#include "data/example_decode.h"

#include "data/jpeg_region.h"

#include <algorithm>
#include <cmath>

namespace imblab {

void decodeExample(const std::string& path, const CropChooser& choose, int size, int channels, uint8_t* out) {
    const std::vector<uint8_t> bytes = readImageFileBytes(path);
    const CropBox box = choose(imageSizeOf(path, bytes));
    DecodedImage region;
    CropBox local = box;  // the box in `region`'s pixels
    if (imageFormatOf(path, bytes) == ImageFormat::Jpeg) {
        // The resampling filter reaches max(1, scale) pixels beyond an output pixel's centre.
        const int num = jpegScaleNumerator(box.width, box.height, size, size);
        const double support = std::max(1.0, std::max(box.width, box.height) * num / 8.0 / size);
        JpegRegion r = decodeJpegRegion(path, bytes, box, size, size, int(std::ceil(support)) + 1);
        local = {box.x * r.scale - r.x0, box.y * r.scale - r.y0, box.width * r.scale, box.height * r.scale};
        region = std::move(r.image);
    } else {
        region = decodeImageBytes(path, bytes, 0);
    }
    const DecodedImage img = withChannels(resampleRegion(region, local, size, size), channels);
    const size_t plane = size_t(size) * size_t(size);
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x) {
            const uint8_t* px = img.pixels.data() + (size_t(y) * size_t(size) + size_t(x)) * size_t(channels);
            for (int c = 0; c < channels; ++c) out[size_t(c) * plane + size_t(y) * size_t(size) + size_t(x)] = px[c];
        }
}

} // namespace imblab
