// The running train error a report shows between evaluations: per class, the training examples
// seen and those misclassified, older steps fading with a half-life of an eighth of an epoch
// (at least one step). A per-epoch tally would restart at each epoch and draw a drop there that
// is no event of training. Checkpoints carry the faded counts, so a resumed run goes on exactly.
#pragma once

#include <cstdint>
#include <vector>

namespace imblab {

class RunningTrainError {
public:
    RunningTrainError(int classes, int64_t stepsPerEpoch);

    // Adds the counts of `steps` steps: what was there fades by ½^(steps / half-life) first.
    void add(int64_t steps, const std::vector<int64_t>& seen, const std::vector<int64_t>& wrong);
    // Per class: wrong / seen, NaN for a class not seen yet.
    std::vector<double> errors() const;

    const std::vector<double>& seen() const { return seen_; }
    const std::vector<double>& wrong() const { return wrong_; }
    // Counts from a checkpoint; ignored unless both have one value per class (an older checkpoint).
    void restore(const std::vector<double>& seen, const std::vector<double>& wrong);

private:
    double halfLife_;
    std::vector<double> seen_, wrong_;
};

} // namespace imblab
