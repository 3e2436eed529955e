// LibTorch's Kineto profiler around a piece of work (see op_profiler.h).
#include "training/op_profiler.h"

#include "errors.h"
#include "io/atomic_file.h"

#include <torch/csrc/autograd/profiler_kineto.h>
#include <torch/torch.h>

#include <set>

namespace imblab {
namespace {

namespace kp = torch::autograd::profiler;
namespace pi = torch::profiler::impl;

// LibTorch 1.x reports microseconds (startUs), 2.x nanoseconds (startNs): use what this one has.
template <class E>
auto startOf(const E& e, int) -> decltype(int64_t(e.startNs())) { return int64_t(e.startNs()); }
template <class E>
int64_t startOf(const E& e, long) { return int64_t(e.startUs()) * 1000; }
template <class E>
auto durationOf(const E& e, int) -> decltype(int64_t(e.durationNs())) { return int64_t(e.durationNs()); }
template <class E>
int64_t durationOf(const E& e, long) { return int64_t(e.durationUs()) * 1000; }

} // namespace

RecordedOps recordOps(const std::function<void()>& work, bool cuda, const std::string& tracePath) {
    const pi::ProfilerConfig config(pi::ProfilerState::KINETO);
    std::set<pi::ActivityType> activities{pi::ActivityType::CPU};
    if (cuda) activities.insert(pi::ActivityType::CUDA);
    try {
        kp::prepareProfiler(config, activities);
        kp::enableProfiler(config, activities);
    } catch (const c10::Error& e) {
        throw TrainingError(std::string("the profiler could not start: ") + e.what_without_backtrace());
    }
    try {
        work();
    } catch (...) {
        kp::disableProfiler();
        throw;
    }
    const auto result = kp::disableProfiler();
    if (!result) throw TrainingError("the profiler returned no result");
    RecordedOps out;
    if (!tracePath.empty()) {
        try {
            writeFileAtomically(tracePath, [&](const std::string& tmp) { result->save(tmp); });
        } catch (const c10::Error& e) {
            out.traceError = tracePath + ": the trace cannot be written: " + e.what_without_backtrace();
        }
    }
    out.events.reserve(result->events().size());
    for (const auto& e : result->events()) {
        ProfiledEvent p;
        p.name = e.name();
        p.device = e.deviceType() != c10::DeviceType::CPU;
        p.thread = e.startThreadId();
        p.startNs = startOf(e, 0);
        p.durationNs = durationOf(e, 0);
        out.events.push_back(std::move(p));
    }
    return out;
}

} // namespace imblab
