// The test examples (images or texts) of one (true, predicted) cell of the confusion matrix.
#pragma once

#include "data/dataset.h"

#include <QDialog>

#include <memory>
#include <vector>

namespace imblab::ui {

class ConfusionExamplesDialog : public QDialog {
    Q_OBJECT
public:
    // predictions: the model's class for every test example (MetricsReport::testPredictions).
    ConfusionExamplesDialog(std::shared_ptr<const Dataset> data, const std::vector<int32_t>& predictions,
                            int trueClass, int predictedClass, QWidget* parent = nullptr);
    int shownCount() const { return shown_; }
    int matchCount() const { return matches_; }

private:
    int shown_ = 0, matches_ = 0;
};

} // namespace imblab::ui
