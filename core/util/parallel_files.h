// Work over many files on a few threads while the calling thread reports progress: the image
// decoders and the stream pipeline's header probe share it.
#pragma once

#include <cstdint>
#include <functional>

namespace imblab {

// Calls work(i) for every i in [0, n) on `threads` threads (0 = all cores); meanwhile the calling
// thread calls progress(done, n) about every 100 ms and once at the end (when set). Returns false
// when progress returned false (the rest is not started; what runs finishes). work must not throw.
bool forEachFileInParallel(int64_t n, int threads, const std::function<void(int64_t)>& work,
                           const std::function<bool(int64_t done, int64_t total)>& progress);

} // namespace imblab
