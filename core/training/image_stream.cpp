// The stream pipeline's decoding pool and ring; see image_stream.h.
#include "training/image_stream.h"

#include "data/example_decode.h"
#include "data/image_crops.h"
#include "errors.h"
#include "util/rng.h"

#include <torch/torch.h>

#include <algorithm>

namespace imblab {

std::shared_ptr<StreamPlan> trainingPlan(const std::vector<int64_t>& order, const int64_t* files, int64_t batch, int64_t steps,
                                         int rank, int world, bool wholeBatches, uint64_t epochSeed, bool augment) {
    auto plan = std::make_shared<StreamPlan>();
    const int64_t n = int64_t(order.size());
    for (int64_t s = 0; s < steps; ++s) {
        const int64_t from = s * batch, to = s + 1 == steps ? n : from + batch;
        const int64_t lo = wholeBatches ? from : from + (to - from) * rank / world;
        const int64_t hi = wholeBatches ? to : from + (to - from) * (rank + 1) / world;
        std::vector<StreamRow> rows;
        for (int64_t p = lo; p < hi; ++p) rows.push_back({files[order[size_t(p)]], Rng::mix(epochSeed, uint64_t(p)), augment});
        plan->push_back(std::move(rows));
    }
    return plan;
}

std::shared_ptr<StreamPlan> evaluationPlan(const int64_t* files, int64_t n, int64_t batch) {
    auto plan = std::make_shared<StreamPlan>();
    for (int64_t start = 0; start < n; start += batch) {
        std::vector<StreamRow> rows;
        for (int64_t i = start; i < std::min(n, start + batch); ++i) rows.push_back({files[i], 0, false});
        plan->push_back(std::move(rows));
    }
    return plan;
}

ImageStream::ImageStream(std::vector<std::string> files, ImageStreamOptions options)
    : files_(std::move(files)), o_(std::move(options)) {
    rowValues_ = int64_t(o_.channels) * o_.size * o_.size;
    slots_.resize(size_t(std::max(2, o_.slots)));
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const int threads = o_.threads > 0 ? o_.threads : int(cores);
    for (int t = 0; t < threads; ++t) workers_.emplace_back([this] { work(); });
}

ImageStream::~ImageStream() {
    {
        std::lock_guard<std::mutex> lock(m_);
        stop_ = true;
    }
    workReady_.notify_all();
    for (auto& w : workers_) w.join();
}

void ImageStream::start(std::shared_ptr<const StreamPlan> plan, int64_t id, int64_t first) {
    std::unique_lock<std::mutex> lock(m_);
    // No new claims on the old plan; the rows being decoded finish into slots nobody reads.
    ++generation_;
    claimBatch_ = plan_ ? int64_t(plan_->size()) : 0;
    idle_.wait(lock, [&] { return inFlight_ == 0; });
    plan_ = std::move(plan);
    id_ = id;
    claimBatch_ = takeIndex_ = first;
    claimRow_ = 0;
    held_ = -1;
    int64_t capacity = 0;
    for (const auto& batch : *plan_) {
        if (batch.empty()) throw TrainingError("image stream: a planned batch has no rows");
        capacity = std::max(capacity, int64_t(batch.size()));
    }
    for (Slot& s : slots_) {
        s.batch = -1;
        s.remaining = 0;
        s.errorFile.clear();
        s.errorWhy.clear();
        if (capacity > 0 && (!s.buffer.defined() || s.buffer.size(0) < capacity))
            s.buffer = torch::empty({capacity, o_.channels, o_.size, o_.size},
                                    torch::TensorOptions()
                                        .dtype(o_.scale.empty() ? torch::kUInt8 : torch::kFloat32)
                                        .pinned_memory(o_.pinned));
    }
    lock.unlock();
    workReady_.notify_all();
}

int64_t ImageStream::planId() const {
    std::lock_guard<std::mutex> lock(m_);
    return id_;
}

int64_t ImageStream::nextBatch() const {
    std::lock_guard<std::mutex> lock(m_);
    return takeIndex_;
}

torch::Tensor ImageStream::take() {
    std::unique_lock<std::mutex> lock(m_);
    if (held_ >= 0) {  // the caller is done with the batch it held: its slot is free again
        slotOf(held_).batch = -1;
        held_ = -1;
        workReady_.notify_all();
    }
    if (!plan_ || takeIndex_ >= int64_t(plan_->size())) throw TrainingError("image stream: no planned batch left to take");
    const int64_t b = takeIndex_;
    Slot& s = slotOf(b);
    batchReady_.wait(lock, [&] { return s.batch == b && s.remaining == 0; });
    ++takeIndex_;
    held_ = b;
    if (!s.errorFile.empty()) throw DataError(s.errorFile, s.errorWhy);
    return s.buffer.slice(0, 0, int64_t((*plan_)[size_t(b)].size()));
}

void ImageStream::decodeRow(const StreamRow& row, void* into) const {
    const int size = o_.size, resize = o_.evalResize;
    Rng rng(row.seed);
    CropChooser choose;
    if (!row.train) choose = [&](const ImageSize& is) { return centreCropAfterResize(is.width, is.height, size, resize); };
    else if (o_.crop == "random") choose = [&](const ImageSize& is) { return randomCropAfterResize(is.width, is.height, size, resize, rng); };
    else choose = [&](const ImageSize& is) { return randomResizedCrop(is.width, is.height, rng); };
    // The crop is drawn first (it needs the file's size, read inside decodeExample), then the
    // flip; the example is mirrored in place once it is written.
    bool mirror = false;
    const CropChooser thenFlip = [&](const ImageSize& is) {
        const CropBox box = choose(is);
        mirror = row.train && o_.flip && rng.uniform() < 0.5;
        return box;
    };
    thread_local std::vector<uint8_t> bytes;
    const size_t plane = size_t(size) * size_t(size);
    bytes.resize(plane * size_t(o_.channels));
    uint8_t* out = o_.scale.empty() ? static_cast<uint8_t*>(into) : bytes.data();
    decodeExample(files_[size_t(row.file)], thenFlip, size, o_.channels, out);
    if (mirror)
        for (int c = 0; c < o_.channels; ++c)
            for (int y = 0; y < size; ++y) {
                uint8_t* line = out + (size_t(c) * size_t(size) + size_t(y)) * size_t(size);
                std::reverse(line, line + size);
            }
    if (o_.scale.empty()) return;
    // As normalizeBatch computes it (training/augment.cpp): a product, then a sum, each rounded.
    float* f = static_cast<float*>(into);
    for (int c = 0; c < o_.channels; ++c) {
        const float scale = o_.scale[size_t(c)], shift = o_.shift[size_t(c)];
        for (size_t i = size_t(c) * plane; i < size_t(c + 1) * plane; ++i) {
            const float product = float(out[i]) * scale;
            f[i] = product + shift;
        }
    }
}

void ImageStream::work() {
    std::unique_lock<std::mutex> lock(m_);
    while (true) {
        // A row can be claimed when its batch's slot is free (or already its own): a slot frees
        // when the caller is done with the batch in it, so decoding runs at most slots − 1 ahead.
        auto claimable = [&] {
            if (!plan_ || claimBatch_ >= int64_t(plan_->size())) return false;
            const Slot& s = slotOf(claimBatch_);
            return s.batch == claimBatch_ || s.batch == -1;
        };
        workReady_.wait(lock, [&] { return stop_ || claimable(); });
        if (stop_) return;
        const int64_t b = claimBatch_, r = claimRow_;
        const auto& batch = (*plan_)[size_t(b)];
        Slot& s = slotOf(b);
        if (s.batch != b) {
            s.batch = b;
            s.remaining = int64_t(batch.size());
            s.errorFile.clear();
            s.errorWhy.clear();
        }
        if (++claimRow_ == int64_t(batch.size())) {
            ++claimBatch_;
            claimRow_ = 0;
        }
        const StreamRow row = batch[size_t(r)];
        void* out = static_cast<char*>(s.buffer.data_ptr()) + r * rowValues_ * int64_t(s.buffer.element_size());
        const int64_t generation = generation_;
        ++inFlight_;
        lock.unlock();
        std::string file, why;
        try {
            decodeRow(row, out);
        } catch (const DataError& e) {
            file = e.file();
            why = std::string(e.what()).substr(e.file().size() + 2);
        } catch (const std::exception& e) {
            file = files_[size_t(row.file)];
            why = e.what();
        }
        lock.lock();
        --inFlight_;
        if (generation == generation_) {
            if (!file.empty() && s.errorFile.empty()) {
                s.errorFile = file;
                s.errorWhy = why;
            }
            if (--s.remaining == 0) batchReady_.notify_all();
        }
        if (inFlight_ == 0) idle_.notify_all();
        workReady_.notify_one();  // the next row may now be claimable (a batch boundary)
    }
}

} // namespace imblab
