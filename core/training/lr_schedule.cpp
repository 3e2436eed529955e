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

RunSchedule placeSchedule(const std::string& kind, int epochs, int64_t stepsPerEpoch, std::vector<int> stepDecays) {
    RunSchedule r;
    r.kind = kind;
    r.runEpochs = epochs;
    r.stepsPerEpoch = std::max<int64_t>(1, stepsPerEpoch);
    if (kind == "step") {
        if (stepDecays.empty()) stepDecays = {int(std::lround(epochs / 3.0)), int(std::lround(2 * epochs / 3.0))};
        std::sort(stepDecays.begin(), stepDecays.end());
        for (int e : stepDecays)
            if (e > 0 && e < epochs && (r.stepDecays.empty() || r.stepDecays.back() != e)) r.stepDecays.push_back(e);
        const int first = r.stepDecays.empty() ? epochs : r.stepDecays.front();
        const int second = r.stepDecays.size() > 1 ? r.stepDecays[1] : first;
        r.epochs = ScheduleEpochs{0, first, second};
        r.deferralEpoch = r.stepDecays.empty() ? epochs / 2 : r.stepDecays.back();
        return r;
    }
    if (kind == "cosine") {
        r.epochs = ScheduleEpochs{0, epochs, epochs};
        r.deferralEpoch = std::clamp(int(std::lround(0.8 * epochs)), 1, std::max(1, epochs - 1));
        return r;
    }
    if (kind != "official") {
        r.constant = true;
        r.epochs = ScheduleEpochs{0, epochs, epochs};  // no warm-up, no decay
        r.deferralEpoch = epochs / 2;
        return r;
    }
    r.epochs = scaledSchedule(epochs);
    r.deferralEpoch = r.epochs.decay1;
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
    if (s.kind == "step") {
        const int epoch = int(step / s.stepsPerEpoch);
        double f = 1.0;
        for (int e : s.stepDecays)
            if (epoch >= e) f *= 0.1;
        return f;
    }
    if (s.kind == "cosine")  // CosineAnnealingLR(T_max = epochs, eta_min = 0), stepped at each epoch's start
        return 0.5 * (1.0 + std::cos(3.141592653589793 * double(step / s.stepsPerEpoch) / double(s.runEpochs)));
    if (!s.stepLevel) return lrFactor(int(step / s.stepsPerEpoch), s.epochs);
    if (step < s.warmupSteps) return double(step + 1) / double(s.warmupSteps);
    if (step >= s.decay2Step) return 1e-4;
    if (step >= s.decay1Step) return 1e-2;
    return 1.0;
}

std::string describeSchedule(const TrainConfig& train, bool deferred) {
    if (train.schedule == "step") {
        const RunSchedule s = placeSchedule("step", train.epochs, 1, train.lrDecayEpochs);
        std::string text = "LR ×0.1 after epoch";
        for (size_t i = 0; i < s.stepDecays.size(); ++i) text += (i ? i + 1 == s.stepDecays.size() ? " and " : ", " : " ") + std::to_string(s.stepDecays[i]);
        if (s.stepDecays.empty()) text = "no LR decay within the run";
        return deferred ? text + "; deferred re-balancing from epoch " + std::to_string(s.deferralEpoch + 1) : text;
    }
    if (train.schedule == "cosine") {
        const RunSchedule s = placeSchedule("cosine", train.epochs, 1);
        return deferred ? "cosine LR to 0; deferred re-balancing from epoch " + std::to_string(s.deferralEpoch + 1) : "cosine LR to 0";
    }
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
