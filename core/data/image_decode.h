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
// The same from the file's bytes (`path` names it in errors).
DecodedImage decodeImageBytes(const std::string& path, const std::vector<uint8_t>& bytes, int minShorterSide);

// A file's bytes (at most `limit` of them, from the start); DataError when it is missing, empty
// or unreadable.
std::vector<uint8_t> readImageFileBytes(const std::string& path, int64_t limit = -1);

// What the bytes hold, whatever the name says; DataError for anything else.
enum class ImageFormat { Png, Jpeg, Bmp };
ImageFormat imageFormatOf(const std::string& path, const std::vector<uint8_t>& bytes);

// Width and height from the header alone; DataError as decodeImageBytes for a header that is
// not readable or declares more than kMaxImagePixels.
// `bytes` may be the file's first bytes only (a JPEG's header ends before its first scan).
struct ImageSize {
    int width = 0, height = 0;
    int channels = 3;  // 1 for a grey file (decoded as one channel), else 3
};
ImageSize imageSizeOf(const std::string& path, const std::vector<uint8_t>& bytes);

// A rectangle of an image in its pixels; fractional, as a resize's centre crop can be.
struct CropBox {
    double x = 0, y = 0, width = 0, height = 0;
};

// "png" for "a/B.PNG"; empty when the name has no extension.
std::string lowerExtension(const std::string& path);

// The `box` of the image resampled to outWidth×outHeight with PIL's antialiased bilinear filter
// (a triangle whose support grows with the reduction); channels kept.
DecodedImage resampleRegion(const DecodedImage& image, const CropBox& box, int outWidth, int outHeight);

// Shorter side to n (antialiased bilinear, as PIL's), then the centre n×n; channels kept.
DecodedImage resizeShorterSideAndCrop(const DecodedImage& image, int n);

// To 1 channel (ITU-R 601 luma) or 3 (grey replicated).
DecodedImage withChannels(DecodedImage image, int channels);

} // namespace imblab
