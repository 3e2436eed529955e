// ONNX export of a trained model (opset 13), for runtimes that do not read PyTorch: OpenCV's
// DNN module, onnxruntime, TensorRT. The graph takes the raw image as float in [0, 1], NCHW,
// with a dynamic batch dimension (or the raw feature vector for feature data); the dataset's
// normalisation and any zero-padding the model needs are inside, so a consumer needs no
// preprocessing knowledge. It outputs the logits the app predicts with (s·z for the LDAM
// family). The normalisation is a 1×1 convolution; BatchNorm is folded into the convolution before it; the normalized head is ReduceL2
// and Div (F.normalize) and one matrix with the weight normalisation and s folded in; ResNet-32's option-A shortcut is a fixed 1×1 stride-2 convolution (a channel-shifted
// identity). Every operator is one Debian 12's OpenCV 4.6 loads.
#pragma once

#include "api/trained_model.h"

#include <string>

namespace imblab {

// The serialized model; DataError naming `source` when the model has no ONNX mapping or its
// weights do not fit its config.
std::string onnxModelBytes(const TrainedModel& model, const std::string& source = "model");

// Writes it atomically (nothing is left at outPath on failure).
void exportOnnx(const TrainedModel& model, const std::string& outPath);

} // namespace imblab
