// bf16 autocast within a scope; see autocast_scope.h.
#include "training/autocast_scope.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

// LibTorch 2.4 replaced the per-device autocast calls with device-type generic ones.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define IMBLAB_AUTOCAST_DEVICE_API 1
#else
#define IMBLAB_AUTOCAST_DEVICE_API 0
#endif

namespace imblab {

AutocastScope::AutocastScope(const torch::Device& device, bool enabled) : type_(device.type()), enabled_(enabled) {
    if (!enabled_) return;
#if IMBLAB_AUTOCAST_DEVICE_API
    wasEnabled_ = at::autocast::is_autocast_enabled(type_);
    previousDtype_ = at::autocast::get_autocast_dtype(type_);
    at::autocast::set_autocast_dtype(type_, at::kBFloat16);
    at::autocast::set_autocast_enabled(type_, true);
#else
    if (type_ == torch::kCUDA) {
        wasEnabled_ = at::autocast::is_enabled();
        previousDtype_ = at::autocast::get_autocast_gpu_dtype();
        at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
        at::autocast::set_enabled(true);
    } else {
        wasEnabled_ = at::autocast::is_cpu_enabled();
        previousDtype_ = at::autocast::get_autocast_cpu_dtype();
        at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
        at::autocast::set_cpu_enabled(true);
    }
#endif
    cacheWasEnabled_ = at::autocast::is_autocast_cache_enabled();
    at::autocast::set_autocast_cache_enabled(false);
    at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope() {
    if (!enabled_) return;
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
    at::autocast::set_autocast_cache_enabled(cacheWasEnabled_);
#if IMBLAB_AUTOCAST_DEVICE_API
    at::autocast::set_autocast_enabled(type_, wasEnabled_);
    at::autocast::set_autocast_dtype(type_, previousDtype_);
#else
    if (type_ == torch::kCUDA) {
        at::autocast::set_enabled(wasEnabled_);
        at::autocast::set_autocast_gpu_dtype(previousDtype_);
    } else {
        at::autocast::set_cpu_enabled(wasEnabled_);
        at::autocast::set_autocast_cpu_dtype(previousDtype_);
    }
#endif
}

} // namespace imblab
