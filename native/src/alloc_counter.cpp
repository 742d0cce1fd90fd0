// alloc_counter.cpp - malloc interposition for the audio-thread allocation counter.
//
// Why interposition rather than malloc hooks: glibc 2.34 removed __malloc_hook. Defining malloc
// and friends in the executable (and exporting them through exports.map) makes the dynamic linker
// bind every library's malloc calls to these definitions - glibc itself calls malloc through its
// PLT for exactly this reason. They forward to glibc's exported __libc_* entry points, so nothing
// here allocates or takes a lock, and glibc's heap stays the only heap.
//
// Counting must be cheap and allocation-free: a local-exec thread_local flag (the executable's own
// TLS needs no __tls_get_addr call, hence no allocation) plus relaxed atomics.
#include "alloc_counter.h"

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <malloc.h>

extern "C" {
void* __libc_malloc(size_t size);
void* __libc_calloc(size_t n, size_t size);
void* __libc_realloc(void* p, size_t size);
void __libc_free(void* p);
void* __libc_memalign(size_t alignment, size_t size);
void* __libc_valloc(size_t size);
void* __libc_pvalloc(size_t size);
}

namespace {

thread_local bool t_counting = false;
std::atomic<uint64_t> g_allocs{0};
std::atomic<uint64_t> g_frees{0};
std::atomic<int> g_recordCount{0};
alloc_counter::Record g_records[alloc_counter::kRecorded];

inline void note(char kind, size_t size, void* caller) {
    if (kind == 'f')
        g_frees.fetch_add(1, std::memory_order_relaxed);
    else
        g_allocs.fetch_add(1, std::memory_order_relaxed);
    int slot = g_recordCount.fetch_add(1, std::memory_order_relaxed);
    if (slot < alloc_counter::kRecorded) g_records[slot] = {size, caller, kind};
}

#define COUNT(kind, size)                                                                          \
    do {                                                                                           \
        if (__builtin_expect(t_counting, 0)) note(kind, size, __builtin_return_address(0));        \
    } while (0)

} // namespace

namespace alloc_counter {
void enableOnThisThread(bool on) {
    t_counting = on;
}
bool enabledOnThisThread() {
    return t_counting;
}
Snapshot snapshot() {
    return {g_allocs.load(std::memory_order_relaxed), g_frees.load(std::memory_order_relaxed)};
}
void reset() {
    g_allocs.store(0);
    g_frees.store(0);
    g_recordCount.store(0);
}
int recorded(Record* out, int max) {
    int n = g_recordCount.load();
    if (n > kRecorded) n = kRecorded;
    if (n > max) n = max;
    for (int i = 0; i < n; ++i)
        out[i] = g_records[i];
    return n;
}
} // namespace alloc_counter

// The interposed entry points. `noexcept` matches glibc's declarations (__THROW) in C++.
extern "C" {

void* malloc(size_t size) noexcept {
    COUNT('m', size);
    return __libc_malloc(size);
}

void* calloc(size_t n, size_t size) noexcept {
    COUNT('c', n * size);
    return __libc_calloc(n, size);
}

void* realloc(void* p, size_t size) noexcept {
    if (!p) {
        COUNT('r', size);
    } else if (size == 0) {
        COUNT('f', 0);
    } else {
        COUNT('r', size); // may move: an allocation as far as real-time safety is concerned
    }
    return __libc_realloc(p, size);
}

void* reallocarray(void* p, size_t n, size_t size) noexcept {
    size_t total;
    if (__builtin_mul_overflow(n, size, &total)) {
        errno = ENOMEM;
        return nullptr;
    }
    COUNT('r', total);
    return __libc_realloc(p, total);
}

void free(void* p) noexcept {
    if (p) COUNT('f', 0);
    __libc_free(p);
}

void* memalign(size_t alignment, size_t size) noexcept {
    COUNT('a', size);
    return __libc_memalign(alignment, size);
}

void* aligned_alloc(size_t alignment, size_t size) noexcept {
    COUNT('a', size);
    return __libc_memalign(alignment, size);
}

int posix_memalign(void** out, size_t alignment, size_t size) noexcept {
    COUNT('a', size);
    if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0 || alignment == 0)
        return EINVAL;
    void* p = __libc_memalign(alignment, size);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}

void* valloc(size_t size) noexcept {
    COUNT('a', size);
    return __libc_valloc(size);
}

void* pvalloc(size_t size) noexcept {
    COUNT('a', size);
    return __libc_pvalloc(size);
}

} // extern "C"
