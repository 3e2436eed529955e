// Decision grids; see decision_grid.h.
#include "teaching/decision_grid.h"

#include "models/classifier.h"
#include "teaching/boundary_geometry.h"
#include "training/metrics.h"

#include <torch/torch.h>

#include <algorithm>

namespace imblab {

DecisionGrid predictDecisionGrid(Classifier& model, const torch::Device& device, const DecisionGrid& spec,
                                 const torch::Tensor& trainX, const std::vector<int64_t>& trainLabels) {
    DecisionGrid g{spec.nx, spec.ny, spec.x0, spec.x1, spec.y0, spec.y1, {}, {}, {}};
    const int nx = g.nx, ny = g.ny;
    std::vector<float> pts;
    pts.reserve(size_t(nx) * size_t(ny) * 2);
    for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
            pts.push_back(float(g.x0 + (g.x1 - g.x0) * i / std::max(1, nx - 1)));
            pts.push_back(float(g.y0 + (g.y1 - g.y0) * j / std::max(1, ny - 1)));
        }
    torch::NoGradGuard noGrad;
    const bool wasTraining = model.is_training();
    model.eval();
    const auto x = torch::from_blob(pts.data(), {int64_t(nx) * ny, 2}, torch::kFloat32).to(device);
    const auto pred = model.forward(x).argmax(1).to(torch::kCPU, torch::kInt32).contiguous();
    g.classes.assign(pred.data_ptr<int>(), pred.data_ptr<int>() + pred.numel());
    if (trainX.defined()) {
        const auto z = model.forward(trainX).to(torch::kCPU, torch::kFloat32).contiguous();
        LogitTable t;
        t.rows = z.size(0);
        t.classes = int(z.size(1));
        t.values.assign(z.data_ptr<float>(), z.data_ptr<float>() + z.numel());
        g.pointMargins = exampleMargins(t, trainLabels);
        const auto xyTensor = trainX.to(torch::kCPU, torch::kFloat32).contiguous();
        const std::vector<float> xy(xyTensor.data_ptr<float>(), xyTensor.data_ptr<float>() + xyTensor.numel());
        std::vector<bool> correct;
        for (double m : g.pointMargins) correct.push_back(m > 0);
        g.pointDistances = signedBoundaryDistances(boundaryPolylines(g), xy, correct);
    }
    if (wasTraining) model.train();
    return g;
}

} // namespace imblab
