// One piece of device work (a training step, an evaluation forward) captured once as a CUDA graph
// and replayed with a single launch: small CIFAR-size networks are bound by per-kernel launch
// overhead, which replay removes. Builds without CUDA, where capture() says why it cannot.
#pragma once

#include <functional>
#include <memory>
#include <string>

namespace imblab {

class CudaGraph {
public:
    CudaGraph();
    ~CudaGraph();
    CudaGraph(const CudaGraph&) = delete;
    CudaGraph& operator=(const CudaGraph&) = delete;

    // Runs `warmup` eagerly on a side stream (it must leave the state as it found it: cuBLAS and
    // cuDNN handles, plans and the autograd buffers get created there), then records `body` on
    // that stream. Nothing recorded is executed. `sharePool`: a graph whose memory pool this one
    // reuses (graphs that never run at the same time). Returns false, with `why`, when capture is
    // impossible; the graph then stays empty and the caller runs `body` eagerly.
    bool capture(const std::function<void()>& warmup, const std::function<void()>& body, std::string& why,
                 const CudaGraph* sharePool = nullptr);
    bool captured() const;
    // Launches the recorded work on the current stream; nothing waits.
    void replay();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// True when this build of LibTorch has CUDA (the graph code is compiled in).
bool cudaGraphsCompiledIn();

} // namespace imblab
