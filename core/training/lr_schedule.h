// The official learning-rate schedule (linear warm-up, ×0.01 and ×0.0001 decays), scaled from
// 200 epochs to any run length, with the DRW switch at the first decay.
#pragma once

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

} // namespace imblab
