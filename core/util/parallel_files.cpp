// Parallel work over files with progress; see parallel_files.h.
#include "util/parallel_files.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace imblab {

bool forEachFileInParallel(int64_t n, int threads, const std::function<void(int64_t)>& work,
                           const std::function<bool(int64_t, int64_t)>& progress) {
    std::atomic<int64_t> next{0}, done{0};
    std::atomic<bool> cancelled{false};
    std::mutex m;
    std::condition_variable cv;
    auto run = [&] {
        for (int64_t i; !cancelled && (i = next++) < n;) {
            work(i);
            if (++done == n) {
                std::lock_guard<std::mutex> lock(m);
                cv.notify_all();
            }
        }
    };
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const int64_t count = std::min<int64_t>(n, threads > 0 ? threads : int64_t(cores));
    std::vector<std::thread> workers;
    for (int64_t t = 0; t < count; ++t) workers.emplace_back(run);
    {
        std::unique_lock<std::mutex> lock(m);
        while (done < n && !cancelled) {
            cv.wait_for(lock, std::chrono::milliseconds(100));
            if (progress && !progress(done, n)) cancelled = true;
        }
    }
    for (auto& w : workers) w.join();
    // A cancel that arrives with the last file is still a cancel: the caller asked for no data.
    return !cancelled && !(progress && !progress(n, n));
}

} // namespace imblab
