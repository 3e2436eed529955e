// The device pipeline's epoch plan; see epoch_plan.h.
#include "training/epoch_plan.h"

#include "training/mixing.h"

#include <algorithm>

namespace imblab {

EpochPlan drawEpochPlan(const std::vector<int64_t>& order, Rng& rng, const StepOptions& o, bool mixing, bool cutting,
                        int64_t height, int64_t width) {
    EpochPlan p;
    const int64_t n = int64_t(order.size()), steps = o.stepsPerEpoch;
    p.rows = mixing ? 5 : 4;
    p.columns.assign(size_t(p.rows * n), 0);
    p.shares.assign(size_t(2 * steps), 0.0f);
    p.boxes.assign(size_t(5 * steps), 0);
    std::copy(order.begin(), order.end(), p.columns.begin());
    const uint64_t span = uint64_t(2 * o.cropPad + 1);
    for (int64_t s = 0; s < steps; ++s) {
        const int64_t from = s * o.batch, to = s + 1 == steps ? n : from + o.batch;
        if (o.image && o.augment)
            for (int64_t i = from; i < to; ++i) {
                p.columns[size_t(n + i)] = int64_t(rng.below(span));
                p.columns[size_t(2 * n + i)] = int64_t(rng.below(span));
                if (o.flip) p.columns[size_t(3 * n + i)] = rng.below(2) == 1 ? 1 : 0;
            }
        if (!mixing) continue;
        const BatchMix mix = cutting ? drawCutMix(rng, to - from, height, width, o.extras.cutmixAlpha)
                                     : drawMixup(rng, to - from, o.extras.mixupAlpha);
        std::copy(mix.partner.begin(), mix.partner.end(), p.columns.begin() + 4 * n + from);
        p.shares[size_t(2 * s)] = float(mix.lambda);
        p.shares[size_t(2 * s + 1)] = float(1 - mix.lambda);
        const int64_t box[5] = {mix.lambda < 0.5 ? 1 : 0, mix.top, mix.left, mix.height, mix.width};
        std::copy(box, box + 5, p.boxes.begin() + 5 * s);
    }
    return p;
}

} // namespace imblab
