// Placing a run's schedule in its steps; see schedule_placement.h.
#include "training/schedule_placement.h"

#include <algorithm>
#include <cmath>

namespace imblab {

PlacedSchedule placeRunSchedule(const ExperimentConfig& cfg, const std::vector<int64_t>& counts, RunInfo& info) {
    const int epochs = cfg.train.epochs;
    const int64_t perEpoch = info.stepsPerEpoch;
    PlacedSchedule placed;
    placed.lr = placeSchedule(cfg.train.schedule, epochs, perEpoch, cfg.train.lrDecayEpochs);
    const RunSchedule& s = placed.lr;
    info.scheduleByStep = s.stepLevel;
    info.warmupEpochs = s.stepLevel ? 1 : s.epochs.warmup;
    info.decay1Epoch = s.stepLevel ? int(s.decay1Step / perEpoch) : s.epochs.decay1;
    info.decay2Epoch = s.stepLevel ? int(s.decay2Step / perEpoch) : s.epochs.decay2;
    info.decay1At = double(s.firstDecayStep()) / double(perEpoch);
    info.decay2At = double(s.secondDecayStep()) / double(perEpoch);
    if (s.kind == "step") {
        info.decay1Factor = 0.1;
        info.decay2Factor = s.stepDecays.size() > 1 ? 0.01 : 0.1;
    } else if (s.kind != "official") {
        info.decay1Factor = info.decay2Factor = 1.0;
    }
    // A deferred re-sampling switches at an epoch start (the epoch's order is drawn then): the
    // boundary nearest the first decay that lies inside the run.
    int firstDecay = s.deferralEpoch;
    if (s.stepLevel)
        firstDecay = int(std::clamp<int64_t>(std::llround(double(s.decay1Step) / double(perEpoch)), 1, std::max(1, epochs - 1)));
    placed.rebalance = std::make_unique<RebalanceSchedule>(cfg.rebalance, counts, firstDecay);
    RebalanceSchedule& r = *placed.rebalance;
    // A deferred re-weighting follows the first decay to its step.
    const bool byStep = s.stepLevel && cfg.rebalance.deferred && cfg.rebalance.deferEpoch < 0 && !r.resamples();
    r.setSwitchStep(byStep ? s.decay1Step : int64_t(r.switchEpoch()) * perEpoch);
    info.classWeights = r.weights();
    info.rebalanceEpoch = r.resamples() ? r.switchEpoch() : int(r.switchStep() / perEpoch);
    info.rebalanceAt = r.resamples() ? double(r.switchEpoch()) : double(r.switchStep()) / double(perEpoch);
    return placed;
}

} // namespace imblab
