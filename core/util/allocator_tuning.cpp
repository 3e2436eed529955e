// Allocator thresholds for training; see allocator_tuning.h.
#include "util/allocator_tuning.h"

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace imblab {

void keepFreedMemoryForReuse() {
#if defined(__GLIBC__)
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    if ((tunables && std::strstr(tunables, "glibc.malloc.")) || std::getenv("MALLOC_MMAP_THRESHOLD_") ||
        std::getenv("MALLOC_TRIM_THRESHOLD_"))
        return;  // the user's settings win
    // 32 MiB is the largest threshold glibc accepts on 64-bit: a batch's activations stay on the
    // heap (a ResNet-32 layer at batch 256 is 16 MiB); bigger blocks are mapped as before.
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    // Up to 1 GiB of freed memory stays with the process between batches.
    mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
#endif
}

} // namespace imblab
