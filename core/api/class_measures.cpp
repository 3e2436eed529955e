// Class measures and test priors; see api/class_measures.h.
#include "api/class_measures.h"

#include "errors.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

namespace imblab {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> normalised(std::vector<double> w) {
    double sum = 0;
    for (double v : w) sum += v;
    for (double& v : w) v /= sum;
    return w;
}

} // namespace

std::vector<double> perClassPrecision(const ConfusionCounts& c) {
    const std::vector<int64_t> predicted = c.columnTotals();
    std::vector<double> out(predicted.size(), kNaN);
    for (size_t j = 0; j < predicted.size(); ++j)
        if (predicted[j] > 0) out[j] = double(c.at(int(j), int(j))) / double(predicted[j]);
    return out;
}

ClassMeasures classMeasures(const std::vector<double>& perClassError, const ConfusionCounts& confusion) {
    const std::vector<double> precision = perClassPrecision(confusion);
    double worst = -1, logRecall = 0, inverseRecall = 0, f1 = 0;
    int n = 0;
    bool zeroRecall = false;
    for (size_t j = 0; j < perClassError.size(); ++j) {
        const double e = perClassError[j];
        if (std::isnan(e)) continue;
        ++n;
        worst = std::max(worst, e);
        const double recall = 1 - e;
        if (recall <= 0) zeroRecall = true;
        else {
            logRecall += std::log(recall);
            inverseRecall += 1 / recall;
        }
        const double p = j < precision.size() && !std::isnan(precision[j]) ? precision[j] : 0.0;
        f1 += p + recall > 0 ? 2 * p * recall / (p + recall) : 0.0;
    }
    if (n == 0) return {kNaN, kNaN, kNaN, kNaN};
    ClassMeasures m;
    m.worstClassError = worst;
    m.geometricMeanRecall = zeroRecall ? 0.0 : std::exp(logRecall / n);
    m.harmonicMeanRecall = zeroRecall ? 0.0 : n / inverseRecall;
    m.macroF1 = f1 / n;
    return m;
}

std::vector<double> forwardPrior(int classes, double rho) {
    std::vector<double> w(size_t(std::max(0, classes)), 1.0);
    for (int j = 0; j < classes && classes > 1; ++j) w[size_t(j)] = std::pow(rho, -double(j) / double(classes - 1));
    return normalised(w);
}

std::vector<double> backwardPrior(int classes, double rho) {
    std::vector<double> w = forwardPrior(classes, rho);
    return {w.rbegin(), w.rend()};
}

double priorWeightedError(const std::vector<double>& perClassError, const std::vector<double>& prior) {
    double sum = 0, weight = 0;
    for (size_t j = 0; j < perClassError.size() && j < prior.size(); ++j) {
        if (!std::isfinite(perClassError[j])) continue;
        sum += prior[j] * perClassError[j];
        weight += prior[j];
    }
    return weight > 0 ? sum / weight : kNaN;
}

std::vector<double> parseTestPrior(const std::string& spec, const std::vector<int64_t>& trainCounts, const std::string& field) {
    const int k = int(trainCounts.size());
    if (spec == "uniform") return std::vector<double>(size_t(k), 1.0 / k);
    if (spec == "train") return normalised(std::vector<double>(trainCounts.begin(), trainCounts.end()));
    for (const char* kind : {"forward:", "backward:"}) {
        const std::string prefix = kind;
        if (spec.rfind(prefix, 0) != 0) continue;
        double rho = 0;
        try {
            size_t used = 0;
            rho = std::stod(spec.substr(prefix.size()), &used);
            if (used != spec.size() - prefix.size()) throw std::invalid_argument("");
        } catch (const std::exception&) {
            throw ConfigError(field, "'" + spec + "': expected " + prefix + "ρ with a number ρ ≥ 1");
        }
        if (!(rho >= 1)) throw ConfigError(field, "'" + spec + "': ρ must be at least 1 (1 is uniform)");
        return prefix == "forward:" ? forwardPrior(k, rho) : backwardPrior(k, rho);
    }
    std::ifstream in(spec);
    if (!in)
        throw ConfigError(field, "'" + spec + "' is neither uniform, train, forward:ρ, backward:ρ nor a readable file of " +
                                     std::to_string(k) + " class weights");
    std::stringstream text;
    text << in.rdbuf();
    std::string content = text.str();
    for (char& ch : content)
        if (ch == ',') ch = ' ';
    std::istringstream values(content);
    std::vector<double> w;
    std::string token;
    while (values >> token) {
        try {
            size_t used = 0;
            w.push_back(std::stod(token, &used));
            if (used != token.size()) throw std::invalid_argument("");
        } catch (const std::exception&) {
            throw DataError(spec, "'" + token + "' is not a number (a test prior file holds one weight per class)");
        }
    }
    if (int(w.size()) != k)
        throw DataError(spec, "holds " + std::to_string(w.size()) + " weights; the run has " + std::to_string(k) + " classes");
    double sum = 0;
    for (size_t j = 0; j < w.size(); ++j) {
        if (!(w[j] >= 0) || !std::isfinite(w[j]))
            throw DataError(spec, "the weight of class " + std::to_string(j) + " is " + std::to_string(w[j]) + ": weights are ≥ 0");
        sum += w[j];
    }
    if (!(sum > 0)) throw DataError(spec, "every weight is 0: a prior needs at least one class");
    return normalised(w);
}

std::vector<PriorError> errorAcrossTestPriors(const std::vector<double>& perClassError) {
    const int k = int(perClassError.size());
    std::vector<PriorError> out;
    for (double rho : {50.0, 25.0, 10.0, 5.0, 2.0})
        out.push_back({"forward " + std::to_string(int(rho)), rho, priorWeightedError(perClassError, forwardPrior(k, rho))});
    out.push_back({"uniform", 1.0, priorWeightedError(perClassError, forwardPrior(k, 1.0))});
    for (double rho : {2.0, 5.0, 10.0, 25.0, 50.0})
        out.push_back({"backward " + std::to_string(int(rho)), 1 / rho, priorWeightedError(perClassError, backwardPrior(k, rho))});
    return out;
}

} // namespace imblab
