// The lessons; see lessons.h. The settings come from measuring each claim over seeds 0–9
// (`imblab-cli lessons`; the table is in the README).
#include "teaching/lessons.h"

#include "api/methods.h"
#include "api/run_job.h"
#include "data/dataset_loader.h"
#include "errors.h"
#include "io/config_json.h"
#include "teaching/boundary_geometry.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

namespace imblab {

std::string lessonMetricName(LessonMetric m) {
    return m == LessonMetric::MinorityError ? "minority error" : "balanced error";
}

const std::vector<LessonSetup>& lessonSetups() {
    // 1: overlapping blobs, B 20× rarer: re-weighting's gain is large on any seed.
    // 2: LDAM's margins matter where the classes are nearly separable and the rare class has
    //    only a handful of points (ρ = 100: 5 of them); on overlapping blobs the count ratio
    //    outweighs the margin offsets and LDAM alone changes little (as in the paper, where
    //    LDAM alone gains a few points and LDAM-DRW most of them).
    // 3: two heavily overlapping classes, B 50× rarer (10 points): re-weighting from the first
    //    epoch fits the boundary around the few rare training points, and B's test error is higher
    //    than with DRW, which learns a smooth boundary first and then shifts it (B's error lower
    //    in 10 of 10 seeds, balanced error in 9; A's error is a little higher with DRW). With three
    //    classes at ρ = 30 the two came out even (6 of 10 seeds), and on well-separated blobs
    //    early re-weighting is as good, so the lesson uses the setting where the claim holds.
    static const std::vector<LessonSetup> list = {
        {"erm-vs-rw", 2, 20, 1.0, 1.5, 40, "erm", "rw", LessonMetric::MinorityError, false},
        {"ce-vs-ldam", 2, 100, 1.0, 2.5, 40, "erm", "ldam", LessonMetric::MinorityError, false},
        {"rw-vs-drw", 2, 50, 1.0, 1.0, 40, "cb-rw", "ce-drw", LessonMetric::MinorityError, false},
        {"margin-theory", 2, 20, 1.0, 1.5, 40, "erm", "ldam", LessonMetric::MinorityError, true},
    };
    return list;
}

ExperimentConfig lessonConfig(const LessonSetup& l, const std::string& method, uint64_t seed) {
    ExperimentConfig c = loadPreset("blobs-teaching");
    c.dataset.blobsClasses = l.classes;
    c.dataset.rho = l.rho;
    c.dataset.blobsSpread = l.spread;
    c.dataset.blobsSeparation = l.separation;
    c.dataset.seed = seed;
    c.train.seed = seed;
    c.train.epochs = l.epochs;
    return applyMethod(c, findMethod(method));
}

namespace {

// Keeps the last decision grid; reports nothing.
class LastGridObserver : public RunJobObserver {
public:
    void onStarted(const RunInfo&) override {}
    void onReport(const MetricsReport&) override {}
    void onGrid(int, const DecisionGrid& grid) override { last = grid; }
    DecisionGrid last;
};

double metricOf(const RunSummary& s, LessonMetric m) {
    return m == LessonMetric::MinorityError ? s.finalReport.minorityError : s.finalReport.balancedError;
}

} // namespace

std::vector<LessonOutcome> measureLesson(const LessonSetup& l, const std::vector<uint64_t>& seeds, RunControl& control) {
    std::vector<LessonOutcome> out;
    for (uint64_t seed : seeds) {
        // Both sides train on one dataset and are measured on the grid the app's views use.
        const DatasetConfig dataCfg = lessonConfig(l, l.left, seed).dataset;
        const auto data = std::make_shared<const Dataset>(loadDataset(dataCfg));
        const KeptSubset kept = keptSubset(*data, dataCfg);
        std::vector<float> xy;
        for (int64_t i : kept.indices) {
            xy.push_back(data->train.features[size_t(2 * i)]);
            xy.push_back(data->train.features[size_t(2 * i + 1)]);
        }
        const int64_t rare = std::min_element(kept.classCounts.begin(), kept.classCounts.end()) - kept.classCounts.begin();
        LessonOutcome o;
        o.seed = seed;
        for (int side = 0; side < 2; ++side) {
            if (control.cancel) return out;
            const std::string& method = side == 0 ? l.left : l.right;
            RunJob job;
            job.config = lessonConfig(l, method, seed);
            job.data = data;
            job.gridSpec = teachingGridSpec(xy);
            LastGridObserver observer;
            const RunSummary s = runJob(job, observer, control).summary;
            if (control.cancel) return out;
            if (!s.hasFinalReport || observer.last.pointDistances.size() != kept.indices.size())
                throw TrainingError("lesson " + l.id + ", " + method + ", seed " + std::to_string(seed) +
                                    ": the run ended without its last evaluation (" + s.message + ")");
            double gamma = std::numeric_limits<double>::quiet_NaN();
            for (size_t i = 0; i < kept.indices.size(); ++i)
                if (data->train.labels[size_t(kept.indices[i])] == rare)
                    gamma = std::isnan(gamma) ? observer.last.pointDistances[i] : std::min(gamma, observer.last.pointDistances[i]);
            (side == 0 ? o.left : o.right) = metricOf(s, l.metric);
            (side == 0 ? o.leftGamma : o.rightGamma) = gamma;
        }
        out.push_back(o);
    }
    return out;
}

LessonStats lessonStats(const std::vector<LessonOutcome>& outcomes) {
    LessonStats st;
    st.seeds = int(outcomes.size());
    if (outcomes.empty()) return st;
    auto meanStd = [&](auto value, double& mean, double& sd) {
        double sum = 0;
        for (const auto& o : outcomes) sum += value(o);
        mean = sum / double(outcomes.size());
        double ss = 0;
        for (const auto& o : outcomes) ss += (value(o) - mean) * (value(o) - mean);
        sd = outcomes.size() > 1 ? std::sqrt(ss / double(outcomes.size() - 1)) : 0.0;
    };
    meanStd([](const LessonOutcome& o) { return o.left; }, st.leftMean, st.leftStd);
    meanStd([](const LessonOutcome& o) { return o.right; }, st.rightMean, st.rightStd);
    meanStd([](const LessonOutcome& o) { return o.left - o.right; }, st.gapMean, st.gapStd);
    for (const auto& o : outcomes) st.holds += o.holds() ? 1 : 0;
    return st;
}

} // namespace imblab
