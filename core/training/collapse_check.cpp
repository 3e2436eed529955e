// Collapse check; see collapse_check.h.
#include "training/collapse_check.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace imblab {
namespace {

std::string percent(double share) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.0f %%", 100 * share);
    return buf;
}

// "a", "a and b", "a, b and c".
std::string listed(const std::vector<std::string>& names) {
    std::string out;
    for (size_t i = 0; i < names.size(); ++i) out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
    return out;
}

std::string likelyCause(const TrainConfig& train) {
    const bool adam = train.optimizer == "adam";
    if ((adam && train.lr > 0.1) || (!adam && train.lr > 1.0)) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "the learning rate %g is far above the usual for %s (about %s); lower it", train.lr,
                      adam ? "Adam" : "SGD", adam ? "0.001 to 0.01" : "0.1");
        return buf;
    }
    return "check the learning rate, the number of epochs and the re-balancing";
}

} // namespace

std::string CollapseCheck::message() const {
    return collapsed ? "collapsed: " + what + "; likely cause: " + cause : std::string();
}

CollapseCheck checkCollapse(const MetricsReport& last, const std::vector<double>& epochLosses, const TrainConfig& train,
                            const std::vector<std::string>& classNames) {
    CollapseCheck check;
    const size_t k = size_t(std::max(0, last.confusion.classes));
    int64_t n = 0;
    std::vector<double> predicted(k, 0), actual(k, 0);
    for (const ConfusionCell& c : last.confusion.cells) {
        predicted[size_t(c.predicted)] += double(c.count);
        actual[size_t(c.truth)] += double(c.count);
        n += c.count;
    }
    if (k >= 2 && n > 0) {
        std::vector<size_t> order(k);
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return predicted[a] > predicted[b]; });
        // The fewest top classes that hold the predictions: one of up to 3 classes, up to two of
        // up to 8, up to three of more (a 10-class run stuck on Trouser, Bag and Sneaker).
        const size_t most = k <= 3 ? 1 : k <= 8 ? 2 : 3;
        double p = 0, a = 0;
        std::vector<std::string> top;
        for (size_t i = 0; i < most && !check.collapsed; ++i) {
            p += predicted[order[i]] / double(n);
            a += actual[order[i]] / double(n);
            top.push_back(order[i] < classNames.size() ? classNames[order[i]] : std::to_string(order[i]));
            if (p >= 0.95 && p - a >= 0.30) {
                const std::string names = listed(top);
                check.collapsed = true;
                check.what = "predicts " + names + " for " + percent(p) + " of the test examples (" + percent(a) +
                             " of them are " + names + ")";
            }
        }
    }
    if (!check.collapsed && epochLosses.size() >= 4) {
        const std::vector<double> tail(epochLosses.begin() + long(epochLosses.size() / 2), epochLosses.end());
        const double mean = std::accumulate(tail.begin(), tail.end(), 0.0) / double(tail.size());
        const auto [lo, hi] = std::minmax_element(tail.begin(), tail.end());
        if (std::isfinite(mean) && mean > 0 && *hi - *lo <= 0.01 * mean && mean >= 0.9 * epochLosses.front()) {
            char buf[160];
            std::snprintf(buf, sizeof buf, "the training loss stopped moving at %.4g (epoch 1: %.4g)", mean, epochLosses.front());
            check.collapsed = true;
            check.what = buf;
        }
    }
    if (check.collapsed) check.cause = likelyCause(train);
    return check;
}

} // namespace imblab
