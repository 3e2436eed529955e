// Data residency; see data_residency.h. Compiled with IMBLAB_WITH_CUDA as cuda_graph.cpp is.
#include "training/data_residency.h"

#if IMBLAB_WITH_CUDA
#include <c10/cuda/CUDAGuard.h>
#include <cuda_runtime_api.h>
#endif

#include <cstdio>

namespace imblab {

namespace {

std::string gigabytes(int64_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f GB", double(bytes) / 1e9);
    return buf;
}

} // namespace

ResidencyChoice chooseDataResidency(const std::string& requested, bool cuda, int64_t bytes, int64_t freeBytes) {
    ResidencyChoice c;
    const std::string size = gigabytes(bytes) + " of images";
    if (!cuda) {
        c.stream = requested == "stream";
        c.note = c.stream ? size + " in host memory, copied batch by batch (asked for; on the CPU it changes nothing)"
                          : size + " in host memory (a CPU run)";
        return c;
    }
    if (requested == "device" || requested == "stream") {
        c.stream = requested == "stream";
        c.note = size + (c.stream ? " streamed from pinned host memory (asked for)" : " on the GPU (asked for)");
        return c;
    }
    if (freeBytes < 0) {
        c.note = size + " on the GPU (its free memory is unknown)";
        return c;
    }
    c.stream = bytes > freeBytes / 2;
    c.note = size + (c.stream ? " streamed from pinned host memory: more than half of the GPU's " + gigabytes(freeBytes) + " free"
                              : " on the GPU (" + gigabytes(freeBytes) + " free)");
    return c;
}

int64_t cudaFreeBytes(int index) {
#if IMBLAB_WITH_CUDA
    const c10::cuda::CUDAGuard guard(static_cast<c10::DeviceIndex>(index));
    size_t freeBytes = 0, total = 0;
    if (cudaMemGetInfo(&freeBytes, &total) != cudaSuccess) return -1;
    return int64_t(freeBytes);
#else
    (void)index;
    return -1;
#endif
}

} // namespace imblab
