// Keeps freed tensor memory in the process for reuse instead of returning it to the system.
//
// glibc serves blocks above its mmap threshold with fresh mappings and hands the top of the heap
// back when more than its trim threshold is free; a training step frees and reallocates the same
// megabyte-sized activations every batch, so each batch faults every page in again. On the
// virtual machines this project is measured on that cost dominated short CPU runs: 2.38 million
// page faults and 46 s for one epoch of the quick preset, against 78 thousand and 24 s with the
// thresholds raised (docs/performance.md). Only the allocator's policy changes, never a number.
#pragma once

namespace imblab {

// Call once at program start, before threads allocate. A no-op off glibc, and where the user set
// the allocator's own tunables (GLIBC_TUNABLES naming malloc, or MALLOC_*_ variables).
void keepFreedMemoryForReuse();

} // namespace imblab
