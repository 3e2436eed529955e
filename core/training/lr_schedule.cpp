// Schedule arithmetic; see lr_schedule.h.
#include "training/lr_schedule.h"

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

} // namespace imblab
