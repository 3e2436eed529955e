// PNG, JPEG and BMP decoding and the resize to the training size; see image_decode.h.
#include "data/image_decode.h"

#include "data/image_crops.h"
#include "errors.h"

#include <spng.h>
#include <turbojpeg.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

namespace imblab {

namespace {

std::vector<uint8_t> readFileBytes(const std::string& path, int64_t limit = -1) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) {
        std::error_code ec;
        throw DataError(path, std::filesystem::exists(std::filesystem::symlink_status(path, ec)) ? "cannot be opened for reading"
                                                                                             : "does not exist");
    }
    const std::streamoff size = in.tellg();
    if (size <= 0) throw DataError(path, "is empty (0 bytes)");
    const std::streamoff wanted = limit >= 0 ? std::min<std::streamoff>(size, limit) : size;
    std::vector<uint8_t> bytes(static_cast<size_t>(wanted));
    in.seekg(0);
    if (!in.read(reinterpret_cast<char*>(bytes.data()), wanted)) throw DataError(path, "cannot be read");
    return bytes;
}

void requirePixelLimit(const std::string& path, int64_t w, int64_t h) {
    if (w <= 0 || h <= 0) throw DataError(path, "declares an empty image");
    if (w * h > kMaxImagePixels)
        throw DataError(path, "is " + std::to_string(w) + "×" + std::to_string(h) + " pixels, over the limit of " +
                                  std::to_string(kMaxImagePixels / (1024 * 1024)) + " Mpixels");
}

DecodedImage decodePng(const std::string& path, const std::vector<uint8_t>& bytes) {
    std::unique_ptr<spng_ctx, void (*)(spng_ctx*)> ctx(spng_ctx_new(0), spng_ctx_free);
    if (!ctx) throw DataError(path, "cannot be decoded (out of memory)");
    auto fail = [&](int rc) { return DataError(path, std::string("is not a readable PNG: ") + spng_strerror(rc)); };
    int rc = spng_set_png_buffer(ctx.get(), bytes.data(), bytes.size());
    spng_set_chunk_limits(ctx.get(), 16u << 20, 64u << 20);  // metadata chunks cannot make it allocate more
    spng_ihdr ihdr{};
    if (rc || (rc = spng_get_ihdr(ctx.get(), &ihdr))) throw fail(rc);
    requirePixelLimit(path, ihdr.width, ihdr.height);
    size_t size = 0;
    if ((rc = spng_decoded_image_size(ctx.get(), SPNG_FMT_RGBA8, &size))) throw fail(rc);
    std::vector<uint8_t> rgba(size);
    if ((rc = spng_decode_image(ctx.get(), rgba.data(), size, SPNG_FMT_RGBA8, SPNG_DECODE_TRNS))) throw fail(rc);
    const bool grey = ihdr.color_type == SPNG_COLOR_TYPE_GRAYSCALE || ihdr.color_type == SPNG_COLOR_TYPE_GRAYSCALE_ALPHA;
    DecodedImage img;
    img.width = int(ihdr.width);
    img.height = int(ihdr.height);
    img.channels = grey ? 1 : 3;
    const size_t n = size_t(img.width) * img.height;
    img.pixels.resize(n * img.channels);
    for (size_t i = 0; i < n; ++i)
        for (int c = 0; c < img.channels; ++c) img.pixels[i * img.channels + c] = rgba[i * 4 + c];
    return img;
}

DecodedImage decodeJpeg(const std::string& path, const std::vector<uint8_t>& bytes, int minShorterSide) {
    std::unique_ptr<void, int (*)(tjhandle)> tj(tjInitDecompress(), tjDestroy);
    if (!tj) throw DataError(path, "cannot be decoded (libjpeg-turbo did not start)");
    int w = 0, h = 0, subsampling = 0, colorspace = 0;
    if (tjDecompressHeader3(tj.get(), bytes.data(), (unsigned long)bytes.size(), &w, &h, &subsampling, &colorspace))
        throw DataError(path, std::string("is not a readable JPEG: ") + tjGetErrorStr2(tj.get()));
    requirePixelLimit(path, w, h);
    // The smallest of libjpeg-turbo's DCT scaling factors that keeps the shorter side ≥ the target.
    int count = 0;
    const tjscalingfactor* factors = tjGetScalingFactors(&count);
    tjscalingfactor best{1, 1};
    for (int i = 0; i < count; ++i) {
        const tjscalingfactor f = factors[i];
        if (f.num * best.denom < best.num * f.denom && std::min(TJSCALED(w, f), TJSCALED(h, f)) >= minShorterSide) best = f;
    }
    DecodedImage img;
    img.width = TJSCALED(w, best);
    img.height = TJSCALED(h, best);
    img.channels = colorspace == TJCS_GRAY ? 1 : 3;
    img.pixels.resize(size_t(img.width) * img.height * img.channels);
    // A warning (a truncated file: "premature end of data") counts as unreadable too.
    if (tjDecompress2(tj.get(), bytes.data(), (unsigned long)bytes.size(), img.pixels.data(), img.width, 0, img.height,
                      img.channels == 1 ? TJPF_GRAY : TJPF_RGB, TJFLAG_STOPONWARNING))
        throw DataError(path, std::string("is not a readable JPEG: ") + tjGetErrorStr2(tj.get()));
    return img;
}

uint32_t le32(const std::vector<uint8_t>& b, size_t at) {
    return uint32_t(b[at]) | uint32_t(b[at + 1]) << 8 | uint32_t(b[at + 2]) << 16 | uint32_t(b[at + 3]) << 24;
}
uint16_t le16(const std::vector<uint8_t>& b, size_t at) { return uint16_t(b[at] | b[at + 1] << 8); }

// Uncompressed Windows BMP: 8-bit palette, 24-bit BGR or 32-bit BGRX, bottom-up or top-down.
DecodedImage decodeBmp(const std::string& path, const std::vector<uint8_t>& b) {
    if (b.size() < 54 || b[0] != 'B' || b[1] != 'M') throw DataError(path, "is not a readable BMP: no BM header");
    const uint32_t dataOffset = le32(b, 10), headerSize = le32(b, 14);
    const int32_t w = int32_t(le32(b, 18)), hRaw = int32_t(le32(b, 22));
    const uint16_t bits = le16(b, 28);
    const uint32_t compression = le32(b, 30);
    if (headerSize < 40) throw DataError(path, "is a BMP with an old header we do not read");
    const bool topDown = hRaw < 0;
    const int64_t h = topDown ? -int64_t(hRaw) : hRaw;
    requirePixelLimit(path, w, h);
    if (compression != 0 && !(compression == 3 && bits == 32))
        throw DataError(path, "is a compressed BMP (compression " + std::to_string(compression) + "), which we do not read");
    if (bits != 8 && bits != 24 && bits != 32) throw DataError(path, "is a " + std::to_string(bits) + "-bit BMP; we read 8, 24 and 32");
    const size_t stride = (size_t(w) * bits / 8 + 3) & ~size_t(3);
    if (dataOffset > b.size() || stride * size_t(h) > b.size() - dataOffset) throw DataError(path, "is a truncated BMP");
    const size_t paletteAt = 14 + headerSize;
    uint32_t paletteSize = le32(b, 46);
    if (bits == 8 && paletteSize == 0) paletteSize = 256;
    if (bits == 8 && paletteAt + 4 * size_t(paletteSize) > dataOffset) throw DataError(path, "is a BMP whose palette is cut short");
    DecodedImage img;
    img.width = w;
    img.height = int(h);
    img.channels = 3;
    img.pixels.resize(size_t(w) * h * 3);
    for (int64_t y = 0; y < h; ++y) {
        const uint8_t* row = b.data() + dataOffset + stride * size_t(topDown ? y : h - 1 - y);
        uint8_t* out = img.pixels.data() + size_t(y) * w * 3;
        for (int x = 0; x < w; ++x) {
            const uint8_t* px = bits == 8 ? (row[x] < paletteSize ? b.data() + paletteAt + 4 * row[x] : b.data() + paletteAt)
                                          : row + size_t(x) * (bits / 8);
            out[x * 3 + 0] = px[2];
            out[x * 3 + 1] = px[1];
            out[x * 3 + 2] = px[0];
        }
    }
    return img;
}

// PIL's antialiased bilinear filter along one axis: a triangle whose support grows with the
// reduction, so a downscale averages every source pixel it covers. Output sample o is centred on
// source position offset + (o + ½)·scale; its taps are the source samples [lo[o], lo[o] + n[o])
// with weights w[o·maxTaps + t] that sum to 1 (computed in double, applied in float).
struct AxisFilter {
    std::vector<int> lo, n;
    std::vector<float> w;
    int maxTaps = 0;

    AxisFilter(int inLen, int outLen, double offset, double scale) : lo(size_t(outLen)), n(size_t(outLen)) {
        const double support = std::max(1.0, scale);
        maxTaps = int(std::ceil(2 * support)) + 2;
        w.assign(size_t(outLen) * size_t(maxTaps), 0.0f);
        std::vector<double> t(static_cast<size_t>(maxTaps));
        for (int o = 0; o < outLen; ++o) {
            const double centre = offset + (o + 0.5) * scale;
            const int first = std::max(0, int(std::floor(centre - support)));
            const int last = std::min(inLen, int(std::ceil(centre + support)));
            int taps = 0;
            double sum = 0;
            for (int i = first; i < last; ++i) {
                t[size_t(taps)] = std::max(0.0, 1.0 - std::abs((i + 0.5 - centre) / support));
                sum += t[size_t(taps++)];
            }
            if (sum <= 0) {  // no source sample under the filter: take the nearest
                taps = 1;
                t[0] = sum = 1.0;
            }
            for (int k = 0; k < taps; ++k) w[size_t(o) * size_t(maxTaps) + size_t(k)] = float(t[size_t(k)] / sum);
            lo[size_t(o)] = std::min(first, inLen - 1);
            n[size_t(o)] = taps;
        }
    }
    int firstSample() const { return lo.empty() ? 0 : *std::min_element(lo.begin(), lo.end()); }
    int endSample() const {
        int end = 0;
        for (size_t o = 0; o < lo.size(); ++o) end = std::max(end, lo[o] + n[o]);
        return end;
    }
};

// One row through the horizontal filter: outWidth × C floats from a row of C-channel bytes.
template <int C>
void filterRow(const uint8_t* line, const AxisFilter& f, int outWidth, float* out) {
    for (int o = 0; o < outWidth; ++o) {
        const float* w = &f.w[size_t(o) * size_t(f.maxTaps)];
        const uint8_t* px = line + size_t(f.lo[size_t(o)]) * C;
        float acc[C] = {};
        for (int t = 0; t < f.n[size_t(o)]; ++t)
            for (int k = 0; k < C; ++k) acc[k] += w[t] * float(px[t * C + k]);
        for (int k = 0; k < C; ++k) out[o * C + k] = acc[k];
    }
}

} // namespace

std::string lowerExtension(const std::string& path) {
    const auto dot = path.find_last_of('.');
    if (dot == std::string::npos || path.find('/', dot) != std::string::npos) return {};
    std::string ext = path.substr(dot + 1);
    for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

std::vector<uint8_t> readImageFileBytes(const std::string& path, int64_t limit) { return readFileBytes(path, limit); }

ImageFormat imageFormatOf(const std::string& path, const std::vector<uint8_t>& bytes) {
    if (bytes.size() >= 8 && std::memcmp(bytes.data(), "\x89PNG\r\n\x1a\n", 8) == 0) return ImageFormat::Png;
    if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return ImageFormat::Jpeg;
    if (bytes.size() >= 2 && bytes[0] == 'B' && bytes[1] == 'M') return ImageFormat::Bmp;
    throw DataError(path, "is not a PNG, JPEG or BMP image (its first bytes say otherwise), despite its ." +
                              lowerExtension(path) + " name");
}

ImageSize imageSizeOf(const std::string& path, const std::vector<uint8_t>& bytes) {
    ImageSize size;
    switch (imageFormatOf(path, bytes)) {
    case ImageFormat::Png: {  // IHDR: the first chunk, its width and height big-endian at 16 and 20
        if (bytes.size() < 24 || std::memcmp(bytes.data() + 12, "IHDR", 4) != 0)
            throw DataError(path, "is not a readable PNG: no IHDR header");
        auto be32 = [&](size_t at) {
            return int64_t(bytes[at]) << 24 | int64_t(bytes[at + 1]) << 16 | int64_t(bytes[at + 2]) << 8 | int64_t(bytes[at + 3]);
        };
        requirePixelLimit(path, be32(16), be32(20));
        const int colourType = bytes.size() > 25 ? bytes[25] : 2;  // 0 grey, 4 grey + alpha
        size = {int(be32(16)), int(be32(20)), colourType == 0 || colourType == 4 ? 1 : 3};
        break;
    }
    case ImageFormat::Jpeg: {
        std::unique_ptr<void, int (*)(tjhandle)> tj(tjInitDecompress(), tjDestroy);
        int subsampling = 0, colorspace = 0;
        if (!tj || tjDecompressHeader3(tj.get(), bytes.data(), (unsigned long)bytes.size(), &size.width, &size.height,
                                       &subsampling, &colorspace))
            throw DataError(path, std::string("is not a readable JPEG: ") + tjGetErrorStr2(tj.get()));
        requirePixelLimit(path, size.width, size.height);
        size.channels = colorspace == TJCS_GRAY ? 1 : 3;
        break;
    }
    case ImageFormat::Bmp: {
        if (bytes.size() < 26) throw DataError(path, "is not a readable BMP: no BM header");
        const int32_t w = int32_t(le32(bytes, 18)), h = int32_t(le32(bytes, 22));
        requirePixelLimit(path, w, h < 0 ? -int64_t(h) : h);
        size = {w, int(h < 0 ? -int64_t(h) : h), 3};
        break;
    }
    }
    return size;
}

DecodedImage decodeImageFile(const std::string& path, int minShorterSide) {
    return decodeImageBytes(path, readFileBytes(path), minShorterSide);
}

DecodedImage decodeImageBytes(const std::string& path, const std::vector<uint8_t>& bytes, int minShorterSide) {
    // The bytes decide, not the name: a JPEG saved as .png still reads, a text file as .png does not.
    switch (imageFormatOf(path, bytes)) {
    case ImageFormat::Png: return decodePng(path, bytes);
    case ImageFormat::Jpeg: return decodeJpeg(path, bytes, minShorterSide);
    case ImageFormat::Bmp: return decodeBmp(path, bytes);
    }
    return {};
}

DecodedImage resampleRegion(const DecodedImage& img, const CropBox& box, int outWidth, int outHeight) {
    const int w = img.width, h = img.height, c = img.channels;
    const AxisFilter fx(w, outWidth, box.x, box.width / outWidth);
    const AxisFilter fy(h, outHeight, box.y, box.height / outHeight);
    // Horizontal pass over the source rows the vertical filter reads: rows × outWidth × c.
    const int row0 = fy.firstSample(), rows = std::max(0, fy.endSample() - row0);
    const size_t stride = size_t(outWidth) * size_t(c);
    std::vector<float> horiz(size_t(rows) * stride);
    for (int r = 0; r < rows; ++r) {
        const uint8_t* line = img.pixels.data() + size_t(row0 + r) * size_t(w) * size_t(c);
        float* out = horiz.data() + size_t(r) * stride;
        if (c == 3) filterRow<3>(line, fx, outWidth, out);
        else filterRow<1>(line, fx, outWidth, out);
    }
    // Vertical pass, rounded to bytes (values are ≥ 0: the weights are).
    DecodedImage out;
    out.width = outWidth;
    out.height = outHeight;
    out.channels = c;
    out.pixels.resize(size_t(outHeight) * stride);
    std::vector<float> acc(stride);
    for (int y = 0; y < outHeight; ++y) {
        const float* wy = &fy.w[size_t(y) * size_t(fy.maxTaps)];
        std::fill(acc.begin(), acc.end(), 0.0f);
        for (int t = 0; t < fy.n[size_t(y)]; ++t) {
            const float* line = horiz.data() + size_t(fy.lo[size_t(y)] - row0 + t) * stride;
            const float wt = wy[t];
            for (size_t i = 0; i < stride; ++i) acc[i] += wt * line[i];
        }
        uint8_t* dst = out.pixels.data() + size_t(y) * stride;
        for (size_t i = 0; i < stride; ++i) dst[i] = uint8_t(std::min(255.0f, acc[i] + 0.5f));
    }
    return out;
}

DecodedImage resizeShorterSideAndCrop(const DecodedImage& img, int n) {
    // Scale so the shorter side is n; the crop keeps the centre n pixels of the longer side.
    return resampleRegion(img, centreCropAfterResize(img.width, img.height, n, n), n, n);
}

DecodedImage withChannels(DecodedImage img, int channels) {
    if (img.channels == channels) return img;
    const size_t n = size_t(img.width) * img.height;
    std::vector<uint8_t> out(n * channels);
    if (channels == 3)
        for (size_t i = 0; i < n; ++i) out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = img.pixels[i];
    else
        for (size_t i = 0; i < n; ++i)
            out[i] = uint8_t(std::lround(0.299 * img.pixels[i * 3] + 0.587 * img.pixels[i * 3 + 1] + 0.114 * img.pixels[i * 3 + 2]));
    img.pixels = std::move(out);
    img.channels = channels;
    return img;
}

} // namespace imblab
