// The teaching mode's lessons as data: each compares two methods on 2-D blobs chosen so that
// the lesson's claim holds across seeds (measured by measureLesson; `imblab-cli lessons` prints
// the table the README quotes). The captions are the UI's; the settings and the claim live here
// so the app, the CLI and the tests use the same ones.
#pragma once

#include "api/experiment_config.h"
#include "api/observer.h"

#include <cstdint>
#include <string>
#include <vector>

namespace imblab {

// The number a lesson's claim is about: the right side's value is lower than the left's.
enum class LessonMetric { MinorityError, BalancedError };
std::string lessonMetricName(LessonMetric m);  // "minority error", "balanced error"

struct LessonSetup {
    std::string id;  // "erm-vs-rw"
    int classes = 2;
    double rho = 20, spread = 1.0, separation = 1.5;
    int epochs = 40;
    std::string left, right;  // method ids (api/methods.h)
    LessonMetric metric = LessonMetric::MinorityError;
    bool theory = false;  // the margin theory lesson: the comparison is the explorer, not a run
};

const std::vector<LessonSetup>& lessonSetups();

// The run of `method` in lesson `l` with `seed` (data and model): the blobs-teaching preset
// with the lesson's data and epochs.
ExperimentConfig lessonConfig(const LessonSetup& l, const std::string& method, uint64_t seed);

struct LessonOutcome {
    uint64_t seed = 0;
    double left = 0, right = 0;  // the metric at the last epoch, 0..1
    // The rarest class's γ at the last evaluation: its smallest signed distance to the
    // boundary in input units, on the views' grid (teaching/boundary_geometry.h); NaN without
    // a boundary.
    double leftGamma = 0, rightGamma = 0;
    bool holds() const { return right < left; }
};

// Trains both sides for every seed (on the calling thread) and returns the metric of each.
// ConfigError / DataError as runJob; TrainingError naming the lesson, method and seed when a
// run ends without its last evaluation. Returns what it has when `control.cancel` is set.
std::vector<LessonOutcome> measureLesson(const LessonSetup& l, const std::vector<uint64_t>& seeds, RunControl& control);

struct LessonStats {
    double leftMean = 0, leftStd = 0, rightMean = 0, rightStd = 0;
    double gapMean = 0, gapStd = 0;  // left − right per seed (paired), sample std
    int holds = 0, seeds = 0;
    // The lesson's bar: the claim holds in at least 9 of 10 seeds and the mean gap exceeds the
    // paired gap's seed-to-seed spread.
    bool convincing() const { return seeds > 0 && 10 * holds >= 9 * seeds && gapMean > gapStd; }
};
LessonStats lessonStats(const std::vector<LessonOutcome>& outcomes);

} // namespace imblab
