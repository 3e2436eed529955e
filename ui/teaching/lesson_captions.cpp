// The lessons' titles and captions; see lesson_captions.h.
#include "teaching/lesson_captions.h"

#include <QObject>

namespace imblab::ui {

const std::vector<Lesson>& lessons() {
    // Captions in the order of lessonSetups(); each claim is the one `imblab-cli lessons`
    // measures over seeds 0–9 (README).
    static const std::vector<std::pair<QString, QString>> texts = {
        {QObject::tr("1. Why ERM ignores the minority class"),
         QObject::tr("Set: two overlapping blobs, class B 20× rarer. Watch: plain ERM (left) puts its boundary (solid) "
                     "deep inside B's blob, far from the ideal boundary (dotted) — B's error stays high. Re-weighting by "
                     "1/n (right) pulls it back toward the ideal. Shows: the average loss is dominated by the frequent class.")},
        {QObject::tr("2. LDAM gives the rare class a larger margin"),
         QObject::tr("Set: two nearly separable blobs, B 100× rarer (5 points). Watch: ERM, plain cross-entropy (left), "
                     "leaves its boundary close to B's few points; LDAM (right) asks B for a larger margin Δ_B ∝ n_B^(−1/4), so its boundary moves "
                     "away from them toward A and the ideal (dotted), and γ_B grows. Shows: the paper's Figure 1, live — "
                     "a modest shift, as in the paper, where LDAM alone gains a few points and LDAM-DRW most.")},
        {QObject::tr("3. Re-weighting from the start fits the rare points; deferred re-weighting generalises"),
         QObject::tr("Set: two heavily overlapping blobs, B 50× rarer (10 points). Watch: class-balanced re-weighting "
                     "from the first epoch (left) fits its boundary around B's ten training points; CE-DRW (right) trains "
                     "plainly for the first half — Replay shows its boundary deep in B — then switches the weights on "
                     "and moves a smooth boundary toward the ideal (dotted). Compare B's test error. Shows: why DRW "
                     "defers the re-balancing.")},
        {QObject::tr("4. Margin theory: the optimal margins"),
         QObject::tr("Set n₁ and n₂ with the sliders. Watch: the bound 1/(γ₁√n₁) + 1/(γ₂√n₂) with γ₁ + γ₂ fixed; its "
                     "minimum sits exactly at γ₁/γ₂ = (n₂/n₁)^(1/4). Shows: rare classes deserve larger margins — "
                     "LDAM's Δ_j ∝ n_j^(−1/4), drawn for the current dataset on the right.")},
    };
    static const std::vector<Lesson> list = [] {
        std::vector<Lesson> out;
        for (size_t i = 0; i < lessonSetups().size() && i < texts.size(); ++i)
            out.push_back({texts[i].first, texts[i].second, lessonSetups()[i]});
        return out;
    }();
    return list;
}

} // namespace imblab::ui
