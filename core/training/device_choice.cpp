// Device and pipeline choice; see device_choice.h.
#include "training/device_choice.h"

#include "errors.h"
#include "models/model_names.h"
#include "util/blas_library.h"

#include <spdlog/spdlog.h>
#include <torch/cuda.h>
#include <torch/torch.h>

#include <algorithm>
#include <thread>

namespace imblab {

bool cudaAvailable() { return torch::cuda::is_available(); }

int defaultCpuThreads(int ranksOnThisNode) {
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    return std::max(1, cores / std::max(1, ranksOnThisNode));
}

std::string computeLibraries() {
    const int64_t gpus = cudaAvailable() ? int64_t(torch::cuda::device_count()) : 0;
    const int threads = defaultCpuThreads();
    return std::string("LibTorch ") + TORCH_VERSION + " · CPU: " + std::to_string(threads) +
           (threads == 1 ? " thread, " : " threads, ") + blasLibrary() + " · CUDA: " +
           (gpus > 0 ? std::to_string(gpus) + (gpus == 1 ? " GPU" : " GPUs") : std::string("not available"));
}

std::string resolveDevice(const std::string& requested) {
    if (requested != "auto" && requested != "cpu" && requested != "cuda")
        throw ConfigError("train.device", "unknown value '" + requested + "' (expected auto, cpu, cuda)");
    if (requested == "cpu") return "cpu";
    if (requested == "cuda" && !cudaAvailable())
        throw ConfigError("train.device", "CUDA was requested but is not available (no CUDA build of LibTorch or no "
                                          "visible GPU); use --device cpu or auto");
    return cudaAvailable() ? "cuda" : "cpu";
}

std::string resolvePipeline(const TrainConfig& train, const std::string& device) {
    std::string p = train.pipeline == "auto" ? (device == "cuda" ? "graph" : "host") : train.pipeline;
    if (p != "host" && isTextModel(train.model)) {
        if (train.pipeline != "auto")
            spdlog::info("texts run on the host pipeline (their batches change length; the {} pipeline keeps batch shapes "
                         "fixed)", p);
        return "host";
    }
    if (p != "host" && train.optimizer != "sgd") {
        spdlog::info("the {} pipeline implements SGD; {} runs on the host pipeline", p, train.optimizer);
        return "host";
    }
    if (p != "host" && train.imbsam && train.sam > 0) {
        spdlog::info("ImbSAM runs on the host pipeline (its loss splits each batch by class; the {} pipeline keeps "
                     "batch shapes fixed)", p);
        return "host";
    }
    if (p == "graph" && device != "cuda") {
        spdlog::info("CUDA graphs need a CUDA device; running the device pipeline on the {}", device);
        return "device";
    }
    return p;
}

} // namespace imblab
