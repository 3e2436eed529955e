// Defaults that follow from the data: what a run on texts starts from when the user has not
// chosen (the CLI's --dataset text|spamassassin|debian-packages and the app's text datasets).
#pragma once

#include "api/experiment_config.h"

#include <string>

namespace imblab {

// A text model (`model`: textbag or bilstm) trained with Adam at lr 1e-3 and no weight decay, as
// the paper's Table 1 trains its LSTM; no image augmentation.
inline void applyTextDefaults(TrainConfig& t, const std::string& model) {
    t.model = model;
    t.optimizer = "adam";
    t.lr = 1e-3;
    t.weightDecay = 0;
    t.augment = false;
    t.flip = false;
}

} // namespace imblab
