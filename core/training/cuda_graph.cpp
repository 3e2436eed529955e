// CUDA graph capture via at::cuda::CUDAGraph when LibTorch has CUDA (IMBLAB_WITH_CUDA, set by
// CMake from the Torch package); otherwise capture() reports that graphs are unavailable.
#include "training/cuda_graph.h"

#if IMBLAB_WITH_CUDA
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <cuda_runtime_api.h>
#endif

#include <exception>

namespace imblab {

#if IMBLAB_WITH_CUDA

struct CudaGraph::Impl {
    std::unique_ptr<at::cuda::CUDAGraph> graph;
    bool captured = false;
};

CudaGraph::CudaGraph() : impl_(std::make_unique<Impl>()) {}
CudaGraph::~CudaGraph() = default;

bool CudaGraph::capture(const std::function<void()>& warmup, const std::function<void()>& body, std::string& why,
                        const CudaGraph* sharePool) {
    auto side = c10::cuda::getStreamFromPool();
    try {
        c10::cuda::device_synchronize();
        {
            c10::cuda::CUDAStreamGuard guard(side);
            warmup();
        }
        c10::cuda::device_synchronize();
    } catch (const std::exception& e) {
        why = std::string("warm-up before capture failed: ") + e.what();
        return false;
    }
    impl_->graph = std::make_unique<at::cuda::CUDAGraph>();
    try {
        c10::cuda::CUDAStreamGuard guard(side);
        if (sharePool && sharePool->impl_->captured) impl_->graph->capture_begin(sharePool->impl_->graph->pool());
        else impl_->graph->capture_begin();
        try {
            body();
        } catch (...) {
            try {
                impl_->graph->capture_end();  // ends the stream capture; reports the broken graph
            } catch (...) {
            }
            throw;
        }
        impl_->graph->capture_end();
        c10::cuda::device_synchronize();
        impl_->captured = true;
        return true;
    } catch (const std::exception& e) {
        why = e.what();
        const auto cut = why.find('\n');
        if (cut != std::string::npos) why.resize(cut);
        (void)cudaGetLastError();  // clear the sticky capture error so eager work can go on
        // A graph whose capture broke may not be torn down safely; keeping it costs only its
        // handle, once per run.
        (void)impl_->graph.release();
        return false;
    }
}

bool CudaGraph::captured() const { return impl_->captured; }

void CudaGraph::replay() { impl_->graph->replay(); }

bool cudaGraphsCompiledIn() { return true; }

#else

struct CudaGraph::Impl {};

CudaGraph::CudaGraph() : impl_(std::make_unique<Impl>()) {}
CudaGraph::~CudaGraph() = default;

bool CudaGraph::capture(const std::function<void()>&, const std::function<void()>&, std::string& why,
                        const CudaGraph*) {
    why = "this build of LibTorch has no CUDA";
    return false;
}

bool CudaGraph::captured() const { return false; }

void CudaGraph::replay() {}

bool cudaGraphsCompiledIn() { return false; }

#endif

} // namespace imblab
