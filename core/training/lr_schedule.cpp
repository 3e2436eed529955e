// Schedule arithmetic; see lr_schedule.h.
#include "training/lr_schedule.h"

#include "api/engine.h"

#include <algorithm>
#include <cmath>

namespace imblab {

ScheduleEpochs scaledSchedule(int epochs) {
    const double f = epochs / 200.0;
    ScheduleEpochs s;
    s.warmup = std::max(1, int(std::lround(5 * f)));
    s.decay1 = int(std::lround(160 * f));
    s.decay2 = int(std::lround(180 * f));
    return s;
}

double lrFactor(int epoch, const ScheduleEpochs& s) {
    if (epoch < s.warmup) return double(epoch + 1) / s.warmup;
    if (epoch >= s.decay2) return 1e-4;
    if (epoch >= s.decay1) return 1e-2;
    return 1.0;
}

RunSchedule placeSchedule(const std::string& kind, int epochs, int64_t stepsPerEpoch) {
    RunSchedule r;
    r.stepsPerEpoch = std::max<int64_t>(1, stepsPerEpoch);
    if (kind != "official") {
        r.constant = true;
        r.epochs = ScheduleEpochs{0, epochs, epochs};  // no warm-up, no decay
        return r;
    }
    r.epochs = scaledSchedule(epochs);
    r.stepLevel = r.epochs.decay2 >= epochs || r.epochs.decay1 >= r.epochs.decay2;
    if (!r.stepLevel) return r;
    const int64_t total = int64_t(epochs) * r.stepsPerEpoch;
    const auto at = [&](double fraction) { return int64_t(std::llround(fraction * double(total))); };
    r.warmupSteps = std::max<int64_t>(1, at(5.0 / 200));
    r.decay1Step = std::clamp<int64_t>(at(160.0 / 200), 1, std::max<int64_t>(1, total - 1));
    r.decay2Step = std::clamp<int64_t>(at(180.0 / 200), r.decay1Step, std::max<int64_t>(r.decay1Step, total - 1));
    return r;
}

double lrFactorAtStep(int64_t step, const RunSchedule& s) {
    if (s.constant) return 1.0;
    if (!s.stepLevel) return lrFactor(int(step / s.stepsPerEpoch), s.epochs);
    if (step < s.warmupSteps) return double(step + 1) / double(s.warmupSteps);
    if (step >= s.decay2Step) return 1e-4;
    if (step >= s.decay1Step) return 1e-2;
    return 1.0;
}

std::string describeSchedule(const TrainConfig& train, bool deferred) {
    if (train.schedule != "official") return deferred ? "constant LR; deferred re-balancing from half the run" : "constant LR";
    const RunSchedule s = placeSchedule(train.schedule, train.epochs, 1);
    std::string text;
    if (!s.stepLevel) {
        text = "LR ×0.01 after epoch " + std::to_string(s.epochs.decay1) + ", ×0.0001 after epoch " +
               std::to_string(s.epochs.decay2);
        if (deferred) text += "; deferred re-balancing with the first decay";
    } else {
        text = "too few epochs for the epoch points: LR ×0.01 at 80 % and ×0.0001 at 90 % of the steps";
        if (deferred) text += "; DRW switches with the first decay, DRS at the nearest epoch start";
    }
    return text;
}

} // namespace imblab
