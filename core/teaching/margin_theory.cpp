// Margin trade-off arithmetic; see margin_theory.h.
#include "teaching/margin_theory.h"

#include <cmath>

namespace imblab {

double boundAt(const MarginTradeoff& t, double shift) {
    const double g1 = t.total / 2 - shift, g2 = t.total / 2 + shift;
    if (g1 <= 0 || g2 <= 0) return INFINITY;
    if (t.fastRate) return 1.0 / (g1 * g1 * t.n1) + 1.0 / (g2 * g2 * t.n2);
    return 1.0 / (g1 * std::sqrt(t.n1)) + 1.0 / (g2 * std::sqrt(t.n2));
}

BoundCurve boundCurve(const MarginTradeoff& t, int points) {
    BoundCurve c;
    const double edge = t.total / 2;
    for (int i = 1; i < points; ++i) {
        const double s = -edge + 2 * edge * i / points;
        c.shift.push_back(s);
        c.bound.push_back(boundAt(t, s));
    }
    return c;
}

double numericOptimalShift(const MarginTradeoff& t) {
    const double phi = (std::sqrt(5.0) - 1) / 2;
    double a = -t.total / 2 + 1e-12, b = t.total / 2 - 1e-12;
    double c = b - phi * (b - a), d = a + phi * (b - a);
    for (int i = 0; i < 200; ++i) {
        if (boundAt(t, c) < boundAt(t, d)) b = d;
        else a = c;
        c = b - phi * (b - a);
        d = a + phi * (b - a);
    }
    return (a + b) / 2;
}

double closedFormRatio(const MarginTradeoff& t) { return std::pow(t.n2 / t.n1, t.fastRate ? 1.0 / 3 : 0.25); }

double shiftForRatio(const MarginTradeoff& t, double ratio) {
    // γ₁ = r·γ₂, γ₁ + γ₂ = G → γ₂ = G/(1 + r); δ = γ₂ − G/2.
    return t.total / (1 + ratio) - t.total / 2;
}

} // namespace imblab
