// Decoding one image file for the image-folder datasets: PNG through libspng, JPEG through
// libjpeg-turbo (with its scaled decoding when the target is much smaller than the file),
// uncompressed BMP by hand; then the shorter side resized to N and a centre N×N crop.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace imblab {

struct DecodedImage {
    int width = 0, height = 0;
    int channels = 0;             // 1 (grey) or 3 (RGB): alpha is dropped, 16-bit brought to 8
    std::vector<uint8_t> pixels;  // interleaved rows, height·width·channels bytes
};

// The most pixels a file may declare; checked from the header, before anything is allocated.
constexpr int64_t kMaxImagePixels = 64LL * 1024 * 1024;

// The image in `path`, decoded at a reduced scale where that still leaves its shorter side
// ≥ minShorterSide (JPEG only). DataError(path, why) for anything unreadable: a truncated or
// corrupt file, an empty one, one that is not what its extension says, a format we do not read,
// dimensions over kMaxImagePixels.
DecodedImage decodeImageFile(const std::string& path, int minShorterSide);

// "png" for "a/B.PNG"; empty when the name has no extension.
std::string lowerExtension(const std::string& path);

// Shorter side to n (antialiased bilinear, as PIL's), then the centre n×n; channels kept.
DecodedImage resizeShorterSideAndCrop(const DecodedImage& image, int n);

// To 1 channel (ITU-R 601 luma) or 3 (grey replicated).
DecodedImage withChannels(DecodedImage image, int channels);

} // namespace imblab
