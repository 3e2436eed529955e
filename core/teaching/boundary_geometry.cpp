// Boundary geometry; see boundary_geometry.h.
#include "teaching/boundary_geometry.h"

#include "data/blobs.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace imblab {
namespace {

// A node of the traced boundary in half-grid units: (2i+1, 2j) is the middle of a horizontal
// grid edge, (2i, 2j+1) of a vertical one, (2i+1, 2j+1) the centre of a square.
using Node = std::pair<int, int>;

double segmentDistance(const Point2& p, const Point2& a, const Point2& b) {
    const double vx = b[0] - a[0], vy = b[1] - a[1];
    const double len2 = vx * vx + vy * vy;
    double t = len2 > 0 ? ((p[0] - a[0]) * vx + (p[1] - a[1]) * vy) / len2 : 0.0;
    t = std::clamp(t, 0.0, 1.0);
    return std::hypot(p[0] - (a[0] + t * vx), p[1] - (a[1] + t * vy));
}

} // namespace

DecisionGrid teachingGridSpec(const std::vector<float>& xy, int n) {
    double lo = std::numeric_limits<double>::max(), hi = -lo;
    for (float v : xy) lo = std::min(lo, double(v)), hi = std::max(hi, double(v));
    if (xy.empty()) lo = -4, hi = 4;
    return DecisionGrid{n, n, lo - 0.5, hi + 0.5, lo - 0.5, hi + 0.5, {}, {}, {}};
}

DecisionGrid bayesDecisionGrid(const DecisionGrid& spec, int classes, double separation) {
    DecisionGrid g{spec.nx, spec.ny, spec.x0, spec.x1, spec.y0, spec.y1, {}, {}, {}};
    std::vector<Point2> centres;
    for (int c = 0; c < classes; ++c) centres.push_back(blobCentre(c, classes, separation));
    g.classes.reserve(size_t(g.nx) * size_t(g.ny));
    for (int j = 0; j < g.ny; ++j)
        for (int i = 0; i < g.nx; ++i) {
            const double x = g.x0 + (g.x1 - g.x0) * i / std::max(1, g.nx - 1);
            const double y = g.y0 + (g.y1 - g.y0) * j / std::max(1, g.ny - 1);
            int best = 0;
            double bestD = std::numeric_limits<double>::max();
            for (int c = 0; c < classes; ++c) {
                const double d = std::hypot(x - centres[size_t(c)][0], y - centres[size_t(c)][1]);
                if (d < bestD) bestD = d, best = c;
            }
            g.classes.push_back(best);
        }
    return g;
}

std::vector<Polyline> boundaryPolylines(const DecisionGrid& g) {
    std::vector<Polyline> lines;
    if (g.nx < 2 || g.ny < 2 || g.classes.size() != size_t(g.nx) * size_t(g.ny)) return lines;
    auto at = [&](int i, int j) { return g.classes[size_t(j) * size_t(g.nx) + size_t(i)]; };
    std::map<Node, std::vector<Node>> links;
    auto link = [&](Node a, Node b) {
        links[a].push_back(b);
        links[b].push_back(a);
    };
    for (int j = 0; j + 1 < g.ny; ++j)
        for (int i = 0; i + 1 < g.nx; ++i) {
            std::vector<Node> marks;
            if (at(i, j) != at(i + 1, j)) marks.push_back({2 * i + 1, 2 * j});                  // bottom
            if (at(i + 1, j) != at(i + 1, j + 1)) marks.push_back({2 * i + 2, 2 * j + 1});      // right
            if (at(i, j + 1) != at(i + 1, j + 1)) marks.push_back({2 * i + 1, 2 * j + 2});      // top
            if (at(i, j) != at(i, j + 1)) marks.push_back({2 * i, 2 * j + 1});                  // left
            if (marks.size() == 2) {
                link(marks[0], marks[1]);
            } else if (marks.size() > 2) {
                for (const Node& m : marks) link(m, {2 * i + 1, 2 * j + 1});
            }
        }
    const double hx = (g.x1 - g.x0) / (g.nx - 1) / 2, hy = (g.y1 - g.y0) / (g.ny - 1) / 2;
    auto point = [&](Node n) { return Point2{g.x0 + hx * n.first, g.y0 + hy * n.second}; };
    std::set<std::pair<Node, Node>> used;
    auto walk = [&](Node start, Node next) {
        Polyline line{point(start)};
        Node prev = start, cur = next;
        used.insert({prev, cur});
        used.insert({cur, prev});
        for (;;) {
            line.push_back(point(cur));
            const auto& out = links[cur];
            if (out.size() != 2 || cur == start) break;  // an end, a junction, or the loop closed
            const Node n = out[0] == prev ? out[1] : out[0];
            if (used.count({cur, n})) break;
            used.insert({cur, n});
            used.insert({n, cur});
            prev = cur;
            cur = n;
        }
        lines.push_back(std::move(line));
    };
    // Open lines and the branches of junctions first, then the closed loops that remain.
    for (const auto& [node, out] : links)
        if (out.size() != 2)
            for (const Node& n : out)
                if (!used.count({node, n})) walk(node, n);
    for (const auto& [node, out] : links)
        for (const Node& n : out)
            if (!used.count({node, n})) walk(node, n);
    return lines;
}

std::vector<double> signedBoundaryDistances(const std::vector<Polyline>& boundary, const std::vector<float>& xy,
                                            const std::vector<bool>& correct) {
    std::vector<double> out(xy.size() / 2, std::numeric_limits<double>::quiet_NaN());
    if (boundary.empty()) return out;
    for (size_t p = 0; p < out.size(); ++p) {
        const Point2 q{xy[2 * p], xy[2 * p + 1]};
        double best = std::numeric_limits<double>::infinity();
        for (const Polyline& line : boundary)
            for (size_t k = 0; k + 1 < line.size(); ++k) best = std::min(best, segmentDistance(q, line[k], line[k + 1]));
        out[p] = p < correct.size() && !correct[p] ? -best : best;
    }
    return out;
}

} // namespace imblab
