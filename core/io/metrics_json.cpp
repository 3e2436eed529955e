// MetricsReport ↔ JSON.
#include "io/metrics_json.h"

#include "errors.h"
#include "io/json_numbers.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <fstream>

namespace imblab {

using nlohmann::json;
using nlohmann::ordered_json;
using jsonio::num;
using jsonio::nums;
using jsonio::readNum;
using jsonio::readNums;

namespace {

// Six significant digits: enough for a per-class error over a few hundred test images, and the
// JSON number stays short (0.333333, not 0.3333333333333333).
double rounded(double v) {
    if (!std::isfinite(v) || v == 0) return v;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return std::strtod(buf, nullptr);
}

json perClass(const std::vector<double>& v, bool compact) {
    if (!compact) return nums(v);
    json a = json::array();
    for (double x : v) a.push_back(num(rounded(x)));
    return a;
}

// A class's or group's margins: {"min", "q1", "median", "q3", "max", "histogram"}; in the
// compact form, [min, q1, median, q3, max] (no histogram).
json marginJson(const MarginStats& m, bool compact) {
    if (compact)
        return json::array({num(rounded(m.min)), num(rounded(m.q1)), num(rounded(m.median)), num(rounded(m.q3)),
                            num(rounded(m.max))});
    return {{"min", num(m.min)}, {"q1", num(m.q1)}, {"median", num(m.median)}, {"q3", num(m.q3)}, {"max", num(m.max)},
            {"histogram", m.histogram}};
}

MarginStats marginFrom(const json& m) {
    MarginStats s;
    if (m.is_array()) {
        s.min = readNum(m.at(0));
        s.q1 = readNum(m.at(1));
        s.median = readNum(m.at(2));
        s.q3 = readNum(m.at(3));
        s.max = readNum(m.at(4));
        return s;
    }
    s.min = readNum(m.at("min"));
    s.q1 = readNum(m.at("q1"));
    s.median = readNum(m.at("median"));
    s.q3 = readNum(m.at("q3"));
    s.max = readNum(m.at("max"));
    if (m.contains("bins")) {  // the sparse form of earlier compact lines: [bin, count] pairs
        s.histogram.assign(m["bins"].get<size_t>(), 0);
        for (const auto& bin : m.at("histogram")) s.histogram.at(bin.at(0).get<size_t>()) = bin.at(1).get<int64_t>();
    } else {
        s.histogram = m.at("histogram").get<std::vector<int64_t>>();
    }
    return s;
}

json cellsJson(const ConfusionCounts& c) {
    json cells = json::array();
    for (const auto& cell : c.cells) cells.push_back({cell.truth, cell.predicted, cell.count});
    return {{"classes", c.classes}, {"cells", cells}};
}

// The object form, or (metrics written before it) the dense [true][predicted] matrix.
ConfusionCounts confusionFrom(const json& j) {
    if (j.is_array()) return ConfusionCounts::fromMatrix(j.get<std::vector<std::vector<int64_t>>>());
    ConfusionCounts c;
    c.classes = j.at("classes").get<int>();
    for (const auto& cell : j.at("cells")) {
        const ConfusionCell x{cell.at(0).get<int32_t>(), cell.at(1).get<int32_t>(), cell.at(2).get<int64_t>()};
        if (x.truth < 0 || x.truth >= c.classes || x.predicted < 0 || x.predicted >= c.classes)
            throw std::out_of_range("confusion cell outside the classes");
        c.cells.push_back(x);
    }
    std::sort(c.cells.begin(), c.cells.end(), [](const ConfusionCell& a, const ConfusionCell& b) {
        return a.truth != b.truth ? a.truth < b.truth : a.predicted < b.predicted;
    });
    return c;
}

} // namespace

std::string reportToJsonLine(const MetricsReport& r, bool withConfusion) {
    const bool compact = int(std::max({r.testErrorPerClass.size(), r.trainErrorPerClass.size(), r.margins.size(),
                                       r.deltas.size(), r.weights.size()})) > kCompactClasses;
    ordered_json j;
    j["epoch"] = r.epoch;
    j["step"] = r.step;
    j["total_steps"] = r.totalSteps;
    j["epoch_progress"] = num(r.epochProgress);
    j["lr"] = num(r.lr);
    j["train_loss"] = num(r.trainLoss);
    j["img_per_s"] = num(r.imgPerSec);
    j["elapsed_s"] = num(r.elapsedSeconds);
    j["eta_s"] = num(r.etaSeconds);
    j["epoch_end"] = r.epochEnd;
    j["train_error_per_class"] = perClass(r.trainErrorPerClass, compact);
    j["train_error_groups"] = nums({r.trainErrorByGroup.begin(), r.trainErrorByGroup.end()});  // many, medium, few
    if (r.epochEnd) {
        j["test_error_per_class"] = perClass(r.testErrorPerClass, compact);
        j["balanced_error"] = num(r.balancedError);
        j["frequent_error"] = num(r.frequentError);
        j["minority_error"] = num(r.minorityError);
        j["many_shot_accuracy"] = num(r.manyShotAccuracy);
        j["medium_shot_accuracy"] = num(r.mediumShotAccuracy);
        j["few_shot_accuracy"] = num(r.fewShotAccuracy);
        j["ece"] = num(r.ece);
        j["balanced_error_posthoc_la"] = num(r.balancedErrorPostHocLA);
        j["top5_error"] = num(r.top5Error);
        j["worst_class_error"] = num(r.worstClassError);
        j["gmean_recall"] = num(r.geometricMeanRecall);
        j["hmean_recall"] = num(r.harmonicMeanRecall);
        j["macro_f1"] = num(r.macroF1);
        j["plain_test_accuracy"] = num(r.plainTestAccuracy);
        json pairs = json::array();
        for (const auto& c : r.confusion.mostConfused(10)) pairs.push_back({c.truth, c.predicted, c.count});
        j["most_confused"] = pairs;  // [true, predicted, count], largest first
        if (withConfusion) j["confusion"] = cellsJson(r.confusion);
        j["margin_range"] = {num(r.marginLo), num(r.marginHi)};
        json margins = json::array();
        for (const auto& m : r.margins) margins.push_back(marginJson(m, compact));
        j["margins"] = margins;
        json groups = json::array();
        for (const auto& m : r.groupMargins) groups.push_back(marginJson(m, false));
        j["margin_groups"] = groups;  // many, medium, few-shot
    } else if (r.midEpochTest) {
        j["mid_epoch_test"] = true;
        j["test_error_per_class"] = perClass(r.testErrorPerClass, compact);
        j["balanced_error"] = num(r.balancedError);
        j["frequent_error"] = num(r.frequentError);
        j["minority_error"] = num(r.minorityError);
    }
    j["deltas"] = perClass(r.deltas, compact);
    j["weights"] = perClass(r.weights, compact);
    j["resampling"] = r.resampling;
    return j.dump();
}

MetricsReport reportFromJsonLine(const std::string& line, const std::string& source) {
    MetricsReport r;
    try {
        const json j = json::parse(line);
        r.epoch = j.at("epoch").get<int>();
        r.step = j.at("step").get<int64_t>();
        r.totalSteps = j.at("total_steps").get<int64_t>();
        r.epochProgress = readNum(j.at("epoch_progress"));
        r.lr = readNum(j.at("lr"));
        r.trainLoss = readNum(j.at("train_loss"));
        r.imgPerSec = readNum(j.at("img_per_s"));
        r.elapsedSeconds = readNum(j.at("elapsed_s"));
        r.etaSeconds = readNum(j.at("eta_s"));
        r.epochEnd = j.at("epoch_end").get<bool>();
        r.trainErrorPerClass = readNums(j.at("train_error_per_class"));
        if (j.contains("train_error_groups")) {
            const auto groups = readNums(j["train_error_groups"]);
            for (size_t g = 0; g < groups.size() && g < r.trainErrorByGroup.size(); ++g) r.trainErrorByGroup[g] = groups[g];
        }
        if (r.epochEnd) {
            r.testErrorPerClass = readNums(j.at("test_error_per_class"));
            r.balancedError = readNum(j.at("balanced_error"));
            r.frequentError = readNum(j.at("frequent_error"));
            r.minorityError = readNum(j.at("minority_error"));
            r.manyShotAccuracy = readNum(j.at("many_shot_accuracy"));
            r.mediumShotAccuracy = readNum(j.at("medium_shot_accuracy"));
            r.fewShotAccuracy = readNum(j.at("few_shot_accuracy"));
            r.ece = readNum(j.at("ece"));
            r.balancedErrorPostHocLA = readNum(j.at("balanced_error_posthoc_la"));
            r.top5Error = j.contains("top5_error") ? readNum(j["top5_error"]) : std::nan("");
            // Lines from before these measures have none: NaN.
            auto optional = [&](const char* key) { return j.contains(key) ? readNum(j[key]) : std::nan(""); };
            r.worstClassError = optional("worst_class_error");
            r.geometricMeanRecall = optional("gmean_recall");
            r.harmonicMeanRecall = optional("hmean_recall");
            r.macroF1 = optional("macro_f1");
            r.plainTestAccuracy = optional("plain_test_accuracy");
            if (j.contains("confusion")) r.confusion = confusionFrom(j["confusion"]);
            r.marginLo = readNum(j.at("margin_range").at(0));
            r.marginHi = readNum(j.at("margin_range").at(1));
            for (const auto& m : j.at("margins")) r.margins.push_back(marginFrom(m));
            if (j.contains("margin_groups"))
                for (const auto& m : j["margin_groups"]) r.groupMargins.push_back(marginFrom(m));
        } else if (j.value("mid_epoch_test", false)) {
            r.midEpochTest = true;
            r.testErrorPerClass = readNums(j.at("test_error_per_class"));
            r.balancedError = readNum(j.at("balanced_error"));
            r.frequentError = readNum(j.at("frequent_error"));
            r.minorityError = readNum(j.at("minority_error"));
        }
        r.deltas = readNums(j.at("deltas"));
        r.weights = readNums(j.at("weights"));
        r.resampling = j.at("resampling").get<bool>();
    } catch (const json::exception& e) {
        throw DataError(source, std::string("not a metrics line: ") + e.what());
    } catch (const std::out_of_range& e) {
        throw DataError(source, std::string("not a metrics line: ") + e.what());
    }
    return r;
}

std::string confusionToJsonLine(const MetricsReport& r) {
    ordered_json j;
    j["step"] = r.step;
    j["epoch"] = r.epoch;
    j["confusion"] = cellsJson(r.confusion);
    return j.dump();
}

bool attachConfusionLine(const std::string& line, std::vector<MetricsReport>& reports, const std::string& source) {
    try {
        const json j = json::parse(line);
        const int64_t step = j.at("step").get<int64_t>();
        for (auto it = reports.rbegin(); it != reports.rend(); ++it)
            if (it->step == step && it->epochEnd) {
                it->confusion = confusionFrom(j.at("confusion"));
                return true;
            }
        return false;
    } catch (const json::exception& e) {
        throw DataError(source, std::string("not a confusion line: ") + e.what());
    } catch (const std::out_of_range& e) {
        throw DataError(source, std::string("not a confusion line: ") + e.what());
    }
}

void putRunOutcome(ordered_json& j, const RunSummary& s) {
    j["status"] = runStatusName(s.status);
    j["message"] = s.message;
    j["warning"] = s.warning;
    j["epochs_completed"] = s.epochsCompleted;
    j["wall_seconds"] = num(s.wallSeconds);
    j["img_per_s"] = num(s.imgPerSec);
    j["device"] = s.device;
    j["pipeline"] = s.pipeline;
    j["world_size"] = s.worldSize;
    if (!s.backend.empty()) j["backend"] = s.backend;
    if (s.worldSize > 1 && s.allreduceMs > 0) j["allreduce_ms_per_step"] = num(s.allreduceMs);
    if (s.sweepRank >= 0) j["sweep_rank"] = s.sweepRank;
}

std::string summaryToJson(const RunSummary& s, const RunInfo& info) {
    ordered_json j;
    putRunOutcome(j, s);
    j["class_names"] = info.classNames;
    j["class_counts"] = info.classCounts;
    if (s.hasFinalReport) {
        const MetricsReport& r = s.finalReport;
        j["epoch"] = r.epoch;
        j["per_class_error"] = nums(r.testErrorPerClass);
        j["balanced_error"] = num(r.balancedError);
        j["test_accuracy"] = num(1.0 - r.balancedError);
        j["test_accuracy_is"] = "balanced: the mean of the per-class accuracies (1 - balanced_error)";
        j["plain_test_accuracy"] = num(r.plainTestAccuracy);  // right / all test examples, as the test set is
        j["frequent_error"] = num(r.frequentError);
        j["minority_error"] = num(r.minorityError);
        j["many_shot_accuracy"] = num(r.manyShotAccuracy);
        j["medium_shot_accuracy"] = num(r.mediumShotAccuracy);
        j["few_shot_accuracy"] = num(r.fewShotAccuracy);
        j["ece"] = num(r.ece);
        j["balanced_error_posthoc_la"] = num(r.balancedErrorPostHocLA);
        j["top5_error"] = num(r.top5Error);
        j["worst_class_error"] = num(r.worstClassError);
        j["gmean_recall"] = num(r.geometricMeanRecall);
        j["hmean_recall"] = num(r.harmonicMeanRecall);
        j["macro_f1"] = num(r.macroF1);
        std::vector<double> classMargin;
        for (const auto& m : r.margins) classMargin.push_back(m.min);
        j["class_margins"] = nums(classMargin);
        j["train_error_per_class"] = nums(r.trainErrorPerClass);
    }
    if (s.bestEpoch >= 0) {
        j["best_epoch"] = s.bestEpoch;
        j["best_balanced_error"] = num(s.bestBalancedError);
        j["best_note"] = "best epoch selected on the test set: optimistic; the last epoch is the headline";
    }
    if (!s.tauNormTaus.empty()) {
        for (size_t i = 0; i < s.tauNormTaus.size(); ++i)
            if (std::abs(s.tauNormTaus[i] - 1.0) < 1e-9) j["balanced_error_tau_norm"] = num(s.tauNormBalancedError[i]);
        j["tau_norm_curve"] = {{"tau", s.tauNormTaus}, {"balanced_error", nums(s.tauNormBalancedError)}};
        j["tau_norm_note"] = "classifier rows w_j/||w_j||^tau, bias left out (Kang et al. 2020); chosen on nothing: "
                             "tau = 1 is reported, the curve shows every tau on the test set";
    }
    if (!info.splitFingerprint.empty()) j["split_fingerprint"] = info.splitFingerprint;
    j["note"] = "last-epoch numbers on the balanced test set";
    return j.dump(2) + "\n";
}

SummaryNumbers readSummaryJson(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw DataError(path, "missing: the run wrote no summary");
    SummaryNumbers n;
    try {
        const auto j = nlohmann::json::parse(in);
        n.status = j.value("status", std::string());
        n.message = j.value("message", std::string());
        n.warning = j.value("warning", std::string());  // summaries from before the collapse check have none
        n.wallSeconds = j.value("wall_seconds", 0.0);
        n.evaluated = j.contains("balanced_error") && j["balanced_error"].is_number();
        if (!n.evaluated) return n;
        n.balancedError = j["balanced_error"].get<double>();
        n.minorityError = j["minority_error"].is_number() ? j["minority_error"].get<double>() : std::nan("");
        n.frequentError = j["frequent_error"].is_number() ? j["frequent_error"].get<double>() : std::nan("");
        auto numberOrNan = [&](const char* key) {
            return j.contains(key) && j[key].is_number() ? j[key].get<double>() : std::nan("");
        };
        n.manyShot = numberOrNan("many_shot_accuracy");
        n.mediumShot = numberOrNan("medium_shot_accuracy");
        n.fewShot = numberOrNan("few_shot_accuracy");
        n.top5Error = numberOrNan("top5_error");
        n.worstClassError = numberOrNan("worst_class_error");
        n.geometricMeanRecall = numberOrNan("gmean_recall");
        n.macroF1 = numberOrNan("macro_f1");
        n.classNames = j.value("class_names", std::vector<std::string>{});
        if (j.contains("per_class_error") && j["per_class_error"].is_array())
            for (const auto& v : j["per_class_error"]) n.classErrors.push_back(v.is_number() ? v.get<double>() : std::nan(""));
    } catch (const nlohmann::json::exception& e) {
        throw DataError(path, std::string("is not a readable summary: ") + e.what());
    }
    return n;
}

} // namespace imblab
