// The learning-rate schedules: the official one (linear warm-up, ×0.01 and ×0.0001 decays),
// scaled from 200 epochs to any run length, with the DRW switch at the first decay; He et al.'s
// step schedule (×0.1 at given epochs: the LDAM paper's iNaturalist run, 30 and 60 of 90, DRW
// from the last decay); the cosine schedule (Kang et al.'s ImageNet-LT runs, to 0 over the run,
// set once per epoch); and a constant rate.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace imblab {

struct ScheduleEpochs {
    int warmup = 5;    // epochs of linear warm-up (≥ 1)
    int decay1 = 160;  // first 0-based epoch at lr × 0.01 (also the default DRW switch)
    int decay2 = 180;  // first 0-based epoch at lr × 0.0001
};

// 5, 160 and 180 scaled by epochs/200 and rounded to nearest (warm-up at least 1):
// 200 → {5, 160, 180}; 20 → {1, 16, 18}.
ScheduleEpochs scaledSchedule(int epochs);

// The official adjust_learning_rate() for a 0-based epoch e: (e+1)/warmup while e < warmup,
// then 1, 0.01 from decay1 and 0.0001 from decay2.
double lrFactor(int epoch, const ScheduleEpochs& s);

// Where a run's schedule falls, step by step. The epoch points above while both decays fall
// inside the run and apart; a shorter run (7 epochs or fewer) gets the same fractions of its
// steps instead — warm-up over 2.5 % of them (at least one), ×0.01 from 80 %, ×0.0001 from 90 %
// — so a demo of 2 epochs still decays twice. "constant" keeps the LR; "step" and "cosine" are
// placed by epoch.
struct RunSchedule {
    std::string kind = "official";
    std::vector<int> stepDecays;  // step: the 0-based epochs from which the LR is ×0.1 once more
    int runEpochs = 0;
    // The epoch a deferred re-balancing switches at unless told: the official first decay, the
    // step schedule's last one, 80 % of a cosine run (where the official decay falls), half a
    // constant one.
    int deferralEpoch = 0;
    bool stepLevel = false;
    int64_t stepsPerEpoch = 1;
    ScheduleEpochs epochs;                                 // epoch-level placement
    int64_t warmupSteps = 1, decay1Step = 0, decay2Step = 0;  // step-level: first step of each phase
    bool constant = false;
    // The first step at ×0.01 (either placement).
    int64_t firstDecayStep() const { return stepLevel ? decay1Step : int64_t(epochs.decay1) * stepsPerEpoch; }
    int64_t secondDecayStep() const { return stepLevel ? decay2Step : int64_t(epochs.decay2) * stepsPerEpoch; }
};
// `stepDecays` for "step" (empty: a third and two thirds of the run, He et al.'s 30 and 60 of 90).
RunSchedule placeSchedule(const std::string& kind, int epochs, int64_t stepsPerEpoch, std::vector<int> stepDecays = {});
// The LR factor of a 0-based step; equal to lrFactor(step / stepsPerEpoch) at epoch level.
double lrFactorAtStep(int64_t step, const RunSchedule& s);

} // namespace imblab
