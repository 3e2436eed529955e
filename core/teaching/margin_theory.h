// The binary margin trade-off of the LDAM paper (Section 3.1, Figure 1): with a fixed total
// margin γ₁ + γ₂ = G, the generalization bound 1/(γ₁√n₁) + 1/(γ₂√n₂) is smallest at
// γ₁/γ₂ = (n₂/n₁)^(1/4). The fast-rate variant 1/(γ₁²n₁) + 1/(γ₂²n₂) gives (n₂/n₁)^(1/3).
#pragma once

#include <vector>

namespace imblab {

struct MarginTradeoff {
    double n1 = 1000, n2 = 10;  // examples of the frequent and the minority class
    double total = 1.0;         // γ₁ + γ₂
    bool fastRate = false;
};

// γ₁ = G/2 − δ, γ₂ = G/2 + δ: a shift δ > 0 moves the boundary toward the frequent class,
// giving the minority class the larger margin.
double boundAt(const MarginTradeoff& t, double shift);

struct BoundCurve {
    std::vector<double> shift, bound;
};
BoundCurve boundCurve(const MarginTradeoff& t, int points);

// The minimising shift by golden-section search on (−G/2, G/2) (the bound is convex there).
double numericOptimalShift(const MarginTradeoff& t);
// γ₁/γ₂ at the optimum in closed form: (n₂/n₁)^(1/4), or ^(1/3) for the fast rate.
double closedFormRatio(const MarginTradeoff& t);
// The shift that realises a ratio r = γ₁/γ₂ with γ₁ + γ₂ = G.
double shiftForRatio(const MarginTradeoff& t, double ratio);

} // namespace imblab
