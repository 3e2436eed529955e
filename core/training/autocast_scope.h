// bf16 autocast as a scope, for both pipelines' forward passes.
#pragma once

#include <torch/types.h>

namespace imblab {

// Enables bf16 autocast for `device` within a scope (both LibTorch 1.x and 2.x APIs), with the
// cast cache off: the weights change every step and captured graphs must not hold cached casts.
class AutocastScope {
public:
    AutocastScope(const torch::Device& device, bool enabled);
    ~AutocastScope();
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

private:
    torch::DeviceType type_;
    bool enabled_, wasEnabled_ = false, cacheWasEnabled_ = false;
    torch::ScalarType previousDtype_ = torch::kFloat32;
};

} // namespace imblab
