// What a profiled stretch of training steps spent its time on: host ops by self time, device
// kernels by time, and how busy the device was per step. Plain data, built from the events LibTorch's
// profiler records (op_profiler.h); kept apart from torch so the arithmetic is tested by hand.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace imblab {

// One recorded interval: a host op (nested by time on its thread) or a device kernel/copy.
struct ProfiledEvent {
    std::string name;
    bool device = false;
    uint64_t thread = 0;  // host events: the recording thread; nesting is per thread
    int64_t startNs = 0;
    int64_t durationNs = 0;
};

struct OpProfileRow {
    std::string name;
    bool device = false;
    int64_t calls = 0;
    int64_t selfNs = 0;  // host: minus the time of ops nested inside; device: the kernel's time
};

// Device kernels grouped by what their names say they do (convolution, batch norm, ...).
struct KernelFamilyRow {
    std::string family;
    int64_t calls = 0;
    int64_t ns = 0;
};

struct OpProfile {
    int steps = 0;
    int64_t wallNs = 0;          // the profiled steps end to end (device work waited for)
    int64_t deviceBusyNs = 0;    // union of the device intervals: time with any kernel running
    int64_t deviceKernelNs = 0;  // sum of device intervals
    int64_t deviceCalls = 0;
    std::vector<OpProfileRow> rows;  // device rows first, then host rows; each by time, largest first
    std::vector<KernelFamilyRow> families;
};

// Sums `events` over `steps` profiled steps that took `wallNs`.
OpProfile summarizeProfile(const std::vector<ProfiledEvent>& events, int steps, int64_t wallNs);

// The family a device kernel's name points to: "convolution (cuDNN/GEMM)", "batch norm",
// "copy / cast", "reduction", "elementwise", "gather / scatter", "memset" or "other".
std::string kernelFamily(const std::string& kernelName);

// A Markdown report: the per-step summary line, the families, the top `topN` device kernels and
// the top `topN` host ops, per step. `title` heads it.
std::string profileMarkdown(const OpProfile& profile, const std::string& title, int topN = 40);

} // namespace imblab
