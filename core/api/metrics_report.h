// What the trainer reports, as plain data: the UI, the CLI and the exporters consume copies.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace imblab {

// Margin statistics of one class on the training set, γ(x, y) = z_y − max_{j≠y} z_j on the
// unscaled logits. The class margin γ_j of the paper is `min`.
struct MarginStats {
    double min = 0, q1 = 0, median = 0, q3 = 0, max = 0;
    std::vector<int64_t> histogram;  // fixed bins over [MetricsReport::marginLo, marginHi]
};

// The test confusion matrix as its non-zero cells, sorted by true then predicted class: at most
// one cell per test example, so its size follows the test set, not k² (8 142 classes would be 66
// million cells, most of them zero).
struct ConfusionCell {
    int32_t truth = 0, predicted = 0;
    int64_t count = 0;
    bool operator==(const ConfusionCell& o) const { return truth == o.truth && predicted == o.predicted && count == o.count; }
};
struct ConfusionCounts {
    int classes = 0;
    std::vector<ConfusionCell> cells;

    // Counted from each example's true and predicted class.
    static ConfusionCounts of(const std::vector<int64_t>& labels, const std::vector<int64_t>& predictions, int classes);
    // From a dense [true][predicted] matrix (small cases, metrics files from before the cells).
    static ConfusionCounts fromMatrix(const std::vector<std::vector<int64_t>>& matrix);
    bool empty() const { return cells.empty(); }
    int64_t at(int truth, int predicted) const;  // 0 where no example fell
    std::vector<int64_t> rowTotals() const;      // test examples of each true class
    std::vector<int64_t> columnTotals() const;   // predictions of each class
    // The n largest cells off the diagonal, largest first (ties by true, then predicted class).
    std::vector<ConfusionCell> mostConfused(size_t n) const;
};

// Past this many classes a run reports per-class numbers once per evaluation only: progress
// reports carry the shot groups' train errors instead (api/shot_groups.h), a class's margins are
// its five numbers without the histogram (the groups keep theirs), and a metrics line keeps six
// significant digits. At 8 142 classes a report every 20 steps with every per-class vector would
// be gigabytes in the app and in metrics.jsonl.
constexpr int kCompactClasses = 100;

struct MetricsReport {
    int epoch = 0;            // 0-based epoch this report belongs to
    int64_t step = 0;         // optimizer steps done so far
    int64_t totalSteps = 0;   // steps of the whole run
    double epochProgress = 0; // fractional epochs done (x axis of the curves)
    double lr = 0;
    double trainLoss = 0;     // mean loss since the previous report
    double imgPerSec = 0;     // training throughput since the run started (evaluation excluded)
    double elapsedSeconds = 0;
    double etaSeconds = 0;
    bool epochEnd = false;    // a full evaluation is included below
    // A short run's test-only evaluation within an epoch (training/evaluation_plan.h): only
    // testErrorPerClass, balancedError, frequentError and minorityError are filled, on
    // RunInfo::midEpochTestRows test examples.
    bool midEpochTest = false;

    // Running (augmented batches, about the last quarter epoch) or clean at epoch end; in a
    // progress report past kCompactClasses classes, empty (the group means below remain).
    std::vector<double> trainErrorPerClass;
    // The same train error averaged over the many / medium / few-shot classes; NaN for a group
    // without a class (or in a report from before they were kept).
    std::array<double, 3> trainErrorByGroup{std::numeric_limits<double>::quiet_NaN(),
                                            std::numeric_limits<double>::quiet_NaN(),
                                            std::numeric_limits<double>::quiet_NaN()};

    // Filled when epochEnd:
    std::vector<double> testErrorPerClass;
    double balancedError = 0;  // top-1 error on the balanced test set (= mean per-class error)
    double frequentError = 0, minorityError = 0;  // mean per-class error; NaN when a group is empty
    double manyShotAccuracy = 0, mediumShotAccuracy = 0, fewShotAccuracy = 0;  // NaN when empty
    double ece = 0;            // expected calibration error, 15 equal-width confidence bins
    double balancedErrorPostHocLA = 0;  // argmax_j (z_j − τ·log π_j), τ = 1
    // The label not among the five largest logits, averaged over the classes as the balanced
    // error is (on a balanced test set, the plain top-5 error); NaN with five classes or fewer.
    double top5Error = std::numeric_limits<double>::quiet_NaN();
    // Where the displays show it beside the top-1: more than 10 classes (CIFAR-100, ImageNet-LT,
    // iNaturalist: where the literature reports it; with 10 it is close to zero).
    static bool showsTop5(int classes) { return classes > 10; }
    // What the field reports since (api/class_measures.h, docs/science.md): the worst class's
    // error, the geometric and harmonic means of the per-class recalls, the macro-averaged F1.
    double worstClassError = std::numeric_limits<double>::quiet_NaN();
    double geometricMeanRecall = std::numeric_limits<double>::quiet_NaN();
    double harmonicMeanRecall = std::numeric_limits<double>::quiet_NaN();
    double macroF1 = std::numeric_limits<double>::quiet_NaN();
    // The share of all test examples predicted right: 1 − balancedError on a balanced test set,
    // not on an imbalanced one of your own (which is why both are reported).
    double plainTestAccuracy = std::numeric_limits<double>::quiet_NaN();
    ConfusionCounts confusion;  // counts on the test set
    std::vector<int32_t> testPredictions;         // argmax class of every test example
    std::vector<MarginStats> margins;       // per class; histograms empty past kCompactClasses
    std::vector<MarginStats> groupMargins;  // many, medium, few-shot: all their classes' examples
    double marginLo = 0, marginHi = 0;
    // Past kCompactClasses classes only in evaluation reports (empty in progress reports).
    std::vector<double> deltas;   // Δ_j of the loss (empty when none)
    std::vector<double> weights;  // w_j in force (empty under ERM)
    bool resampling = false;      // RS in force
};

} // namespace imblab
