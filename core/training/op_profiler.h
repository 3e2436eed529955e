// Records what LibTorch runs while a piece of work runs (host ops, and the device kernels and
// copies when CUDA is on), with LibTorch's own (Kineto) profiler: the events behind the tables of
// op_profile.h. The kernels a CUDA graph replays are recorded one by one.
#pragma once

#include "training/op_profile.h"

#include <functional>
#include <string>
#include <vector>

namespace imblab {

struct RecordedOps {
    std::vector<ProfiledEvent> events;
    std::string traceError;  // why the trace could not be written ("" when it was, or not asked for)
};

// Runs `work` under the profiler and returns what it recorded. `tracePath` (optional): the Chrome
// trace (chrome://tracing, Perfetto) is written there too, atomically; LibTorch builds without
// Kineto (Debian's) record the host ops but cannot write one. TrainingError when the profiler
// cannot be started.
RecordedOps recordOps(const std::function<void()>& work, bool cuda, const std::string& tracePath = {});

} // namespace imblab
