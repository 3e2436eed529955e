// Where an example is cut from its image when images stream from their files (the ImageNet
// transforms, as torchvision 0.14 draws them): a training crop — RandomResizedCrop (an area of
// 8–100 % of the image, aspect 3/4–4/3, ten tries, then the centre) or the LDAM paper's
// iNaturalist crop (shorter side to R, a random S×S) — and the evaluation's centre crop (shorter
// side to R, the centre S×S). Boxes are in the file's pixels; the decoder reads only them.
#pragma once

#include "data/image_decode.h"
#include "util/rng.h"


namespace imblab {

// torchvision's RandomResizedCrop.get_params: for up to 10 tries, an area fraction uniform in
// [scaleLo, scaleHi] and a log-uniform aspect ratio in [ratioLo, ratioHi], rounded to whole
// pixels, kept when it fits, at a uniform position; else the centre crop of the whole image
// clamped to the aspect range.
CropBox randomResizedCrop(int width, int height, Rng& rng, double scaleLo = 0.08, double scaleHi = 1.0,
                          double ratioLo = 3.0 / 4.0, double ratioHi = 4.0 / 3.0);

// The shorter side resized to `resize`, then a size×size crop at a uniform whole-pixel position
// of the resized image (torchvision's Resize + RandomCrop).
CropBox randomCropAfterResize(int width, int height, int size, int resize, Rng& rng);

// The shorter side resized to `resize`, then the centre size×size (Resize + CenterCrop). With
// resize == size it is resizeShorterSideAndCrop's box, bit for bit.
CropBox centreCropAfterResize(int width, int height, int size, int resize);

} // namespace imblab
