// Durations as text; see duration_text.h.
#include "duration_text.h"

#include <cmath>

namespace imblab::ui {

QString durationText(double s) {
    if (!std::isfinite(s) || s < 0) return QStringLiteral("–");
    // A short run (a GPU trains the quick preset in under a second) keeps its tenths: "0 s" reads
    // as nothing happened.
    if (s < 9.95) return QStringLiteral("%1 s").arg(s, 0, 'f', 1);
    const int t = int(std::lround(s));
    return t >= 60 ? QStringLiteral("%1 min %2 s").arg(t / 60).arg(t % 60) : QStringLiteral("%1 s").arg(t);
}

} // namespace imblab::ui
