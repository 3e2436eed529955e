// Metrics CSV; see metrics_csv.h.
#include "io/metrics_csv.h"

#include "errors.h"
#include "io/metrics_json.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace imblab {

namespace {

std::string num(double v) {
    if (!std::isfinite(v)) return {};
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

} // namespace

std::string metricsCsvHeader() {
    return "run,epoch,step,split,class,class_name,n_train,error,margin_min,margin_q1,margin_median,margin_q3,margin_max,"
           "balanced_error,lr,train_loss\n";
}

std::string metricsCsvRows(const std::string& run, const std::vector<MetricsReport>& reports,
                           const std::vector<std::string>& classNames, const std::vector<int64_t>& classCounts) {
    std::ostringstream o;
    for (const auto& r : reports) {
        if (!r.epochEnd) continue;
        for (const char* split : {"train", "test"}) {
            const bool train = split[1] == 'r';
            const auto& err = train ? r.trainErrorPerClass : r.testErrorPerClass;
            for (size_t c = 0; c < err.size(); ++c) {
                o << quoted(run) << ',' << r.epoch << ',' << r.step << ',' << split << ',' << c << ','
                  << quoted(classNames[c]) << ',' << classCounts[c] << ',' << num(err[c]);
                if (train && c < r.margins.size()) {
                    const auto& m = r.margins[c];
                    o << ',' << num(m.min) << ',' << num(m.q1) << ',' << num(m.median) << ',' << num(m.q3) << ',' << num(m.max);
                } else {
                    o << ",,,,,";
                }
                o << ',' << num(r.balancedError) << ',' << num(r.lr) << ',' << num(r.trainLoss) << '\n';
            }
        }
    }
    return o.str();
}

std::string runFolderMetricsCsv(const std::string& runDir) {
    namespace fs = std::filesystem;
    const std::string configPath = (fs::path(runDir) / "config.json").string();
    const std::string metricsPath = (fs::path(runDir) / "metrics.jsonl").string();
    std::ifstream cfgIn(configPath);
    if (!cfgIn) throw DataError(configPath, "missing: a run folder written by imblab-cli train --out has it");
    std::vector<std::string> names;
    std::vector<int64_t> counts;
    try {
        const auto j = nlohmann::json::parse(cfgIn);
        names = j.at("resolved").at("class_names").get<std::vector<std::string>>();
        counts = j.at("resolved").at("class_counts").get<std::vector<int64_t>>();
    } catch (const nlohmann::json::exception& e) {
        throw DataError(configPath, std::string("not a run config: ") + e.what());
    }
    std::ifstream in(metricsPath);
    if (!in) throw DataError(metricsPath, "missing: the run wrote no metrics");
    std::vector<MetricsReport> reports;
    int lineNo = 0;
    for (std::string line; std::getline(in, line);) {
        ++lineNo;
        if (!line.empty()) reports.push_back(reportFromJsonLine(line, metricsPath + " line " + std::to_string(lineNo)));
    }
    return metricsCsvHeader() + metricsCsvRows(fs::path(runDir).filename().string(), reports, names, counts);
}

} // namespace imblab
