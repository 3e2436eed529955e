// PNG, JPEG and BMP decoding and the resize to the training size; see image_decode.h.
#include "data/image_decode.h"

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

std::vector<uint8_t> readFileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) {
        std::error_code ec;
        throw DataError(path, std::filesystem::exists(std::filesystem::symlink_status(path, ec)) ? "cannot be opened for reading"
                                                                                             : "does not exist");
    }
    const std::streamoff size = in.tellg();
    if (size <= 0) throw DataError(path, "is empty (0 bytes)");
    std::vector<uint8_t> bytes(static_cast<size_t>(size));
    in.seekg(0);
    if (!in.read(reinterpret_cast<char*>(bytes.data()), size)) throw DataError(path, "cannot be read");
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

// PIL's antialiased bilinear resampling along one axis: a triangle filter whose support grows
// with the reduction, so a downscale averages every source pixel it covers.
// `src` holds `lines` lines of inLen samples of `channels` values, sample i of line l at
// l·lineStride + i·step; output sample o is centred on source position offset + (o + ½)·scale.
// The result is [line][o][channel].
std::vector<float> resampleAxis(const std::vector<float>& src, int inLen, int outLen, int lines, int step, int lineStride,
                                int channels, double offset, double scale) {
    std::vector<float> out(size_t(lines) * outLen * channels);
    const double support = std::max(1.0, scale);
    for (int o = 0; o < outLen; ++o) {
        const double centre = offset + (o + 0.5) * scale;
        const int lo = std::max(0, int(std::floor(centre - support)));
        const int hi = std::min(inLen, int(std::ceil(centre + support)));
        std::vector<double> w;
        double total = 0;
        for (int i = lo; i < hi; ++i) {
            const double t = std::max(0.0, 1.0 - std::abs((i + 0.5 - centre) / support));
            w.push_back(t);
            total += t;
        }
        if (total <= 0) {  // no source pixel under the filter: take the nearest
            w.assign(1, 1.0);
            total = 1;
        }
        for (int l = 0; l < lines; ++l)
            for (int c = 0; c < channels; ++c) {
                double acc = 0;
                for (size_t k = 0; k < w.size(); ++k) {
                    const int i = std::min(inLen - 1, lo + int(k));
                    acc += w[k] * src[size_t(l) * lineStride + size_t(i) * step + c];
                }
                out[(size_t(l) * outLen + o) * channels + c] = float(acc / total);
            }
    }
    return out;
}

} // namespace

std::string lowerExtension(const std::string& path) {
    const auto dot = path.find_last_of('.');
    if (dot == std::string::npos || path.find('/', dot) != std::string::npos) return {};
    std::string ext = path.substr(dot + 1);
    for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

DecodedImage decodeImageFile(const std::string& path, int minShorterSide) {
    const std::string ext = lowerExtension(path);
    const std::vector<uint8_t> bytes = readFileBytes(path);
    // The bytes decide, not the name: a JPEG saved as .png still reads, a text file as .png does not.
    if (bytes.size() >= 8 && std::memcmp(bytes.data(), "\x89PNG\r\n\x1a\n", 8) == 0) return decodePng(path, bytes);
    if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return decodeJpeg(path, bytes, minShorterSide);
    if (bytes.size() >= 2 && bytes[0] == 'B' && bytes[1] == 'M') return decodeBmp(path, bytes);
    throw DataError(path, "is not a PNG, JPEG or BMP image (its first bytes say otherwise), despite its ." + ext + " name");
}

DecodedImage resizeShorterSideAndCrop(const DecodedImage& img, int n) {
    const int w = img.width, h = img.height, c = img.channels;
    // Scale so the shorter side is n; the crop keeps the centre n pixels of the longer side.
    const double s = double(std::min(w, h)) / n;  // source pixels per output pixel
    const double cropX = (w / s - n) / 2 * s, cropY = (h / s - n) / 2 * s;
    std::vector<float> src(img.pixels.begin(), img.pixels.end());
    // Horizontal pass: h lines of w pixels → h lines of n.
    const std::vector<float> horiz = resampleAxis(src, w, n, h, c, w * c, c, cropX, s);
    // Vertical pass: treat each output column as a line of h samples.
    std::vector<float> vert(size_t(n) * n * c);
    {
        const std::vector<float> cols = resampleAxis(horiz, h, n, n, n * c, c, c, cropY, s);
        // cols is [column][row][channel]; transpose to [row][column][channel]
        for (int x = 0; x < n; ++x)
            for (int y = 0; y < n; ++y)
                for (int k = 0; k < c; ++k) vert[(size_t(y) * n + x) * c + k] = cols[(size_t(x) * n + y) * c + k];
    }
    DecodedImage out;
    out.width = out.height = n;
    out.channels = c;
    out.pixels.resize(vert.size());
    for (size_t i = 0; i < vert.size(); ++i) out.pixels[i] = uint8_t(std::clamp(std::lround(vert[i]), 0L, 255L));
    return out;
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
