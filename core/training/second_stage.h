// Decoupled second stages (Kang et al., "Decoupling representation and classifier for long-tailed
// recognition", ICLR 2020) on a finished run's model. The backbone is frozen and its penultimate
// features are taken once (eval mode, no augmentation: the stage is a few seconds on a CPU); then
//   crt       the classifier is re-initialised and re-trained with class-balanced sampling;
//   lws       the classifier is kept and one scale per class s_j (from 1) multiplies its logits,
//             s_j·(w_j·f + b_j), learnt with class-balanced sampling;
//   tau-norm  no training: rows w_j/‖w_j‖^τ, the bias left out;
// and the second stages of two later recipes, after their official code:
//   mislas    (Zhong et al., CVPR 2021) BatchNorm statistics re-estimated on class-balanced batches,
//             then the classifier (kept, at a fraction of the LR) and one scale per class (LWS) trained with
//             label-aware smoothing (ε from ε_head to ε_tail by class size) and class-balanced
//             sampling;
//   wb        (weight balancing, Alshammari et al., CVPR 2022) the classifier (kept) trained with
//             the class-balanced softmax BCE (β = 0.9999), weight decay 5e-3, instance sampling, and
//             MaxNorm after every epoch: rows longer than r = min‖w‖ + 0.1·(max‖w‖ − min‖w‖) (the
//             first stage's norms) are scaled back to r.
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
    std::string kind;           // crt | lws | tau-norm | mislas | wb
    int epochs = 10;            // all but tau-norm
    double lr = 0;              // SGD, momentum 0.9, cosine decay to 0 over the stage's steps; 0: the
                                // stage's paper value (0.1; wb 0.01)
    double momentum = 0.9;
    double weightDecay = -1;    // < 0: the stage's paper value (5e-4; mislas 2e-4; wb 5e-3)
    int batchSize = 128;
    double tau = 1.0;           // tau-norm
    double smoothHead = kPaperValue;  // mislas: ε of the largest and the smallest class; kPaperValue:
    double smoothTail = kPaperValue;  // their official value for the data (mislasPaperValues)
    uint64_t seed = 0;          // head init (crt) and the draws

    static constexpr double kPaperValue = -1;
};

// MiSLAS's stage-2 values from its official configurations, which differ by dataset and ρ:
// CIFAR-10-LT ρ = 10 / 50 / 100: ε_head 0.1 / 0.2 / 0.3, ε_tail 0, the head's lr_factor 0.2 / 0.2 /
// 0.5; CIFAR-100-LT: ε_head 0.2 / 0.3 / 0.4, ε_tail 0 / 0 / 0.1, lr_factor 0.1 / 0.1 / 0.2. Our
// data takes the row of the nearer class count (10 or 100, on a log scale: CIFAR-100's from 32
// classes) and the column of the nearest ρ on a log scale (n_max / n_min of the training counts).
struct MislasValues {
    double smoothHead, smoothTail, headLrFactor;
    std::string after;  // "CIFAR-10-LT ρ = 100"
};
MislasValues mislasPaperValues(int classes, double rho);

// ConfigError naming the flag (--stage2, --epochs, --lr, --batch-size, --tau, --smooth-head,
// --smooth-tail, --weight-decay).
void validateSecondStage(const SecondStageConfig& cfg);
// The LR and weight decay the stage runs with (the paper's where `cfg` leaves them to it).
double secondStageLr(const SecondStageConfig& cfg);
double secondStageWeightDecay(const SecondStageConfig& cfg);
// The second stage a run's settings ask for (train.stage2 with its epochs, LR and seed).
SecondStageConfig secondStageConfigOf(const TrainConfig& train);

struct SecondStageSource;  // training/second_stage_source.h: a live model and its split

class SecondStage {
public:
    // Rebuilds the run's model, reloads its data (DataError naming `source` when the data's split
    // fingerprint differs from the run's, or the run's head is a cosine head) and takes the
    // features. Everything that can fail on bad input fails here, before any file is written.
    // `data`: the run's full dataset when the caller holds it (else it is loaded again).
    SecondStage(const TrainedModel& first, const std::string& source, SecondStageConfig cfg,
                std::shared_ptr<const Dataset> data = nullptr);
    // On a model the caller holds (a run that just finished): nothing is reloaded; the head is
    // written back only by writeHeadInto (mislas re-estimates the model's BatchNorm statistics in
    // place and puts them back if the stage is cancelled or fails).
    SecondStage(const SecondStageSource& source, SecondStageConfig cfg);
    ~SecondStage();

    const RunInfo& info() const;
    // The stage's settings with the paper's values filled in where they were left to it.
    const SecondStageConfig& config() const;
    // mislas: the head's LR as a fraction of the scales' (mislasPaperValues); 1 otherwise.
    double headLrFactor() const;
    // Trains (crt, lws) or rescales (tau-norm), reporting an evaluation per epoch (one for
    // tau-norm), numbered after the first run's epochs. `elapsedBefore`: the seconds the run took
    // before the stage (its first stage's, when both are one run), so that the reports' elapsed
    // time, and a queue's ETA built on it, continue instead of starting again at 0.
    RunSummary run(TrainingObserver& observer, RunControl& control, double elapsedBefore = 0);
    // The whole network with the second stage's head.
    TrainedModel trainedModel() const;
    // Copies the second stage's head into `model` ("linear.weight", "linear.bias", any device).
    void writeHeadInto(torch::nn::Module& model) const;
    // mislas: the model's BatchNorm statistics as they were before the stage (a stage that did not
    // finish leaves the model as the first stage left it).
    void restoreStatistics();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace imblab
