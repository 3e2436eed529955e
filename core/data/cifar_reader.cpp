// CIFAR binary parsing: fixed-size records, checked against the file size before reading.
#include "data/cifar_reader.h"

#include "errors.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace imblab {
namespace {

constexpr int64_t kPixels = 3 * 32 * 32;
namespace fs = std::filesystem;

std::string requireFile(const std::string& folder, const std::string& name) {
    if (!fs::exists(folder)) throw DataError(folder, "folder not found");
    if (!fs::is_directory(folder)) throw DataError(folder, "is not a folder");
    const fs::path p = fs::path(folder) / name;
    if (!fs::exists(p)) throw DataError(p.string(), "missing: the CIFAR binary version has this file");
    return p.string();
}

std::vector<std::string> readNames(const std::string& folder, const std::string& name) {
    std::vector<std::string> names;
    std::ifstream in(fs::path(folder) / name);
    for (std::string line; std::getline(in, line);) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (!line.empty()) names.push_back(line);
    }
    return names;
}

void append(CifarSplit& into, CifarSplit&& part) {
    auto& a = into.split;
    a.images.insert(a.images.end(), part.split.images.begin(), part.split.images.end());
    a.labels.insert(a.labels.end(), part.split.labels.begin(), part.split.labels.end());
    into.coarseLabels.insert(into.coarseLabels.end(), part.coarseLabels.begin(), part.coarseLabels.end());
}

} // namespace

CifarSplit readCifarFile(const std::string& path, int labelBytes, int numClasses) {
    if (!fs::exists(path)) throw DataError(path, "file not found");
    const uint64_t size = fs::file_size(path);
    const int64_t record = labelBytes + kPixels;
    if (size == 0) throw DataError(path, "is empty, expected records of " + std::to_string(record) + " bytes");
    if (size % uint64_t(record) != 0)
        throw DataError(path, "size " + std::to_string(size) + " bytes is not a whole number of " +
                                  std::to_string(record) + "-byte CIFAR records (truncated or not CIFAR)");
    const int64_t n = int64_t(size / uint64_t(record));
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DataError(path, "cannot be opened for reading");
    std::vector<uint8_t> raw(size);
    if (!in.read(reinterpret_cast<char*>(raw.data()), std::streamsize(size)))
        throw DataError(path, "read failed before the end of the file");

    CifarSplit out;
    out.split.images.resize(size_t(n * kPixels));
    out.split.labels.resize(size_t(n));
    if (labelBytes == 2) out.coarseLabels.resize(size_t(n));
    for (int64_t i = 0; i < n; ++i) {
        const uint8_t* rec = raw.data() + i * record;
        const int64_t label = rec[labelBytes - 1];
        if (label >= numClasses)
            throw DataError(path, "record " + std::to_string(i) + " has label " + std::to_string(label) +
                                      ", expected 0.." + std::to_string(numClasses - 1));
        out.split.labels[size_t(i)] = label;
        if (labelBytes == 2) out.coarseLabels[size_t(i)] = rec[0];
        std::copy_n(rec + labelBytes, kPixels, out.split.images.begin() + i * kPixels);
    }
    return out;
}

CifarDataset readCifar10(const std::string& folder) {
    CifarDataset ds;
    for (int b = 1; b <= 5; ++b)
        append(ds.train, readCifarFile(requireFile(folder, "data_batch_" + std::to_string(b) + ".bin"), 1, 10));
    ds.test = readCifarFile(requireFile(folder, "test_batch.bin"), 1, 10);
    ds.classNames = readNames(folder, "batches.meta.txt");
    if (!ds.classNames.empty() && ds.classNames.size() != 10)
        throw DataError((fs::path(folder) / "batches.meta.txt").string(),
                        "lists " + std::to_string(ds.classNames.size()) + " class names, expected 10");
    return ds;
}

CifarDataset readCifar100(const std::string& folder) {
    CifarDataset ds;
    ds.train = readCifarFile(requireFile(folder, "train.bin"), 2, 100);
    ds.test = readCifarFile(requireFile(folder, "test.bin"), 2, 100);
    ds.classNames = readNames(folder, "fine_label_names.txt");
    ds.coarseClassNames = readNames(folder, "coarse_label_names.txt");
    if (!ds.classNames.empty() && ds.classNames.size() != 100)
        throw DataError((fs::path(folder) / "fine_label_names.txt").string(),
                        "lists " + std::to_string(ds.classNames.size()) + " class names, expected 100");
    return ds;
}

} // namespace imblab
