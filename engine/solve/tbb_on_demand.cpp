// oneTBB, loaded on first use.
//
// The engine calls oneTBB only through its templates, which call a few dozen functions of
// libtbb.so.12 (namespace tbb::detail::r1, the library's stable binary interface). Linking the
// library would load it, and its dependencies, in every run, also runs that never start a
// parallel loop (most runs on small games: solve/parallel.hpp). Instead the engine defines
// those functions here: the first call loads libtbb.so.12 with dlopen, looks every one of them
// up (so a missing one fails at once, in any parallel test, not later), and each call is
// forwarded. The cost after loading is one indirect call.
//
// A oneTBB function that the engine starts using and that is not listed here is an undefined
// reference when the executable is linked: add a forwarder below (its mangled name is in
// `nm -D --defined-only libtbb.so.12`).

#include <dlfcn.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string_view>

#include <tbb/cache_aligned_allocator.h>
#include <oneapi/tbb/detail/_assert.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>
#include <tbb/tbb_allocator.h>

namespace {

/// The functions forwarded, by their names in libtbb.so.12.
enum Fn : std::size_t {
  kAllocatePool,
  kAllocatePoolData,
  kDeallocatePool,
  kAllocateMemory,
  kDeallocateMemory,
  kCacheAlignedAllocate,
  kCacheAlignedDeallocate,
  kInitializeArena,
  kTerminateArena,
  kExecute,
  kMaxConcurrency,
  kIsolateWithinArena,
  kEnqueue,
  kInitializeContext,
  kDestroyContext,
  kResetContext,
  kCancelGroupExecution,
  kIsGroupExecutionCancelled,
  kCaptureFpSettings,
  kSpawn,
  kExecuteAndWait,
  kWait,
  kExecutionSlot,
  kCurrentContext,
  kNotifyWaiters,
  kCreateGlobalControl,
  kDestroyGlobalControl,
  kThrowException,
  kAssertionFailure,
  kCount
};

constexpr std::array<const char*, kCount> kNames{
    "_ZN3tbb6detail2r18allocateERPNS0_2d117small_object_poolEm",
    "_ZN3tbb6detail2r18allocateERPNS0_2d117small_object_poolEmRKNS2_14execution_dataE",
    "_ZN3tbb6detail2r110deallocateERNS0_2d117small_object_poolEPvmRKNS2_14execution_dataE",
    "_ZN3tbb6detail2r115allocate_memoryEm",
    "_ZN3tbb6detail2r117deallocate_memoryEPv",
    "_ZN3tbb6detail2r122cache_aligned_allocateEm",
    "_ZN3tbb6detail2r124cache_aligned_deallocateEPv",
    "_ZN3tbb6detail2r110initializeERNS0_2d115task_arena_baseE",
    "_ZN3tbb6detail2r19terminateERNS0_2d115task_arena_baseE",
    "_ZN3tbb6detail2r17executeERNS0_2d115task_arena_baseERNS2_13delegate_baseE",
    "_ZN3tbb6detail2r115max_concurrencyEPKNS0_2d115task_arena_baseE",
    "_ZN3tbb6detail2r120isolate_within_arenaERNS0_2d113delegate_baseEl",
    "_ZN3tbb6detail2r17enqueueERNS0_2d14taskEPNS2_15task_arena_baseE",
    "_ZN3tbb6detail2r110initializeERNS0_2d118task_group_contextE",
    "_ZN3tbb6detail2r17destroyERNS0_2d118task_group_contextE",
    "_ZN3tbb6detail2r15resetERNS0_2d118task_group_contextE",
    "_ZN3tbb6detail2r122cancel_group_executionERNS0_2d118task_group_contextE",
    "_ZN3tbb6detail2r128is_group_execution_cancelledERNS0_2d118task_group_contextE",
    "_ZN3tbb6detail2r119capture_fp_settingsERNS0_2d118task_group_contextE",
    "_ZN3tbb6detail2r15spawnERNS0_2d14taskERNS2_18task_group_contextE",
    "_ZN3tbb6detail2r116execute_and_waitERNS0_2d14taskERNS2_18task_group_contextERNS2_12wait_"
    "contextES6_",
    "_ZN3tbb6detail2r14waitERNS0_2d112wait_contextERNS2_18task_group_contextE",
    "_ZN3tbb6detail2r114execution_slotEPKNS0_2d114execution_dataE",
    "_ZN3tbb6detail2r115current_contextEv",
    "_ZN3tbb6detail2r114notify_waitersEm",
    "_ZN3tbb6detail2r16createERNS0_2d114global_controlE",
    "_ZN3tbb6detail2r17destroyERNS0_2d114global_controlE",
    "_ZN3tbb6detail2r115throw_exceptionENS0_2d012exception_idE",
    "_ZN3tbb6detail2r117assertion_failureEPKciS3_S3_",
};

/// Loads libtbb.so.12 and looks up every function, once. oneTBB is a required dependency:
/// when it cannot be loaded the process says so and ends (exit 3), having flushed its output.
const std::array<void*, kCount>& functions() {
  static std::array<void*, kCount> table{};
  static std::once_flag once;
  std::call_once(once, [] {
    constexpr const char* kLibrary = "libtbb.so.12";
    void* handle = dlopen(kLibrary, RTLD_NOW | RTLD_LOCAL);
    const char* failure = handle == nullptr ? dlerror() : nullptr;
    for (std::size_t i = 0; handle != nullptr && i < kCount; ++i) {
      table[i] = dlsym(handle, kNames[i]);
      if (table[i] == nullptr) failure = kNames[i];
    }
    if (handle == nullptr || failure != nullptr) {
      std::fflush(stdout);
      std::fprintf(stderr,
                   "stratagem: cannot use oneTBB (%s): %s\n  install it (Debian: libtbb12, "
                   "from libtbb-dev) or set LD_LIBRARY_PATH to the directory holding %s\n",
                   kLibrary, handle == nullptr ? (failure ? failure : "dlopen failed")
                                               : "a function is missing",
                   kLibrary);
      std::_Exit(3);
    }
  });
  return table;
}

template <class F>
F get(Fn fn) {
  return reinterpret_cast<F>(functions()[fn]);
}

}  // namespace

namespace tbb::detail::r1 {

void* allocate(d1::small_object_pool*& pool, std::size_t bytes) {
  return get<void* (*)(d1::small_object_pool*&, std::size_t)>(kAllocatePool)(pool, bytes);
}
void* allocate(d1::small_object_pool*& pool, std::size_t bytes, const d1::execution_data& ed) {
  return get<void* (*)(d1::small_object_pool*&, std::size_t, const d1::execution_data&)>(
      kAllocatePoolData)(pool, bytes, ed);
}
void deallocate(d1::small_object_pool& pool, void* p, std::size_t bytes,
                const d1::execution_data& ed) {
  get<void (*)(d1::small_object_pool&, void*, std::size_t, const d1::execution_data&)>(
      kDeallocatePool)(pool, p, bytes, ed);
}
void* allocate_memory(std::size_t size) {
  return get<void* (*)(std::size_t)>(kAllocateMemory)(size);
}
void deallocate_memory(void* p) { get<void (*)(void*)>(kDeallocateMemory)(p); }
void* cache_aligned_allocate(std::size_t size) {
  return get<void* (*)(std::size_t)>(kCacheAlignedAllocate)(size);
}
void cache_aligned_deallocate(void* p) { get<void (*)(void*)>(kCacheAlignedDeallocate)(p); }

void initialize(d1::task_arena_base& arena) {
  get<void (*)(d1::task_arena_base&)>(kInitializeArena)(arena);
}
void terminate(d1::task_arena_base& arena) {
  get<void (*)(d1::task_arena_base&)>(kTerminateArena)(arena);
}
void execute(d1::task_arena_base& arena, d1::delegate_base& d) {
  get<void (*)(d1::task_arena_base&, d1::delegate_base&)>(kExecute)(arena, d);
}
int max_concurrency(const d1::task_arena_base* arena) {
  return get<int (*)(const d1::task_arena_base*)>(kMaxConcurrency)(arena);
}
void isolate_within_arena(d1::delegate_base& d, std::intptr_t isolation) {
  get<void (*)(d1::delegate_base&, std::intptr_t)>(kIsolateWithinArena)(d, isolation);
}
void enqueue(d1::task& t, d1::task_arena_base* arena) {
  get<void (*)(d1::task&, d1::task_arena_base*)>(kEnqueue)(t, arena);
}

void initialize(d1::task_group_context& ctx) {
  get<void (*)(d1::task_group_context&)>(kInitializeContext)(ctx);
}
void destroy(d1::task_group_context& ctx) {
  get<void (*)(d1::task_group_context&)>(kDestroyContext)(ctx);
}
void reset(d1::task_group_context& ctx) {
  get<void (*)(d1::task_group_context&)>(kResetContext)(ctx);
}
bool cancel_group_execution(d1::task_group_context& ctx) {
  return get<bool (*)(d1::task_group_context&)>(kCancelGroupExecution)(ctx);
}
bool is_group_execution_cancelled(d1::task_group_context& ctx) {
  return get<bool (*)(d1::task_group_context&)>(kIsGroupExecutionCancelled)(ctx);
}
void capture_fp_settings(d1::task_group_context& ctx) {
  get<void (*)(d1::task_group_context&)>(kCaptureFpSettings)(ctx);
}

void spawn(d1::task& t, d1::task_group_context& ctx) {
  get<void (*)(d1::task&, d1::task_group_context&)>(kSpawn)(t, ctx);
}
void execute_and_wait(d1::task& t, d1::task_group_context& t_ctx, d1::wait_context& wait,
                      d1::task_group_context& w_ctx) {
  get<void (*)(d1::task&, d1::task_group_context&, d1::wait_context&, d1::task_group_context&)>(
      kExecuteAndWait)(t, t_ctx, wait, w_ctx);
}
void wait(d1::wait_context& wait, d1::task_group_context& ctx) {
  get<void (*)(d1::wait_context&, d1::task_group_context&)>(kWait)(wait, ctx);
}
d1::slot_id execution_slot(const d1::execution_data* ed) {
  return get<d1::slot_id (*)(const d1::execution_data*)>(kExecutionSlot)(ed);
}
d1::task_group_context* current_context() {
  return get<d1::task_group_context* (*)()>(kCurrentContext)();
}
void notify_waiters(std::uintptr_t wait_ctx_addr) {
  get<void (*)(std::uintptr_t)>(kNotifyWaiters)(wait_ctx_addr);
}

void create(d1::global_control& gc) { get<void (*)(d1::global_control&)>(kCreateGlobalControl)(gc); }
void destroy(d1::global_control& gc) {
  get<void (*)(d1::global_control&)>(kDestroyGlobalControl)(gc);
}

void throw_exception(d0::exception_id id) {
  get<void (*)(d0::exception_id)>(kThrowException)(id);
  std::abort();  // it throws; never reached
}

// Used by oneTBB's headers when its assertions are on (builds without NDEBUG, e.g. the fuzzers').
void assertion_failure(const char* location, int line, const char* expression,
                       const char* comment) {
  get<void (*)(const char*, int, const char*, const char*)>(kAssertionFailure)(location, line,
                                                                              expression, comment);
}

}  // namespace tbb::detail::r1
