// Decoupled second stages (Kang et al., "Decoupling representation and classifier for long-tailed
// recognition", ICLR 2020) on a finished run's model. The backbone is frozen and its penultimate
// features are taken once (eval mode, no augmentation: the stage is a few seconds on a CPU); then
//   crt       the classifier is re-initialised and re-trained with class-balanced sampling;
//   lws       the classifier is kept and one scale per class s_j (from 1) multiplies its logits,
//             s_j·(w_j·f + b_j), learnt with class-balanced sampling;
//   tau-norm  no training: rows w_j/‖w_j‖^τ, the bias left out.
// The result is an ordinary model of the same network (LWS's scales and τ's norms are folded into
// the head), so every export works on it; its epochs continue the first run's numbering.
#pragma once

#include "api/observer.h"
#include "api/run_info.h"
#include "api/trained_model.h"

#include <memory>
#include <string>

namespace torch::nn {
class Module;
}

namespace imblab {

struct Dataset;

struct SecondStageConfig {
    std::string kind;           // crt | lws | tau-norm
    int epochs = 10;            // crt / lws
    double lr = 0.1;            // SGD, momentum 0.9, cosine decay to 0 over the stage's steps
    double momentum = 0.9;
    double weightDecay = 5e-4;
    int batchSize = 128;
    double tau = 1.0;           // tau-norm
    uint64_t seed = 0;          // head init (crt) and the class-balanced draws
};

// ConfigError naming the flag (--stage2, --epochs, --lr, --batch-size, --tau).
void validateSecondStage(const SecondStageConfig& cfg);

class SecondStage {
public:
    // Rebuilds the run's model, reloads its data (DataError naming `source` when the data's split
    // fingerprint differs from the run's, or the run's head is a cosine head) and takes the
    // features. Everything that can fail on bad input fails here, before any file is written.
    // `data`: the run's full dataset when the caller holds it (else it is loaded again).
    SecondStage(const TrainedModel& first, const std::string& source, SecondStageConfig cfg,
                std::shared_ptr<const Dataset> data = nullptr);
    ~SecondStage();

    const RunInfo& info() const;
    // Trains (crt, lws) or rescales (tau-norm), reporting an evaluation per epoch (one for
    // tau-norm), numbered after the first run's epochs.
    RunSummary run(TrainingObserver& observer, RunControl& control);
    // The whole network with the second stage's head.
    TrainedModel trainedModel() const;
    // Copies the second stage's head into `model` ("linear.weight", "linear.bias", any device).
    void writeHeadInto(torch::nn::Module& model) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace imblab
