// alloc_counter.h - counts heap calls made on one thread (the host's audio thread).
//
// alloc_counter.cpp defines malloc, calloc, realloc, reallocarray, free, posix_memalign,
// aligned_alloc, memalign, valloc and pvalloc in the executable and exports them (see
// exports.map), so every shared library loaded later - the plugin, its runtime, libstdc++ - binds
// to them. Each forwards to glibc's own allocator (__libc_malloc ...), so memory stays compatible
// with malloc_usable_size and friends. Counting is switched on per thread through a thread_local
// flag: only calls made on a thread that said allocCounterEnable(true) are counted.
#pragma once

#include <cstddef>
#include <cstdint>

namespace alloc_counter {

struct Snapshot {
    uint64_t allocs; // malloc/calloc/realloc/... calls (including realloc(nullptr, n))
    uint64_t frees;  // free calls with a non-null pointer (and realloc(p, 0))
};

// Start or stop counting calls made on the calling thread. No allocation, async-safe.
void enableOnThisThread(bool on);
bool enabledOnThisThread();
Snapshot snapshot();
void reset();

// The first few counted allocations, to tell who allocated (return address -> dladdr).
constexpr int kRecorded = 16;
struct Record {
    size_t size;
    void* caller;
    char kind; // 'm' malloc, 'c' calloc, 'r' realloc, 'a' aligned, 'f' free
};
int recorded(Record* out, int max);

} // namespace alloc_counter
