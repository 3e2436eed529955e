// Crop geometry of the streamed image transforms; see image_crops.h.
#include "data/image_crops.h"

#include <algorithm>
#include <cmath>

namespace imblab {

CropBox randomResizedCrop(int width, int height, Rng& rng, double scaleLo, double scaleHi, double ratioLo, double ratioHi) {
    const double area = double(width) * height;
    const double logLo = std::log(ratioLo), logHi = std::log(ratioHi);
    for (int attempt = 0; attempt < 10; ++attempt) {
        const double targetArea = area * (scaleLo + (scaleHi - scaleLo) * rng.uniform());
        const double aspect = std::exp(logLo + (logHi - logLo) * rng.uniform());
        const int w = int(std::lround(std::sqrt(targetArea * aspect)));
        const int h = int(std::lround(std::sqrt(targetArea / aspect)));
        if (w > 0 && w <= width && h > 0 && h <= height) {
            const int y = int(rng.below(uint64_t(height - h + 1)));
            const int x = int(rng.below(uint64_t(width - w + 1)));
            return {double(x), double(y), double(w), double(h)};
        }
    }
    const double inRatio = double(width) / height;
    int w = width, h = height;
    if (inRatio < ratioLo) h = int(std::lround(w / ratioLo));
    else if (inRatio > ratioHi) w = int(std::lround(h * ratioHi));
    return {double((width - w) / 2), double((height - h) / 2), double(w), double(h)};
}

CropBox randomCropAfterResize(int width, int height, int size, int resize, Rng& rng) {
    const double s = double(std::min(width, height)) / resize;  // source pixels per resized pixel
    // The resized image's sides, as torchvision's Resize truncates the longer one.
    const int rw = width <= height ? resize : int(double(resize) * width / height);
    const int rh = width <= height ? int(double(resize) * height / width) : resize;
    const int x = int(rng.below(uint64_t(std::max(0, rw - size) + 1)));
    const int y = int(rng.below(uint64_t(std::max(0, rh - size) + 1)));
    return {x * s, y * s, size * s, size * s};
}

CropBox centreCropAfterResize(int width, int height, int size, int resize) {
    const double side = std::min(width, height), s = side / resize;  // source pixels per resized pixel
    const double crop = resize == size ? side : size * s;
    return {(width / s - size) / 2 * s, (height / s - size) / 2 * s, crop, crop};
}

} // namespace imblab
