// Which device and which step pipeline a run gets (api/engine.h has the device questions the UI
// asks; this adds the pipeline rule the trainer and the benchmark apply).
#pragma once

#include "api/engine.h"

#include <string>

namespace imblab {

// The pipeline a run uses: auto → graph on CUDA, host on the CPU; device/graph need SGD (else
// host) and graph needs CUDA (else device); each fallback is logged.
std::string resolvePipeline(const TrainConfig& train, const std::string& device);

// The threads a CPU run takes unless train.threads says otherwise: the machine's hardware
// threads, shared among the ranks of a group on this node.
int defaultCpuThreads(int ranksOnThisNode = 1);

} // namespace imblab
