// The stream pipeline's decoder: a pool of threads decodes a plan of batches from the image files
// (data/example_decode.h) into a ring of batch slots allocated once per plan (page-locked on
// CUDA, so the copy to the GPU is asynchronous), at most slots − 1 batches ahead of the step that
// takes them (ffcv's ring, PyTorch DataLoader's prefetch). Memory is slots × batch × C×S×S bytes
// whatever the size of the set. Each row's crop and flip come from its own seed, so a batch is
// the same whichever thread decodes it and whenever the plan is restarted.
#pragma once

#include <torch/types.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace imblab {

// One example of a planned batch: a file of the stream, and how it is cut — a training crop and
// flip drawn from `seed`, or the evaluation's centre crop.
struct StreamRow {
    int64_t file = 0;
    uint64_t seed = 0;
    bool train = false;
};
using StreamPlan = std::vector<std::vector<StreamRow>>;

// An epoch's training plan: step s takes the examples at positions [s·batch, (s+1)·batch) of
// `order` (the last step the rest); a data-parallel rank decodes rows [B·r/N, B·(r+1)/N) of each
// (all of them when `wholeBatches`: mixing pairs rows across ranks). Example `order[p]` is file
// `files[order[p]]`, cut with a training crop from the seed mix(epochSeed, p) when `augment`,
// else with the evaluation's crop.
std::shared_ptr<StreamPlan> trainingPlan(const std::vector<int64_t>& order, const int64_t* files, int64_t batch, int64_t steps,
                                         int rank, int world, bool wholeBatches, uint64_t epochSeed, bool augment);
// The rows `files` (n of them) in batches of `batch`, each cut with the evaluation's crop.
std::shared_ptr<StreamPlan> evaluationPlan(const int64_t* files, int64_t n, int64_t batch);

struct ImageStreamOptions {
    int size = 224;                     // S: examples are S×S
    int channels = 3;
    std::string crop = "random-resized";  // training crop (data/image_crops.h): random-resized | random
    int evalResize = 256;               // the shorter side before the evaluation's centre crop (and "random"'s)
    bool flip = true;                   // training rows mirrored with probability ½
    int threads = 0;                    // decoding threads; 0 = all cores
    int slots = 4;                      // batches in the ring (the step's one and up to slots − 1 ahead)
    bool pinned = false;                // page-locked slots (CUDA)
    // Per channel x·scale + shift, written as float by the decoding threads (empty: uint8 slots,
    // normalised where the batch goes: on a GPU the copy stays a quarter of the size).
    std::vector<float> scale, shift;
};

class ImageStream {
public:
    ImageStream(std::vector<std::string> files, ImageStreamOptions options);
    ~ImageStream();
    ImageStream(const ImageStream&) = delete;
    ImageStream& operator=(const ImageStream&) = delete;

    // Replaces the plan (decodes in flight finish first and are dropped): its batches from
    // `first` on are decoded in order. `id` names the plan for the caller.
    void start(std::shared_ptr<const StreamPlan> plan, int64_t id, int64_t first = 0);
    int64_t planId() const;
    // The batch take() returns next (the plan's size once it has all been taken).
    int64_t nextBatch() const;

    // The next batch of the plan, [rows, C, S, S] uint8 (or float, normalised, with scale and
    // shift), waiting for it; its memory is reused at the next take() or start(). DataError naming
    // the file when one of its rows failed.
    torch::Tensor take();

    int threads() const { return int(workers_.size()); }

private:
    struct Slot {
        torch::Tensor buffer;  // [capacity, C, S, S] uint8 or float
        int64_t batch = -1;    // the plan's batch it holds or is filling; -1 = free
        int64_t remaining = 0; // rows not yet decoded
        std::string errorFile, errorWhy;
    };
    void work();
    // Writes one example at `out`: uint8, or float after scale and shift.
    void decodeRow(const StreamRow& row, void* out) const;
    Slot& slotOf(int64_t batch) { return slots_[size_t(batch % int64_t(slots_.size()))]; }

    std::vector<std::string> files_;
    ImageStreamOptions o_;
    int64_t rowValues_ = 0;  // C·S·S values an example
    mutable std::mutex m_;
    std::condition_variable workReady_, batchReady_, idle_;
    std::shared_ptr<const StreamPlan> plan_;
    int64_t id_ = -1, generation_ = 0;
    int64_t claimBatch_ = 0, claimRow_ = 0;  // the next row a worker decodes
    int64_t takeIndex_ = 0;                  // the next batch take() returns
    int64_t held_ = -1;                      // the batch the caller holds (its slot stays taken)
    int64_t inFlight_ = 0;
    bool stop_ = false;
    std::vector<Slot> slots_;
    std::vector<std::thread> workers_;
};

} // namespace imblab
