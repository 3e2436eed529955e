// Writers of tiny dataset files in the real formats (IDX, CIFAR binary), for the tests.
#pragma once

#include <zlib.h>

#include <QTemporaryDir>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace imblab::test {

inline void putBigEndian(std::vector<uint8_t>& out, uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(uint8_t(v >> s));
}

inline std::vector<uint8_t> idxImages(uint32_t count, uint32_t rows, uint32_t cols, uint8_t fill = 7) {
    std::vector<uint8_t> b;
    putBigEndian(b, 0x803);
    putBigEndian(b, count);
    putBigEndian(b, rows);
    putBigEndian(b, cols);
    for (uint32_t i = 0; i < count * rows * cols; ++i) b.push_back(uint8_t(fill + i % 5));
    return b;
}

inline std::vector<uint8_t> idxLabels(const std::vector<uint8_t>& labels) {
    std::vector<uint8_t> b;
    putBigEndian(b, 0x801);
    putBigEndian(b, uint32_t(labels.size()));
    b.insert(b.end(), labels.begin(), labels.end());
    return b;
}

inline void writeRaw(const std::string& path, const std::vector<uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

inline void writeGz(const std::string& path, const std::vector<uint8_t>& bytes) {
    gzFile f = gzopen(path.c_str(), "wb");
    gzwrite(f, bytes.data(), unsigned(bytes.size()));
    gzclose(f);
}

// An MNIST-shaped folder: `perClass` examples of each of 10 classes in train and test.
inline void writeMnistFolder(const std::string& dir, int perClass, bool gz = true) {
    std::vector<uint8_t> labels;
    for (int i = 0; i < perClass * 10; ++i) labels.push_back(uint8_t(i % 10));
    const uint32_t n = uint32_t(labels.size());
    auto w = [&](const std::string& name, const std::vector<uint8_t>& b) {
        if (gz) writeGz(dir + "/" + name + ".gz", b);
        else writeRaw(dir + "/" + name, b);
    };
    w("train-images-idx3-ubyte", idxImages(n, 28, 28));
    w("train-labels-idx1-ubyte", idxLabels(labels));
    w("t10k-images-idx3-ubyte", idxImages(n, 28, 28));
    w("t10k-labels-idx1-ubyte", idxLabels(labels));
}

// CIFAR records: label byte(s) then 3072 pixels whose first byte is the record index.
inline std::vector<uint8_t> cifarRecords(const std::vector<std::vector<uint8_t>>& labelBytes) {
    std::vector<uint8_t> b;
    for (size_t i = 0; i < labelBytes.size(); ++i) {
        b.insert(b.end(), labelBytes[i].begin(), labelBytes[i].end());
        for (int p = 0; p < 3072; ++p) b.push_back(uint8_t(p == 0 ? i : p % 251));
    }
    return b;
}

} // namespace imblab::test
