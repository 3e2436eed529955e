// Session files; see session_json.h. Runs are stored with the same report objects as
// metrics.jsonl lines, so one reader serves both.
#include "io/session_json.h"

#include "errors.h"
#include "io/config_json.h"
#include "io/json_numbers.h"
#include "io/metrics_json.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace imblab {

using nlohmann::ordered_json;
using jsonio::num;
using jsonio::nums;
using jsonio::readNum;
using jsonio::readNums;

namespace {

ordered_json reportObject(const MetricsReport& r) { return ordered_json::parse(reportToJsonLine(r)); }

MetricsReport reportFrom(const ordered_json& j, const std::string& source) {
    return reportFromJsonLine(j.dump(), source);
}

ordered_json infoObject(const RunInfo& i) {
    ordered_json j;
    j["class_names"] = i.classNames;
    j["class_counts"] = i.classCounts;
    std::vector<int> minority(i.minority.begin(), i.minority.end());
    j["minority"] = minority;
    j["n_max"] = i.nMax;
    j["train_size"] = i.trainSize;
    j["test_size"] = i.testSize;
    j["steps_per_epoch"] = i.stepsPerEpoch;
    j["deltas"] = nums(i.deltas);
    j["class_weights"] = nums(i.classWeights);
    j["rebalance_epoch"] = i.rebalanceEpoch;
    j["schedule_epochs"] = {i.warmupEpochs, i.decay1Epoch, i.decay2Epoch};
    j["schedule_at"] = {num(i.decay1At), num(i.decay2At), num(i.rebalanceAt)};
    j["schedule_by_step"] = i.scheduleByStep;
    j["schedule_factors"] = {num(i.decay1Factor), num(i.decay2Factor)};
    j["evaluations_per_epoch"] = i.evaluationsPerEpoch;
    j["mid_epoch_test_rows"] = i.midEpochTestRows;
    j["device"] = i.device;
    j["pipeline"] = i.pipeline;
    j["data_pipeline"] = i.dataPipeline;
    j["precision"] = i.precision;
    j["channels_last"] = i.channelsLast;
    j["speed_note"] = i.speedNote;
    j["parameter_count"] = i.parameterCount;
    j["input_shape"] = i.inputShape;
    if (!i.vocabulary.empty()) j["vocabulary"] = i.vocabulary;
    j["prediction_scale"] = num(i.predictionScale);
    j["split_fingerprint"] = i.splitFingerprint;
    return j;
}

RunInfo infoFrom(const ordered_json& j) {
    RunInfo i;
    i.classNames = j.at("class_names").get<std::vector<std::string>>();
    i.classCounts = j.at("class_counts").get<std::vector<int64_t>>();
    for (int m : j.at("minority").get<std::vector<int>>()) i.minority.push_back(m != 0);
    i.nMax = j.at("n_max").get<int64_t>();
    i.trainSize = j.at("train_size").get<int64_t>();
    i.testSize = j.at("test_size").get<int64_t>();
    i.stepsPerEpoch = j.at("steps_per_epoch").get<int64_t>();
    i.deltas = readNums(j.at("deltas"));
    i.classWeights = readNums(j.at("class_weights"));
    i.rebalanceEpoch = j.at("rebalance_epoch").get<int>();
    const auto schedule = j.at("schedule_epochs").get<std::vector<int>>();
    if (schedule.size() != 3) throw std::invalid_argument("info.schedule_epochs needs 3 numbers");
    i.warmupEpochs = schedule[0];
    i.decay1Epoch = schedule[1];
    i.decay2Epoch = schedule[2];
    // Sessions saved before step-level placement: the epoch points.
    i.decay1At = i.decay1Epoch;
    i.decay2At = i.decay2Epoch;
    i.rebalanceAt = i.rebalanceEpoch;
    if (j.contains("schedule_at")) {
        const auto at = readNums(j.at("schedule_at"));
        if (at.size() != 3) throw std::invalid_argument("info.schedule_at needs 3 numbers");
        i.decay1At = at[0];
        i.decay2At = at[1];
        i.rebalanceAt = at[2];
    }
    i.scheduleByStep = j.value("schedule_by_step", false);
    if (j.contains("schedule_factors")) {
        const auto factors = readNums(j.at("schedule_factors"));
        if (factors.size() != 2) throw std::invalid_argument("info.schedule_factors needs 2 numbers");
        i.decay1Factor = factors[0];
        i.decay2Factor = factors[1];
    }
    i.evaluationsPerEpoch = j.value("evaluations_per_epoch", 1);
    i.midEpochTestRows = j.value("mid_epoch_test_rows", int64_t(0));
    i.device = j.at("device").get<std::string>();
    i.pipeline = j.at("pipeline").get<std::string>();
    i.dataPipeline = j.value("data_pipeline", std::string("decoded"));
    i.precision = j.value("precision", std::string("fp32"));
    i.channelsLast = j.value("channels_last", false);
    i.speedNote = j.value("speed_note", std::string());
    i.parameterCount = j.at("parameter_count").get<int64_t>();
    i.inputShape = j.at("input_shape").get<std::vector<int>>();
    i.vocabulary = j.value("vocabulary", std::vector<std::string>{});
    i.predictionScale = readNum(j.at("prediction_scale"));
    i.splitFingerprint = j.value("split_fingerprint", std::string());  // older sessions: none
    return i;
}

RunStatus statusFrom(const std::string& s) {
    if (s == "finished") return RunStatus::Finished;
    if (s == "cancelled") return RunStatus::Cancelled;
    if (s == "failed") return RunStatus::Failed;
    throw std::invalid_argument("summary.status: unknown run status '" + s + "'");
}

ordered_json summaryObject(const RunSummary& s) {
    ordered_json j;
    putRunOutcome(j, s);
    j["final_report"] = s.hasFinalReport ? reportObject(s.finalReport) : ordered_json(nullptr);
    return j;
}

RunSummary summaryFrom(const ordered_json& j, const std::string& source) {
    RunSummary s;
    s.status = statusFrom(j.at("status").get<std::string>());
    s.message = j.at("message").get<std::string>();
    s.warning = j.value("warning", std::string());  // sessions saved before the collapse check have none
    s.epochsCompleted = j.at("epochs_completed").get<int>();
    s.wallSeconds = readNum(j.at("wall_seconds"));
    s.imgPerSec = readNum(j.at("img_per_s"));
    s.device = j.at("device").get<std::string>();
    s.pipeline = j.at("pipeline").get<std::string>();
    s.hasFinalReport = !j.at("final_report").is_null();
    if (s.hasFinalReport) s.finalReport = reportFrom(j.at("final_report"), source + " final_report");
    return s;
}

} // namespace

std::string sessionToJson(const Session& session) {
    const std::string settings = configToJson(session.config);
    if (session.runs.empty()) return settings;
    ordered_json j = ordered_json::parse(settings);
    ordered_json runs = ordered_json::array();
    for (const auto& r : session.runs) {
        ordered_json o;
        o["id"] = r.id;
        o["config"] = ordered_json::parse(configToJson(r.config));
        o["info"] = infoObject(r.info);
        o["summary"] = summaryObject(r.summary);
        ordered_json epochs = ordered_json::array(), steps = ordered_json::array();
        for (const auto& e : r.epochReports) epochs.push_back(reportObject(e));
        for (const auto& s : r.stepReports) steps.push_back(reportObject(s));
        o["epoch_reports"] = epochs;
        o["step_reports"] = steps;
        o["test_predictions"] = r.epochReports.empty() ? std::vector<int32_t>{} : r.epochReports.back().testPredictions;
        if (!r.checkpoint.empty()) o["checkpoint"] = r.checkpoint;
        runs.push_back(o);
    }
    j["runs"] = runs;
    if (session.shownRun >= 0) j["shown_run"] = session.shownRun;
    return j.dump(2) + "\n";
}

Session parseSession(const std::string& text, const std::string& source) {
    Session s;
    s.config = parseConfig(text, source);  // checks JSON, version and every setting
    const ordered_json doc = ordered_json::parse(text);
    if (!doc.contains("runs")) return s;
    if (!doc["runs"].is_array()) throw DataError(source, "runs: must be an array of runs");
    if (doc.contains("shown_run")) {
        const auto& shown = doc["shown_run"];
        if (!shown.is_number_integer() || shown.get<int64_t>() < -1 || shown.get<int64_t>() > INT32_MAX)
            throw DataError(source, "shown_run: must be a run id");
        s.shownRun = shown.get<int>();
    }
    int index = 0;
    for (const auto& o : doc["runs"]) {
        const std::string where = "runs[" + std::to_string(index++) + "]";
        try {
            SessionRun r;
            r.id = o.at("id").get<int>();
            r.config = parseConfig(o.at("config").dump(), source + " " + where + ".config");
            r.info = infoFrom(o.at("info"));
            r.summary = summaryFrom(o.at("summary"), source + " " + where);
            for (const auto& e : o.at("epoch_reports")) r.epochReports.push_back(reportFrom(e, source + " " + where));
            for (const auto& e : o.at("step_reports")) r.stepReports.push_back(reportFrom(e, source + " " + where));
            auto predictions = o.at("test_predictions").get<std::vector<int32_t>>();
            if (!r.epochReports.empty()) r.epochReports.back().testPredictions = std::move(predictions);
            if (o.contains("checkpoint")) r.checkpoint = o["checkpoint"].get<std::string>();
            s.runs.push_back(std::move(r));
        } catch (const ordered_json::exception& e) {
            throw DataError(source, where + ": " + e.what());
        } catch (const std::invalid_argument& e) {
            throw DataError(source, where + ": " + e.what());
        }  // DataError from a report already names the file and the run
    }
    return s;
}

Session loadSessionFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DataError(path, "cannot be opened for reading");
    std::stringstream ss;
    ss << in.rdbuf();
    return parseSession(ss.str(), path);
}

} // namespace imblab
