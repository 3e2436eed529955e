// Epoch-end evaluation; see evaluation.h.
#include "training/evaluation.h"

#include "api/class_measures.h"
#include "api/shot_groups.h"

namespace imblab {

namespace {
constexpr int kMarginBins = 40;
constexpr int kEceBins = 15;
constexpr int kTopK = 5;
} // namespace

std::vector<int64_t> fillTestErrors(MetricsReport& r, const EvaluationSet& testSet, const RunInfo& info) {
    const int k = int(info.classNames.size());
    auto testPred = argmaxPredictions(testSet.logits);
    r.confusion = ConfusionCounts::of(testSet.labels, testPred, k);
    r.testErrorPerClass = perClassError(r.confusion);
    r.balancedError = maskedMean(r.testErrorPerClass, std::vector<bool>(size_t(k), true));
    std::vector<bool> frequent;
    for (bool m : info.minority) frequent.push_back(!m);
    r.frequentError = maskedMean(r.testErrorPerClass, frequent);
    r.minorityError = maskedMean(r.testErrorPerClass, info.minority);
    return testPred;
}

void fillEvaluation(MetricsReport& r, const EvaluationSet& testSet, const EvaluationSet& trainSet, const RunInfo& info,
                    const std::vector<double>& logPrior) {
    const int k = int(info.classNames.size());
    const LogitTable& test = testSet.logits;
    const std::vector<int64_t>& testLabels = testSet.labels;
    const std::vector<bool> all(size_t(k), true);

    // Prediction logits are s·z for the LDAM losses; post-hoc adjustment uses those.
    LogitTable scaledTest = test;
    for (float& v : scaledTest.values) v = float(v * info.predictionScale);
    const auto testPred = fillTestErrors(r, testSet, info);
    r.testPredictions.assign(testPred.begin(), testPred.end());
    const ClassMeasures measures = classMeasures(r.testErrorPerClass, r.confusion);
    r.worstClassError = measures.worstClassError;
    r.geometricMeanRecall = measures.geometricMeanRecall;
    r.harmonicMeanRecall = measures.harmonicMeanRecall;
    r.macroF1 = measures.macroF1;
    int64_t right = 0, examples = 0;
    for (const ConfusionCell& c : r.confusion.cells) {
        examples += c.count;
        if (c.truth == c.predicted) right += c.count;
    }
    if (examples > 0) r.plainTestAccuracy = double(right) / double(examples);
    const auto shots = shotAccuracy(r.testErrorPerClass, info.classCounts);
    r.manyShotAccuracy = shots.many;
    r.mediumShotAccuracy = shots.medium;
    r.fewShotAccuracy = shots.few;
    r.ece = expectedCalibrationError(test, testLabels, info.predictionScale, kEceBins);
    const auto laPred = argmaxPredictions(scaledTest, logPrior);
    r.balancedErrorPostHocLA = maskedMean(perClassError(testLabels, laPred, k), all);
    if (k > kTopK) r.top5Error = maskedMean(perClassTopKError(test, testLabels, kTopK), all);

    r.trainErrorPerClass = perClassError(trainSet.labels, argmaxPredictions(trainSet.logits), k);
    r.trainErrorByGroup = shotGroupMeans(r.trainErrorPerClass, info.classCounts);
    const auto margins = exampleMargins(trainSet.logits, trainSet.labels);
    const double range = niceMarginRange(margins);
    r.marginLo = -range;
    r.marginHi = range;
    std::vector<std::vector<double>> byClass(static_cast<size_t>(k)), byGroup(kShotGroups);
    for (size_t i = 0; i < margins.size(); ++i) {
        const auto c = size_t(trainSet.labels[i]);
        byClass[c].push_back(margins[i]);
        if (c < info.classCounts.size()) byGroup[size_t(shotGroupOf(info.classCounts[c]))].push_back(margins[i]);
    }
    const bool histograms = k <= kCompactClasses;  // past that, a class keeps its five numbers
    for (int c = 0; c < k; ++c) {
        r.margins.push_back(marginStats(std::move(byClass[size_t(c)]), -range, range, kMarginBins));
        if (!histograms) r.margins.back().histogram = {};
    }
    for (auto& group : byGroup) r.groupMargins.push_back(marginStats(std::move(group), -range, range, kMarginBins));
}

} // namespace imblab
