// Reader for the IDX format of MNIST and Fashion-MNIST (gzip-compressed or raw).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace imblab {

struct IdxImages {
    int64_t count = 0;
    int rows = 0, cols = 0;
    std::vector<uint8_t> pixels;  // count·rows·cols bytes
};

// Throws DataError naming `path` on a missing file, wrong magic number, truncated or oversized
// data, or a header whose dimensions do not match the file. Never allocates more than the
// file really holds.
IdxImages readIdxImages(const std::string& path);
std::vector<int64_t> readIdxLabels(const std::string& path);

// The path of an IDX file in `folder`: "<name>.gz", "<name>", or the MNIST-site spelling
// with a dot ("train-images.idx3-ubyte"); DataError naming what was looked for if none exists.
std::string findIdxFile(const std::string& folder, const std::string& name);

} // namespace imblab
