// Model, loss (with only that loss's parameters), re-balancing with its deferred switch,
// optimisation settings, device and presets.
#pragma once

#include "api/experiment_config.h"

#include <QWidget>

class QCheckBox;
class QAbstractSpinBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QSpinBox;
class QLabel;
class QToolButton;

namespace imblab::ui {

class TrainingPanel : public QWidget {
    Q_OBJECT
public:
    explicit TrainingPanel(QWidget* parent = nullptr);

    // Writes the loss, re-balancing and training settings into cfg (dataset untouched).
    void applyTo(ExperimentConfig& cfg) const;
    void setFrom(const ExperimentConfig& cfg);
    void setLocked(bool locked);

    QComboBox* presetCombo() const { return preset_; }
    // Shows which preset the settings came from (the placeholder for one the list does not name).
    void showPreset(const QString& name);
    QComboBox* lossCombo() const { return loss_; }
    QComboBox* modelCombo() const { return model_; }
    QComboBox* deviceCombo() const { return device_; }
    // Numeric precision, layout and cuDNN determinism as one choice (data: "fp32", "fast",
    // "fastest", or "custom" for a loaded combination none of those names).
    QComboBox* speedCombo() const { return speed_; }
    QComboBox* rebalanceCombo() const { return rebalance_; }
    QSpinBox* epochsSpin() const { return epochs_; }
    // Methods since 2019: batch mixing ("none", "mixup", "cutmix") with its α, SAM ("off", "sam",
    // "imbsam") with its ρ, and the MaxNorm bound of the classifier rows.
    QComboBox* mixingCombo() const { return mixing_; }
    QDoubleSpinBox* mixingAlphaSpin() const { return mixAlpha_; }
    QComboBox* samCombo() const { return sam_; }
    QDoubleSpinBox* samRhoSpin() const { return samRho_; }
    QCheckBox* maxNormCheck() const { return maxNorm_; }
    QDoubleSpinBox* maxNormSpin() const { return maxNormRadius_; }
    // A decoupled second stage after the last epoch ("none", "crt", "lws", "tau-norm", "mislas", "wb") and its epochs.
    QComboBox* stage2Combo() const { return stage2_; }
    QSpinBox* stage2EpochsSpin() const { return stage2Epochs_; }
    QDoubleSpinBox* lrSpin() const { return lr_; }
    QString scheduleNote() const;  // the text under Epochs
    // Whether the row of a parameter ("s", "max_m", "gamma", "tau", "beta", "alpha", "rho") is shown.
    bool isParameterVisible(const QString& name) const;  // within its section, open or not
    // Opens / closes the "Advanced settings" section (closed at first); its text names the
    // methods since 2019 that are on.
    QToolButton* advancedToggle() const { return advancedToggle_; }
    // The settings texts train with (api/experiment_defaults.h: `model`, Adam and its lr, no weight
    // decay or augmentation), or back to the image defaults (small CNN, SGD): what the window
    // picks when the loaded data does not fit the chosen model.
    void adoptTextDefaults(const QString& model);
    void adoptImageDefaults();
    // What speed "auto" chose for the model, with the measurement (RunInfo::speedNote) in the
    // item's tooltip.
    void setSpeedNote(const QString& note);

Q_SIGNALS:
    void presetChosen(QString name);  // the window applies the whole preset (dataset too)
    void changed();
    // A typed value was outside a field's range and the box set it to the nearest limit.
    void clamped(QString message);

private:
    // The model, optimizer, lr, weight decay and augmentation of `t` in the widgets.
    void showModelDefaults(const TrainConfig& t);
    void updateVisibility();
    void updateAdvancedSummary();
    void reportClamping(QAbstractSpinBox* box);
    void showSpeedOf(const TrainConfig& train);

    QFormLayout* form_;
    QFormLayout* advanced_;
    QWidget* advancedBox_;
    QToolButton* advancedToggle_;
    QComboBox* preset_;
    QComboBox* model_;
    QComboBox* loss_;
    QDoubleSpinBox* s_;
    QDoubleSpinBox* maxM_;
    QDoubleSpinBox* gamma_;
    QDoubleSpinBox* tau_;
    QComboBox* rebalance_;
    QDoubleSpinBox* beta_;
    QCheckBox* deferred_;
    QSpinBox* deferEpoch_;
    QSpinBox* epochs_;
    QSpinBox* batch_;
    QDoubleSpinBox* lr_;
    QDoubleSpinBox* weightDecay_;
    QComboBox* optimizer_;
    QSpinBox* seed_;
    QComboBox* device_;
    QComboBox* speed_;
    QSpinBox* evalEvery_;
    QCheckBox* augment_;
    QComboBox* mixing_;
    QDoubleSpinBox* mixAlpha_;
    QComboBox* sam_;
    QDoubleSpinBox* samRho_;
    QCheckBox* maxNorm_;
    QDoubleSpinBox* maxNormRadius_;
    QComboBox* stage2_;
    QSpinBox* stage2Epochs_;
    ExperimentConfig base_;  // fields without a widget keep their values
    QLabel* scheduleNote_ = nullptr;  // where the LR decays and a deferred switch fall
    void updateScheduleNote();
};

} // namespace imblab::ui
