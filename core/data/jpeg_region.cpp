// The cropped, scaled JPEG decode; see jpeg_region.h.
#include "data/jpeg_region.h"

#include "errors.h"

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdio>

#include <jpeglib.h>

namespace imblab {

namespace {

// libjpeg reports errors by calling error_exit, which must not return: we jump back to the
// decode with the message. Warnings (a file cut short: "Premature end of JPEG file") jump too.
struct JumpingErrors {
    jpeg_error_mgr pub;
    std::jmp_buf back;
    char message[JMSG_LENGTH_MAX];
};

void jumpOnError(j_common_ptr cinfo) {
    auto* e = reinterpret_cast<JumpingErrors*>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, e->message);
    std::longjmp(e->back, 1);
}

void jumpOnWarning(j_common_ptr cinfo, int level) {
    if (level < 0) jumpOnError(cinfo);  // level -1: a warning; above: trace messages
}

// The decompressor and its buffers live here, outside the function that calls setjmp, so that
// nothing with a destructor is skipped by a longjmp.
struct Decompressor {
    jpeg_decompress_struct cinfo{};
    JumpingErrors errors{};
    bool created = false;
    ~Decompressor() {
        if (created) jpeg_destroy_decompress(&cinfo);
    }
};

// Fills `out` (already sized) with the region; false with errors.message set on a libjpeg error.
bool decodeInto(Decompressor& d, const std::vector<uint8_t>& bytes, int num, int bx0, int by0, int bx1, int by1,
                JpegRegion& out) {
    jpeg_decompress_struct& cinfo = d.cinfo;
    if (setjmp(d.errors.back)) return false;
    jpeg_create_decompress(&cinfo);
    d.created = true;
    jpeg_mem_src(&cinfo, bytes.data(), (unsigned long)bytes.size());
    jpeg_read_header(&cinfo, TRUE);
    if (int64_t(cinfo.image_width) * cinfo.image_height > kMaxImagePixels) {
        std::snprintf(d.errors.message, sizeof d.errors.message, "is %u×%u pixels, over the limit of %lld Mpixels",
                      cinfo.image_width, cinfo.image_height, (long long)(kMaxImagePixels / (1024 * 1024)));
        return false;
    }
    cinfo.scale_num = unsigned(num);
    cinfo.scale_denom = 8;
    const bool grey = cinfo.jpeg_color_space == JCS_GRAYSCALE;
    cinfo.out_color_space = grey ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&cinfo);
    const int width = int(cinfo.output_width), height = int(cinfo.output_height), channels = int(cinfo.output_components);
    const int x0 = std::clamp(bx0, 0, width - 1), y0 = std::clamp(by0, 0, height - 1);
    JDIMENSION xoff = JDIMENSION(x0), cropWidth = JDIMENSION(std::clamp(bx1, x0 + 1, width) - x0);
    if (xoff > 0 || int(cropWidth) < width) jpeg_crop_scanline(&cinfo, &xoff, &cropWidth);  // widens to iMCU edges
    const int rows = std::clamp(by1, y0 + 1, height) - y0;
    if (y0 > 0) jpeg_skip_scanlines(&cinfo, JDIMENSION(y0));
    out.x0 = int(xoff);
    out.y0 = y0;
    out.image.width = int(cropWidth);
    out.image.height = rows;
    out.image.channels = channels;
    out.image.pixels.resize(size_t(cropWidth) * size_t(rows) * size_t(channels));
    for (int r = 0; r < rows; ++r) {
        JSAMPROW row = out.image.pixels.data() + size_t(r) * size_t(cropWidth) * size_t(channels);
        if (jpeg_read_scanlines(&cinfo, &row, 1) != 1) {
            std::snprintf(d.errors.message, sizeof d.errors.message, "ends before its last row");
            return false;
        }
    }
    // The rows below the region are not needed; abort instead of decoding them.
    jpeg_abort_decompress(&cinfo);
    return true;
}

} // namespace

int jpegScaleNumerator(double boxWidth, double boxHeight, int minWidth, int minHeight) {
    for (int num = 1; num < 8; ++num)
        if (std::ceil(boxWidth * num / 8) >= minWidth && std::ceil(boxHeight * num / 8) >= minHeight) return num;
    return 8;
}

JpegRegion decodeJpegRegion(const std::string& path, const std::vector<uint8_t>& bytes, const CropBox& box, int minWidth,
                            int minHeight, int margin) {
    const int num = jpegScaleNumerator(box.width, box.height, minWidth, minHeight);
    const double scale = num / 8.0;
    JpegRegion out;
    out.scale = scale;
    const int bx0 = int(std::floor(box.x * scale)) - margin, by0 = int(std::floor(box.y * scale)) - margin;
    const int bx1 = int(std::ceil((box.x + box.width) * scale)) + margin;
    const int by1 = int(std::ceil((box.y + box.height) * scale)) + margin;

    Decompressor d;
    d.cinfo.err = jpeg_std_error(&d.errors.pub);
    d.errors.pub.error_exit = jumpOnError;
    d.errors.pub.emit_message = jumpOnWarning;
    if (!decodeInto(d, bytes, num, std::max(0, bx0), std::max(0, by0), bx1, by1, out)) {
        const std::string why = d.errors.message;
        throw DataError(path, why.rfind("is ", 0) == 0 ? why : "is not a readable JPEG: " + why);
    }
    return out;
}

} // namespace imblab
