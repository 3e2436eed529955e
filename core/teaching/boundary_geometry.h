// Geometry of decision boundaries in the 2-D input plane, for the teaching views: the boundary
// of a decision grid as polylines, each point's signed distance to it (a margin on the same
// scale for any model, unlike logit margins: a linear head's and a cosine head's logits differ),
// and the Bayes-optimal boundary of the blobs. Plain C++; no torch, no Qt.
#pragma once

#include "api/decision_grid.h"

#include <array>
#include <cstdint>
#include <vector>

namespace imblab {

using Point2 = std::array<double, 2>;
using Polyline = std::vector<Point2>;

// The grid the teaching views and the lesson measurements share: `n` × `n` points over the
// points' (x, y pairs) square bounding box widened by 0.5 on every side.
DecisionGrid teachingGridSpec(const std::vector<float>& xy, int n = 120);

// The grid `spec` (nx, ny and bounds) filled with the Bayes-optimal classes for the blobs under a
// balanced prior (the balanced test set). All blobs share one isotropic covariance, so the
// posterior is largest for the nearest centre and the boundaries are perpendicular bisectors.
DecisionGrid bayesDecisionGrid(const DecisionGrid& spec, int classes, double separation);

// The boundaries between differently classified grid points, traced through the midpoints of
// grid edges whose ends differ (marching squares; a square where three or more edges change
// joins them at its centre), chained into polylines.
std::vector<Polyline> boundaryPolylines(const DecisionGrid& grid);

// Distance from each point (x, y pairs) to the nearest boundary segment, negative where
// `correct[i]` is false (the point lies on another class's side). NaN where there is no
// boundary (the model predicts one class everywhere in the grid): no margin to measure.
std::vector<double> signedBoundaryDistances(const std::vector<Polyline>& boundary, const std::vector<float>& xy,
                                            const std::vector<bool>& correct);

} // namespace imblab
