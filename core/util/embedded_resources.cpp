// Lookup of the resources that CMake wrote into embedded_resources_data.cpp.
#include "util/embedded_resources.h"

#include "errors.h"

#include <map>

namespace imblab {

// Defined in the generated embedded_resources_data.cpp.
const std::map<std::string, std::string>& embeddedResourceTable();

const std::string& embeddedResource(const std::string& path) {
    const auto& table = embeddedResourceTable();
    const auto it = table.find(path);
    if (it == table.end()) throw ConfigError("resource", "no built-in resource '" + path + "'");
    return it->second;
}

std::vector<std::string> embeddedResourcePaths(const std::string& prefix) {
    std::vector<std::string> out;
    for (const auto& [path, text] : embeddedResourceTable())
        if (path.rfind(prefix, 0) == 0) out.push_back(path);
    return out;
}

} // namespace imblab
