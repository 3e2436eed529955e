// Grid expansion and list parsing; see experiment_grid.h.
#include "api/experiment_grid.h"

#include "api/engine.h"
#include "api/methods.h"
#include "errors.h"

#include <cstdio>

namespace imblab {

std::vector<ExperimentConfig> expandGrid(const ExperimentConfig& base, const ExperimentGrid& grid,
                                         const std::vector<std::string>& profileList) {
    if (grid.methods.empty()) throw ConfigError("methods", "needs at least one method");
    if (grid.seeds.empty()) throw ConfigError("seeds", "needs at least one seed");
    std::vector<const Method*> methods;
    for (const auto& id : grid.methods) methods.push_back(&findMethod(id));
    const auto profiles = profileList.empty() ? std::vector<std::string>{base.dataset.profile} : profileList;
    const auto rhos = grid.rhos.empty() ? std::vector<double>{base.dataset.rho} : grid.rhos;
    std::vector<ExperimentConfig> configs;
    for (const auto& profile : profiles)
        for (double rho : rhos)
            for (const Method* m : methods)
                for (uint64_t seed : grid.seeds) {
                    ExperimentConfig c = applyMethod(base, *m);
                    c.dataset.profile = profile;
                    c.dataset.rho = rho;
                    c.dataset.seed = seed;
                    c.train.seed = seed;
                    validateConfig(c);
                    configs.push_back(c);
                }
    return configs;
}

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : text + ",") {
        if (c == ',') {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else if (c != ' ') {
            cur += c;
        }
    }
    return out;
}

std::vector<double> parseNumberList(const std::string& text, const std::string& field, double min) {
    std::vector<double> out;
    for (const auto& item : splitList(text)) {
        double v = 0;
        try {
            size_t used = 0;
            v = std::stod(item, &used);
            if (used != item.size()) throw std::invalid_argument("");
        } catch (const std::exception&) {
            throw ConfigError(field, "'" + item + "' is not a number");
        }
        if (!(v >= min)) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%g", min);
            throw ConfigError(field, "'" + item + "' is below " + buf);
        }
        out.push_back(v);
    }
    if (out.empty()) throw ConfigError(field, "needs at least one value");
    return out;
}

std::vector<uint64_t> parseSeedList(const std::string& text, const std::string& field) {
    std::vector<uint64_t> out;
    for (double v : parseNumberList(text, field, 0)) out.push_back(uint64_t(v));
    return out;
}

} // namespace imblab
