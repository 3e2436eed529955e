// Image sets too large to hold decoded (iNaturalist at 224 px would take 66 GB): the listing's
// files kept by path, each checked from its first bytes when the set opens (so an unreadable file
// is a listed skip before training, as with decoded folders), the channel count taken from the
// headers and the normalisation estimated from a sample of the training images. The training
// loop decodes them every epoch (training/image_stream.h).
#pragma once

#include "data/class_folders.h"
#include "data/dataset.h"
#include "data/image_folder.h"

#include <cstdint>
#include <string>

namespace imblab {

// Training images decoded (with the evaluation crop) to estimate the per-channel mean and std:
// every training image of a smaller set, so that its numbers are the decoded path's.
constexpr int64_t kStreamStatsImages = 1000;

// Whether a set streams: by hand ("stream" | "decoded") or, for "auto", when its decoded images
// (train and test, `channels`×size×size bytes each) would take more than a quarter of the
// machine's memory. The note says why, for the log and config.json.
struct PipelineChoice {
    bool stream = false;
    std::string note;
};
PipelineChoice chooseImagePipeline(const std::string& setting, int64_t images, int channels, int size, int64_t memoryBytes);

// Physical memory of this machine in bytes (0 when unknown).
int64_t physicalMemoryBytes();

// The shorter side an evaluation crop resizes to: `resize` when set, else size·256/224 (224 → 256,
// ImageNet's evaluation transform).
int evaluationResize(int size, int resize);

// A Dataset whose splits name their files (DatasetSplit::files, no pixels): channels from the
// headers (or options.channels), height = width = options.imageSize, the mean/std of up to
// kStreamStatsImages training images cut with the evaluation crop at `evalResize`. Unreadable
// files are skipped and listed (DataError under options.strict); DataError naming the class's
// place for a class left without a readable training image.
Dataset streamListing(const ClassFolderListing& listing, const ImageFolderOptions& options, int evalResize);

} // namespace imblab
