// How a running trainer talks to the outside (no Qt): reports out, cancel/pause flags in.
#pragma once

#include "api/metrics_report.h"

#include <atomic>

namespace imblab {

// Called on the training thread; implementations copy what they need and return quickly.
class TrainingObserver {
public:
    virtual ~TrainingObserver() = default;
    virtual void onReport(const MetricsReport& report) = 0;
};

// Flags set from any thread; the trainer checks them before every step and between
// evaluation batches.
struct RunControl {
    std::atomic<bool> cancel{false};
    std::atomic<bool> pause{false};
};

} // namespace imblab
