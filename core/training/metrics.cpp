// Measures computed from logits copied off the device; see metrics.h.
#include "training/metrics.h"

#include "api/shot_groups.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace imblab {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

std::vector<int64_t> argmaxPredictions(const LogitTable& logits, const std::vector<double>& offset) {
    std::vector<int64_t> pred(size_t(logits.rows));
    for (int64_t i = 0; i < logits.rows; ++i) {
        const float* r = logits.row(i);
        int best = 0;
        double bestValue = -std::numeric_limits<double>::infinity();
        for (int j = 0; j < logits.classes; ++j) {
            const double v = double(r[j]) - (offset.empty() ? 0.0 : offset[size_t(j)]);
            if (v > bestValue) {
                bestValue = v;
                best = j;
            }
        }
        pred[size_t(i)] = best;
    }
    return pred;
}

std::vector<double> perClassError(const std::vector<int64_t>& labels, const std::vector<int64_t>& predictions, int classes) {
    std::vector<int64_t> total(size_t(classes), 0), right(size_t(classes), 0);
    for (size_t i = 0; i < labels.size(); ++i) {
        ++total[size_t(labels[i])];
        right[size_t(labels[i])] += predictions[i] == labels[i];
    }
    std::vector<double> err;
    for (int c = 0; c < classes; ++c) err.push_back(total[size_t(c)] == 0 ? kNaN : 1.0 - double(right[size_t(c)]) / double(total[size_t(c)]));
    return err;
}

std::vector<double> perClassError(const ConfusionCounts& confusion) {
    const std::vector<int64_t> total = confusion.rowTotals();
    std::vector<double> err;
    for (int c = 0; c < confusion.classes; ++c)
        err.push_back(total[size_t(c)] == 0 ? kNaN : 1.0 - double(confusion.at(c, c)) / double(total[size_t(c)]));
    return err;
}

std::vector<double> perClassTopKError(const LogitTable& logits, const std::vector<int64_t>& labels, int k) {
    std::vector<int64_t> total(size_t(logits.classes), 0), missed(size_t(logits.classes), 0);
    for (int64_t i = 0; i < logits.rows; ++i) {
        const float* r = logits.row(i);
        const int y = int(labels[size_t(i)]);
        // Above y as argmax breaks ties (the first maximum wins): earlier classes at least as
        // large, later ones larger. With k = 1 this is the argmax rule exactly.
        int above = 0;
        for (int j = 0; j < logits.classes && above < k; ++j) above += j < y ? r[j] >= r[y] : j > y && r[j] > r[y];
        ++total[size_t(y)];
        missed[size_t(y)] += above >= k;
    }
    std::vector<double> err;
    for (int c = 0; c < logits.classes; ++c) err.push_back(total[size_t(c)] == 0 ? kNaN : double(missed[size_t(c)]) / double(total[size_t(c)]));
    return err;
}

double maskedMean(const std::vector<double>& values, const std::vector<bool>& mask) {
    double sum = 0;
    int n = 0;
    for (size_t i = 0; i < values.size(); ++i)
        if (mask[i] && !std::isnan(values[i])) {
            sum += values[i];
            ++n;
        }
    return n == 0 ? kNaN : sum / n;
}

std::vector<double> exampleMargins(const LogitTable& logits, const std::vector<int64_t>& labels) {
    std::vector<double> m(size_t(logits.rows));
    for (int64_t i = 0; i < logits.rows; ++i) {
        const float* r = logits.row(i);
        const int64_t y = labels[size_t(i)];
        double other = -std::numeric_limits<double>::infinity();
        for (int j = 0; j < logits.classes; ++j)
            if (j != y) other = std::max(other, double(r[j]));
        m[size_t(i)] = double(r[y]) - other;
    }
    return m;
}

MarginStats marginStats(std::vector<double> margins, double lo, double hi, int bins) {
    MarginStats s;
    s.histogram.assign(size_t(bins), 0);
    if (margins.empty()) {
        s.min = s.q1 = s.median = s.q3 = s.max = kNaN;
        return s;
    }
    std::sort(margins.begin(), margins.end());
    auto quantile = [&](double q) {
        const double pos = q * double(margins.size() - 1);
        const size_t i = size_t(std::floor(pos));
        const size_t j = std::min(i + 1, margins.size() - 1);
        return margins[i] + (pos - double(i)) * (margins[j] - margins[i]);
    };
    s.min = margins.front();
    s.q1 = quantile(0.25);
    s.median = quantile(0.5);
    s.q3 = quantile(0.75);
    s.max = margins.back();
    const double width = (hi - lo) / bins;
    for (double v : margins) {
        int b = int(std::floor((v - lo) / width));
        ++s.histogram[size_t(std::clamp(b, 0, bins - 1))];
    }
    return s;
}

double niceMarginRange(const std::vector<double>& margins) {
    double largest = 0;
    for (double v : margins)
        if (std::isfinite(v)) largest = std::max(largest, std::abs(v));
    for (double decade = 1;; decade *= 10)
        for (double f : {1.0, 2.0, 5.0})
            if (largest <= f * decade || decade > 1e12) return f * decade;
}

double expectedCalibrationError(const LogitTable& logits, const std::vector<int64_t>& labels, double scale, int bins) {
    std::vector<double> confSum(size_t(bins), 0), correctSum(size_t(bins), 0);
    std::vector<int64_t> count(size_t(bins), 0);
    for (int64_t i = 0; i < logits.rows; ++i) {
        const float* r = logits.row(i);
        double top = -std::numeric_limits<double>::infinity();
        int arg = 0;
        for (int j = 0; j < logits.classes; ++j)
            if (double(r[j]) * scale > top) {
                top = double(r[j]) * scale;
                arg = j;
            }
        double denom = 0;
        for (int j = 0; j < logits.classes; ++j) denom += std::exp(double(r[j]) * scale - top);
        const double conf = 1.0 / denom;
        // Bins (b/B, (b+1)/B]; a confidence of exactly 1 falls in the last bin.
        const int b = std::clamp(int(std::ceil(conf * bins)) - 1, 0, bins - 1);
        confSum[size_t(b)] += conf;
        correctSum[size_t(b)] += (arg == labels[size_t(i)]) ? 1.0 : 0.0;
        ++count[size_t(b)];
    }
    double ece = 0;
    for (int b = 0; b < bins; ++b)
        if (count[size_t(b)] > 0)
            ece += std::abs(correctSum[size_t(b)] - confSum[size_t(b)]) / double(logits.rows);
    return ece;
}

ShotAccuracy shotAccuracy(const std::vector<double>& perClassErr, const std::vector<int64_t>& trainCounts) {
    std::vector<double> acc;
    for (double e : perClassErr) acc.push_back(1.0 - e);
    const auto g = shotGroupMeans(acc, trainCounts);
    return {g[0], g[1], g[2]};
}

} // namespace imblab
