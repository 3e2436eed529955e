// Numbers in our JSON files (metrics lines, summaries, sessions): a non-finite double is written
// as null and read back as NaN, so NaN (e.g. the error of an empty class group) round-trips.
#pragma once

#include <nlohmann/json.hpp>

#include <cmath>
#include <vector>

namespace imblab::jsonio {

inline nlohmann::json num(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

inline nlohmann::json nums(const std::vector<double>& v) {
    nlohmann::json a = nlohmann::json::array();
    for (double x : v) a.push_back(num(x));
    return a;
}

template <typename Json>
double readNum(const Json& j) {
    return j.is_null() ? std::nan("") : j.template get<double>();
}

template <typename Json>
std::vector<double> readNums(const Json& j) {
    std::vector<double> v;
    for (const auto& x : j) v.push_back(readNum(x));
    return v;
}

} // namespace imblab::jsonio
