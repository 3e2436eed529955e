// Checkpoints; see checkpoint.h.
#include "training/checkpoint.h"

#include "errors.h"
#include "io/atomic_file.h"
#include "models/classifier.h"
#include "training/step_pipeline.h"

#include <torch/torch.h>

#include <array>
#include <cstring>
#include <filesystem>

namespace imblab {

namespace {

constexpr int64_t kCheckpointFormat = 1;

torch::Tensor rngTensor(const Rng& rng) {
    const auto st = rng.state();
    auto t = torch::empty({4}, torch::kInt64);
    std::memcpy(t.data_ptr<int64_t>(), st.data(), sizeof(uint64_t) * 4);
    return t;
}

void restoreRng(Rng& rng, const torch::Tensor& t) {
    std::array<uint64_t, 4> st{};
    const auto c = t.to(torch::kCPU, torch::kInt64).contiguous();
    if (c.numel() != 4) throw TrainingError("checkpoint RNG state has the wrong size");
    std::memcpy(st.data(), c.data_ptr<int64_t>(), sizeof(uint64_t) * 4);
    rng.setState(st);
}

torch::Tensor textTensor(const std::string& text) {
    auto t = torch::empty({int64_t(text.size())}, torch::kUInt8);
    std::memcpy(t.data_ptr<uint8_t>(), text.data(), text.size());
    return t;
}

std::string tensorText(const torch::Tensor& t) {
    const auto c = t.to(torch::kCPU, torch::kUInt8).contiguous();
    return std::string(reinterpret_cast<const char*>(c.data_ptr<uint8_t>()), size_t(c.numel()));
}

int64_t readInt(torch::serialize::InputArchive& a, const char* key) {
    torch::Tensor t;
    a.read(key, t);
    return t.to(torch::kCPU, torch::kInt64).item<int64_t>();
}

// The first line of a LibTorch error: enough to say what was wrong with a file.
std::string firstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

} // namespace

void writeCheckpoint(const std::string& path, Classifier& model, const StepPipeline& pipeline,
                     const CheckpointCounters& c, const std::string& configJson) {
    writeFileAtomically(path, [&](const std::string& tmp) {
        torch::serialize::OutputArchive a, weights;
        model.save(weights);
        a.write("model", weights);
        pipeline.saveState(a);
        a.write("format", torch::tensor(kCheckpointFormat));
        a.write("epochs_done", torch::tensor(int64_t(c.epochsDone)));
        a.write("step", torch::tensor(c.step));
        a.write("images_seen", torch::tensor(c.imagesSeen));
        a.write("train_seconds", torch::tensor(c.trainSeconds, torch::kFloat64));
        a.write("sample_rng", rngTensor(c.sampleRng));
        a.write("augment_rng", rngTensor(c.augmentRng));
        a.write("running_seen", torch::tensor(c.runningSeen, torch::kFloat64));
        a.write("running_wrong", torch::tensor(c.runningWrong, torch::kFloat64));
        a.write("best_epoch", torch::tensor(int64_t(c.bestEpoch)));
        a.write("best_balanced_error", torch::tensor(c.bestBalancedError, torch::kFloat64));
        a.write("config", textTensor(configJson));
        a.save_to(tmp);
    });
}

CheckpointProgress readCheckpointProgress(const std::string& path) {
    if (!std::filesystem::is_regular_file(path)) throw DataError(path, "no checkpoint here (was the run started with checkpoints?)");
    torch::serialize::InputArchive a;
    CheckpointProgress p;
    try {
        a.load_from(path, torch::kCPU);
        if (readInt(a, "format") != kCheckpointFormat) throw DataError(path, "checkpoint format is not 1");
        p.epochs = int(readInt(a, "epochs_done"));
        p.step = readInt(a, "step");
        torch::Tensor text;
        a.read("config", text);
        p.configJson = tensorText(text);
    } catch (const DataError&) {
        throw;
    } catch (const std::exception& e) {
        throw DataError(path, "is not a readable checkpoint: " + firstLine(e.what()));
    }
    return p;
}

struct CheckpointReader::Impl {
    std::string path;
    torch::serialize::InputArchive archive;
};

CheckpointReader::CheckpointReader(const std::string& path) : impl_(std::make_unique<Impl>()) {
    impl_->path = path;
    try {
        impl_->archive.load_from(path, torch::kCPU);
    } catch (const std::exception& e) {
        throw DataError(path, "is not a readable checkpoint: " + firstLine(e.what()));
    }
}

CheckpointReader::~CheckpointReader() = default;

void CheckpointReader::loadWeights(Classifier& model) {
    torch::serialize::InputArchive weights;
    impl_->archive.read("model", weights);
    model.load(weights);
}

CheckpointCounters CheckpointReader::loadState(StepPipeline& pipeline) {
    auto& a = impl_->archive;
    pipeline.loadState(a);
    CheckpointCounters c;
    // Each read into a fresh tensor: InputArchive::read re-points a defined one, keeping its dtype.
    torch::Tensor sampleState, augmentState, seconds;
    a.read("sample_rng", sampleState);
    restoreRng(c.sampleRng, sampleState);
    a.read("augment_rng", augmentState);
    restoreRng(c.augmentRng, augmentState);
    c.epochsDone = int(readInt(a, "epochs_done"));
    c.step = readInt(a, "step");
    c.imagesSeen = readInt(a, "images_seen");
    a.read("train_seconds", seconds);
    c.trainSeconds = seconds.item<double>();
    torch::Tensor seen, wrong;
    if (a.try_read("running_seen", seen) && a.try_read("running_wrong", wrong) && seen.numel() == wrong.numel()) {
        seen = seen.to(torch::kFloat64).contiguous();
        wrong = wrong.to(torch::kFloat64).contiguous();
        c.runningSeen.assign(seen.data_ptr<double>(), seen.data_ptr<double>() + seen.numel());
        c.runningWrong.assign(wrong.data_ptr<double>(), wrong.data_ptr<double>() + wrong.numel());
    }
    torch::Tensor bestEpoch, bestError;
    if (a.try_read("best_epoch", bestEpoch) && a.try_read("best_balanced_error", bestError)) {
        c.bestEpoch = int(bestEpoch.item<int64_t>());
        c.bestBalancedError = bestError.item<double>();
    }
    return c;
}

} // namespace imblab
