// IDX parsing: big-endian header, then raw uint8 data; zlib reads gzip and plain files alike.
#include "data/idx_reader.h"

#include "errors.h"

#include <zlib.h>

#include <filesystem>
#include <memory>

namespace imblab {
namespace {

constexpr uint32_t kImageMagic = 0x00000803;
constexpr uint32_t kLabelMagic = 0x00000801;
// A dataset larger than this is not one we can hold; it also stops absurd header claims.
constexpr uint64_t kMaxDataBytes = uint64_t(4) << 30;

struct GzCloser {
    void operator()(gzFile_s* f) const { gzclose(f); }
};

class IdxFile {
public:
    explicit IdxFile(const std::string& path) : path_(path) {
        if (!std::filesystem::exists(path)) throw DataError(path, "file not found");
        if (std::filesystem::is_directory(path)) throw DataError(path, "is a folder, expected an IDX file");
        file_.reset(gzopen(path.c_str(), "rb"));
        if (!file_) throw DataError(path, "cannot be opened for reading");
    }

    uint32_t readBigEndian32(const char* what) {
        unsigned char b[4];
        if (readSome(b, 4) != 4)
            throw DataError(path_, std::string("truncated header: cannot read ") + what);
        return (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | b[3];
    }

    // Reads exactly `bytes` bytes, growing the buffer only as data really arrives.
    std::vector<uint8_t> readExactly(uint64_t bytes, const char* what) {
        std::vector<uint8_t> out;
        constexpr size_t kChunk = size_t(1) << 20;
        while (out.size() < bytes) {
            const size_t want = size_t(std::min<uint64_t>(kChunk, bytes - out.size()));
            const size_t at = out.size();
            out.resize(at + want);
            const size_t got = readSome(out.data() + at, want);
            out.resize(at + got);
            if (got < want)
                throw DataError(path_, "truncated: header announces " + std::to_string(bytes) + " bytes of " +
                                           what + ", the file holds only " + std::to_string(out.size()));
        }
        unsigned char extra;
        if (readSome(&extra, 1) != 0)
            throw DataError(path_, "file is longer than its header announces (" + std::to_string(bytes) +
                                       " bytes of " + what + "): header and data do not match");
        return out;
    }

private:
    size_t readSome(void* dst, size_t n) {
        const int got = gzread(file_.get(), dst, unsigned(n));
        if (got < 0) {
            int errnum = 0;
            const char* msg = gzerror(file_.get(), &errnum);
            throw DataError(path_, std::string("corrupt compressed data (") + (msg ? msg : "zlib error") + ")");
        }
        if (size_t(got) < n && !gzeof(file_.get())) {
            int errnum = 0;
            const char* msg = gzerror(file_.get(), &errnum);
            if (errnum != Z_OK && errnum != Z_BUF_ERROR)
                throw DataError(path_, std::string("corrupt compressed data (") + (msg ? msg : "zlib error") + ")");
        }
        return size_t(got);
    }

    std::string path_;
    std::unique_ptr<gzFile_s, GzCloser> file_;
};

std::string hex(uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08X", v);
    return buf;
}

} // namespace

IdxImages readIdxImages(const std::string& path) {
    IdxFile file(path);
    const uint32_t magic = file.readBigEndian32("magic number");
    if (magic != kImageMagic)
        throw DataError(path, "wrong magic number " + hex(magic) + ", expected " + hex(kImageMagic) +
                                  " (IDX uint8 images, 3 dimensions)");
    const uint32_t count = file.readBigEndian32("image count");
    const uint32_t rows = file.readBigEndian32("row count");
    const uint32_t cols = file.readBigEndian32("column count");
    if (count == 0) throw DataError(path, "holds no images (count 0)");
    if (rows == 0 || cols == 0 || rows > 4096 || cols > 4096)
        throw DataError(path, "implausible image size " + std::to_string(rows) + "x" + std::to_string(cols));
    const uint64_t bytes = uint64_t(count) * rows * cols;
    if (bytes > kMaxDataBytes)
        throw DataError(path, "header claims " + std::to_string(count) + " images of " + std::to_string(rows) + "x" +
                                  std::to_string(cols) + " (" + std::to_string(bytes) + " bytes): too large to be real");
    IdxImages out;
    out.count = count;
    out.rows = int(rows);
    out.cols = int(cols);
    out.pixels = file.readExactly(bytes, "pixels");
    return out;
}

std::vector<int64_t> readIdxLabels(const std::string& path) {
    IdxFile file(path);
    const uint32_t magic = file.readBigEndian32("magic number");
    if (magic != kLabelMagic)
        throw DataError(path, "wrong magic number " + hex(magic) + ", expected " + hex(kLabelMagic) +
                                  " (IDX uint8 labels, 1 dimension)");
    const uint32_t count = file.readBigEndian32("label count");
    if (count == 0) throw DataError(path, "holds no labels (count 0)");
    // No size cap needed: a 32-bit count is at most 4 GiB and readExactly grows only with real data.
    const std::vector<uint8_t> raw = file.readExactly(count, "labels");
    return std::vector<int64_t>(raw.begin(), raw.end());
}

std::string findIdxFile(const std::string& folder, const std::string& name) {
    namespace fs = std::filesystem;
    if (!fs::exists(folder)) throw DataError(folder, "folder not found");
    if (!fs::is_directory(folder)) throw DataError(folder, "is not a folder");
    std::string dotted = name;  // train-images-idx3-ubyte → train-images.idx3-ubyte
    if (const auto pos = dotted.rfind("-idx"); pos != std::string::npos) dotted[pos] = '.';
    for (const std::string& candidate : {name + ".gz", name, dotted + ".gz", dotted}) {
        const fs::path p = fs::path(folder) / candidate;
        if (fs::exists(p)) return p.string();
    }
    throw DataError((fs::path(folder) / name).string(), "missing: expected '" + name + ".gz' or '" + name +
                                                            "' in this folder");
}

} // namespace imblab
