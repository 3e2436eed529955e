// The comparison table of runs (the paper's Table 2): methods × imbalance settings with the
// mean ± std of the last-epoch balanced error over seeds, as Markdown, CSV and LaTeX.
#pragma once

#include "api/experiment_config.h"

#include <limits>
#include <string>
#include <vector>

namespace imblab {

inline constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();
inline constexpr size_t kPerClassTableClasses = 4;

struct RunResultRow {
    std::string method;   // method id (erm, ldam-drw, ...) or "custom"
    std::string label;    // as printed (ERM, LDAM-DRW, ...)
    std::string profile;  // exp | step | none
    double rho = 1, mu = 0.5;
    unsigned long long seed = 0;
    double balancedError = 0, minorityError = 0, frequentError = 0;
    double wallSeconds = 0;
    // Every other setting of the run (comparableSettings less the profile, ρ and μ, which the
    // setting column names): rows pool as seeds only when these are equal.
    std::vector<std::pair<std::string, std::string>> settings = {};
    bool ownData = false;  // an image folder: profile none is its natural imbalance, not "balanced"
    // Test accuracy of the many- (> 100 training examples), medium- (20..100) and few-shot (< 20)
    // classes; NaN when the run has no class in the group (or did not say).
    double manyShot = kNoValue, mediumShot = kNoValue, fewShot = kNoValue;
    double top5Error = kNoValue;  // NaN with five classes or fewer
    // The measures since the paper (api/class_measures.h); NaN when the run did not say.
    double worstClassError = kNoValue, geometricMeanRecall = kNoValue, macroF1 = kNoValue;
    // The run finished but learned to predict only a few classes (training/collapse_check.h):
    // its number is real yet says little, so the tables mark it.
    bool collapsed = false;
    // Per-class test errors and the classes' names (the per-class table of few-class sets).
    std::vector<std::string> classNames = {};
    std::vector<double> classErrors = {};
};

struct AggregateRow {
    // label: the method's label, plus the settings that tell this group from the method's other
    // groups when it has several ("LDAM-DRW (epochs 2)"); variant: those settings alone.
    std::string method, label, setting, variant;  // setting: "exp ρ=100"
    int runs = 0;
    double meanError = 0, stdError = 0;  // std over seeds (n − 1); 0 for one run
    double meanMinority = 0, meanFrequent = 0;
    double meanManyShot = kNoValue, meanMediumShot = kNoValue, meanFewShot = kNoValue;  // over the runs that have the group
    double meanTop5 = kNoValue, stdTop5 = kNoValue;
    double meanWorstClass = kNoValue, meanGeometricRecall = kNoValue, meanMacroF1 = kNoValue;
    int collapsedRuns = 0;  // of `runs`; the tables mark the cell with † and say how many
    std::vector<double> meanClassErrors, stdClassErrors;  // per class, when every run has them
};

// The row of a run's settings (method, label, profile, ρ, μ, seed; a custom combination is its
// own method, named by its label); the errors are the caller's to fill.
RunResultRow resultRowFor(const ExperimentConfig& cfg);

// Groups by (method, profile, ρ, μ, every other setting but the seed) in order of first appearance.
std::vector<AggregateRow> aggregateRuns(const std::vector<RunResultRow>& rows);
std::string settingName(const RunResultRow& r);

// Errors in percent with two decimals. Markdown/LaTeX pivot methods × settings (Markdown adds a
// second table of many / medium / few-shot accuracy when the runs report it, one of the worst-class
// error, the geometric mean of the recalls and macro-F1, one of top-5 error
// for more than 10 classes (MetricsReport::showsTop5), and for at most
// kPerClassTableClasses classes the paper's Table 1: the error on each class and their mean, one
// row per method and setting); CSV is long form,
// one row per (method, setting). A cell with collapsed runs is marked † with a note under the
// table (collapsed_runs in the CSV).
std::string resultsMarkdown(const std::vector<RunResultRow>& rows);
std::string resultsCsv(const std::vector<RunResultRow>& rows);
std::string resultsLatex(const std::vector<RunResultRow>& rows);
// One row per run (collapsed: 1 for a collapsed run).
std::string runsCsv(const std::vector<RunResultRow>& rows);

} // namespace imblab
