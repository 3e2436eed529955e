// A dataset split held in plain memory: uint8 images (N×C×H×W), float feature vectors (N×D),
// tokenized texts (each example's words as ids into the dataset's corpus, data/text_corpus.h) or
// the files of images too many to hold decoded (streamed, data/streamed_images.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace imblab {

struct DatasetSplit {
    std::vector<uint8_t> images;  // N·C·H·W bytes, channel-planar; empty for feature data
    std::vector<float> features;  // N·D floats; empty for image data
    std::vector<int64_t> labels;  // N labels in [0, k)
    // Text: example i's words are tokens[tokenOffsets[i], tokenOffsets[i+1]) (ids into
    // Dataset::corpusTokens, at most Dataset::maxTokens of them), its text as read (cleaned, up to
    // a preview's length) for display, where it came from (a file, or file:line of a table), and
    // whether words were cut off at maxTokens.
    std::vector<uint32_t> tokens;
    std::vector<int64_t> tokenOffsets;  // N+1 entries for text, else empty
    std::vector<std::string> texts, textSources;
    std::vector<uint8_t> textTruncated;
    // Streamed images (data/streamed_images.h): example i's encoded file; `images` stays empty.
    std::vector<std::string> files;

    int64_t size() const { return int64_t(labels.size()); }
};

// A file of a folder dataset that could not be read, and why ("is empty (0 bytes)").
struct SkippedFile {
    std::string path, reason;
};

struct Dataset {
    std::string id;                       // manifest id: fashion-mnist, mnist, cifar10, cifar100, blobs, folder, list, csv,
                                          // text, spamassassin, debian-packages
    std::vector<std::string> classNames;  // k names
    int channels = 0, height = 0, width = 0;  // image shape; 0 for feature data
    int featureDim = 0;                        // D for feature data; 0 for images
    std::vector<std::string> featureNames;     // CSV tables: the D feature columns
    std::vector<double> mean, std;             // per-channel normalization (images); a CSV's per-feature
                                               // standardisation, already applied
    DatasetSplit train, test;
    std::vector<SkippedFile> skipped;          // image folders: unreadable files, in path order
    bool fromDecodedCache = false;             // image folders, lists and texts: read from data/decoded_cache.h
    std::string pipelineNote;                  // image listings: decoded or streamed, and why (data/streamed_images.h)
    // Text: the distinct words of both splits (a split's token ids index this) and the most words
    // kept per example; 0 for images and features.
    std::vector<std::string> corpusTokens;
    int maxTokens = 0;

    int numClasses() const { return int(classNames.size()); }
    bool isImage() const { return channels > 0; }
    bool isText() const { return maxTokens > 0; }
    bool isStreamed() const { return !train.files.empty(); }
    int64_t sampleSize() const { return isImage() ? int64_t(channels) * height * width : featureDim; }
};

// Number of examples of each class in a split.
std::vector<int64_t> countPerClass(const DatasetSplit& split, int numClasses);

// The examples at `indices` (in that order), as a new split.
DatasetSplit selectExamples(const DatasetSplit& split, int64_t sampleSize,
                            const std::vector<int64_t>& indices);

} // namespace imblab
