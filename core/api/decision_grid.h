// A 2-D model's decision regions and its training points' margins at one moment (teaching mode).
#pragma once

#include <vector>

namespace imblab {

// The argmax class of each grid point, row-major from (x0, y0), `nx` × `ny` points over
// [x0, x1] × [y0, y1].
struct DecisionGrid {
    int nx = 0, ny = 0;
    double x0 = 0, x1 = 0, y0 = 0, y1 = 0;
    std::vector<int> classes;
    // Margins z_y − max_{j≠y} z_j of the training points (trainPoints() order), same moment.
    std::vector<double> pointMargins;
    // The same points' signed distances to the boundary in the input plane (negative on the
    // wrong side; teaching/boundary_geometry.h): comparable across models, unlike logits.
    std::vector<double> pointDistances;
};

} // namespace imblab
