// The model names and which input each takes, as plain data (no torch): what configs, the CLI and
// the app check a model against its dataset with.
#pragma once

#include <string>

namespace imblab {

// Text models read token ids (models/text_models.h): the bag of embeddings and the BiLSTM.
inline bool isTextModel(const std::string& model) { return model == "textbag" || model == "bilstm"; }

// What a run's throughput counts: images (and feature rows, as always shown), or texts.
inline const char* throughputUnit(const std::string& model) { return isTextModel(model) ? "texts/s" : "img/s"; }

} // namespace imblab
