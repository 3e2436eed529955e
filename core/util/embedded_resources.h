// Text resources compiled into the program (manifest, presets), so nothing is read from a
// relative path at run time.
#pragma once

#include <string>
#include <vector>

namespace imblab {

// The text of a resource by its source path ("datasets/manifest.json",
// "resources/presets/fmnist-lt-quick.json"); throws ConfigError when there is none.
const std::string& embeddedResource(const std::string& path);

// Every embedded path that starts with `prefix`.
std::vector<std::string> embeddedResourcePaths(const std::string& prefix);

} // namespace imblab
