// What the teaching mode reads of a prepared run on 2-D feature data: the model's decision grid
// and the training points it is drawn over.
#include "training/trainer_impl.h"

#include "errors.h"
#include "teaching/decision_grid.h"

namespace imblab {

DecisionGrid Trainer::predictGrid(double x0, double x1, double y0, double y1, int nx, int ny) const {
    const Impl& d = *impl_;
    if (d.image || !d.model) throw TrainingError("decision grids need a prepared run on 2-D feature data");
    return predictDecisionGrid(*d.model, d.device, DecisionGrid{nx, ny, x0, x1, y0, y1, {}, {}, {}}, d.trainX, d.trainLabels);
}

std::vector<float> Trainer::trainPoints() const {
    if (impl_->image || !impl_->trainX.defined()) return {};
    const auto c = impl_->trainX.to(torch::kCPU).contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

std::vector<int64_t> Trainer::trainLabels() const { return impl_->trainLabels; }

} // namespace imblab
