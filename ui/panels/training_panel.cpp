// Training panel; see training_panel.h.
#include "panels/training_panel.h"

#include "api/experiment_defaults.h"

#include "panels/clamping_spin_box.h"

#include "io/config_json.h"
#include "api/engine.h"
#include "api/loss_kinds.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QToolButton>
#include <QVBoxLayout>

namespace imblab::ui {

namespace {

QDoubleSpinBox* doubleSpin(double lo, double hi, double step, int decimals, const QString& tip) {
    auto* s = new ClampingDoubleSpinBox;
    s->setRange(lo, hi);
    s->setSingleStep(step);
    s->setDecimals(decimals);
    s->setToolTip(tip);
    return s;
}

void selectData(QComboBox* combo, const std::string& value) {
    const int i = combo->findData(QString::fromStdString(value));
    if (i >= 0) combo->setCurrentIndex(i);
}

} // namespace

TrainingPanel::TrainingPanel(QWidget* parent) : QWidget(parent) {
    // The settings most runs change on top; the rest in a collapsible "Advanced" section, so the
    // panel fits the 1280×800 window without scrolling.
    auto* outer = new QVBoxLayout(this);
    form_ = new QFormLayout;
    form_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    outer->addLayout(form_);
    advancedToggle_ = new QToolButton;
    advancedToggle_->setCheckable(true);
    advancedToggle_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    advancedToggle_->setArrowType(Qt::RightArrow);
    advancedToggle_->setAutoRaise(true);
    advancedToggle_->setToolTip(tr("Weight decay, optimizer, speed, evaluation, augmentation and the methods since "
                                   "2019 (mixup, SAM, MaxNorm, second stages)"));
    outer->addWidget(advancedToggle_);
    advancedBox_ = new QWidget;
    advanced_ = new QFormLayout(advancedBox_);
    advanced_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    advanced_->setContentsMargins(0, 0, 0, 0);
    advancedBox_->setVisible(false);
    outer->addWidget(advancedBox_);
    outer->addStretch(1);

    preset_ = new QComboBox;
    preset_->addItem(tr("— choose a preset —"), QString());
    preset_->addItem(tr("Quick CPU demo (Fashion-MNIST-LT, small CNN)"), QStringLiteral("fmnist-lt-quick"));
    preset_->addItem(tr("Fashion-MNIST-LT, ResNet-32, 20 epochs"), QStringLiteral("fmnist-lt-resnet32"));
    preset_->addItem(tr("Paper recipe: CIFAR-10-LT, LDAM-DRW, 200 epochs"), QStringLiteral("paper-cifar10-lt"));
    preset_->addItem(tr("2-D blobs (teaching)"), QStringLiteral("blobs-teaching"));
    preset_->addItem(tr("Texts: SpamAssassin, Table 1 protocol, bag of words (seconds)"), QStringLiteral("spam-quick"));
    preset_->addItem(tr("Texts: SpamAssassin, Table 1 protocol, BiLSTM"), QStringLiteral("spam-table1"));
    preset_->addItem(tr("Texts: IMDB, the paper's Table 1 (choose your aclImdb folder)"), QStringLiteral("imdb-table1"));
    preset_->addItem(tr("Texts: Debian's package catalogue, 58 sections"), QStringLiteral("debian-packages"));
    preset_->setToolTip(tr("Load a complete setting: dataset, imbalance, model, loss and schedule."));
    form_->addRow(tr("Preset"), preset_);

    model_ = new QComboBox;
    model_->addItem(tr("small CNN"), QStringLiteral("cnn"));
    model_->addItem(tr("ResNet-32"), QStringLiteral("resnet32"));
    model_->addItem(tr("ResNet-10"), QStringLiteral("resnet10"));
    model_->addItem(tr("ResNet-18"), QStringLiteral("resnet18"));
    model_->addItem(tr("ResNet-50"), QStringLiteral("resnet50"));
    model_->addItem(tr("MLP"), QStringLiteral("mlp"));
    model_->addItem(tr("bag of words (texts)"), QStringLiteral("textbag"));
    model_->addItem(tr("BiLSTM (texts, the paper's Table 1)"), QStringLiteral("bilstm"));
    model_->setToolTip(tr("The network: a small CNN trains fast on a CPU; ResNet-32 is the paper's; ResNet-10/18/50 are torchvision's, for images of 64–224 px; the MLP is for feature vectors (the 2-D blobs, CSV tables); for texts the bag of words (the mean of the words' embeddings: seconds) and the two-layer bidirectional LSTM of the paper's Table 1."));
    form_->addRow(tr("Model"), model_);

    loss_ = new QComboBox;
    for (const LossKind& kind : lossKinds())
        loss_->addItem(QString::fromStdString(kind.label), QString::fromStdString(kind.id));
    loss_->setToolTip(tr("LDAM gives rare classes larger margins Δ_j ∝ n_j^(−1/4); LA, Balanced Softmax and VS shift "
                         "the logits by the class priors."));
    form_->addRow(tr("Loss"), loss_);
    s_ = doubleSpin(0.1, 100, 1, 1, tr("LDAM scale s applied to the cosine logits (official code 30, paper text 10)."));
    form_->addRow(tr("s"), s_);
    maxM_ = doubleSpin(0.01, 5, 0.05, 2, tr("The largest LDAM margin, given to the rarest class (official 0.5)."));
    form_->addRow(tr("max margin"), maxM_);
    gamma_ = doubleSpin(0, 10, 0.1, 2, tr("Focal γ (down-weights easy examples; official 1) or VS γ (logit scaling exponent; 0.2)."));
    form_->addRow(tr("γ"), gamma_);
    tau_ = doubleSpin(0, 10, 0.1, 2, tr("Strength τ of the prior adjustment τ·log π_j (LA 1, VS 1.2)."));
    form_->addRow(tr("τ"), tau_);

    rebalance_ = new QComboBox;
    rebalance_->addItem(tr("none (ERM)"), QStringLiteral("none"));
    rebalance_->addItem(tr("re-weight 1/n (RW)"), QStringLiteral("rw"));
    rebalance_->addItem(tr("class-balanced re-weight (CB-RW)"), QStringLiteral("cb-rw"));
    rebalance_->addItem(tr("re-sample 1/n (RS)"), QStringLiteral("rs"));
    rebalance_->addItem(tr("class-balanced re-sample (CB-RS)"), QStringLiteral("cb-rs"));
    rebalance_->setToolTip(tr("Re-weight the loss or re-sample the data so rare classes count more."));
    form_->addRow(tr("Re-balancing"), rebalance_);
    beta_ = doubleSpin(0, 0.99999, 0.0001, 5, tr("β of the class-balanced weights (1 − β)/(1 − β^n) (official 0.9999)."));
    form_->addRow(tr("β"), beta_);
    auto* deferRow = new QHBoxLayout;
    deferred_ = new QCheckBox(tr("deferred from"));
    deferred_->setToolTip(tr("Train plainly first and switch re-balancing on late (at the first LR decay by default): "
                             "features are learnt on all data, then the classifier is re-balanced."));
    deferEpoch_ = new ClampingSpinBox;
    deferEpoch_->setRange(-1, 100000);
    deferEpoch_->setSpecialValueText(tr("first LR decay"));
    deferEpoch_->setToolTip(tr("0-based epoch from which re-balancing is in force."));
    deferRow->addWidget(deferred_);
    deferRow->addWidget(deferEpoch_);
    form_->addRow(deferRow);

    epochs_ = new ClampingSpinBox;
    epochs_->setRange(1, 100000);
    epochs_->setToolTip(tr("Number of passes over the training set; the official LR schedule scales with it."));
    form_->addRow(tr("Epochs"), epochs_);
    scheduleNote_ = new QLabel;
    scheduleNote_->setWordWrap(true);
    scheduleNote_->setStyleSheet(QStringLiteral("color: palette(mid); font-size: small;"));
    form_->addRow(QString(), scheduleNote_);
    batch_ = new ClampingSpinBox;
    batch_->setRange(1, 65536);
    batch_->setToolTip(tr("Examples per optimisation step."));
    form_->addRow(tr("Batch size"), batch_);
    lr_ = doubleSpin(1e-5, 10, 0.01, 5, tr("Base learning rate (warm-up, then ×0.01 and ×0.0001 decays)."));
    form_->addRow(tr("Learning rate"), lr_);
    weightDecay_ = doubleSpin(0, 0.1, 0.0001, 5, tr("L2 weight decay (official 2e-4)."));
    advanced_->addRow(tr("Weight decay"), weightDecay_);
    optimizer_ = new QComboBox;
    optimizer_->addItem(tr("SGD + momentum 0.9"), QStringLiteral("sgd"));
    optimizer_->addItem(tr("Adam"), QStringLiteral("adam"));
    optimizer_->setToolTip(tr("SGD is the paper's; Adam suits the small 2-D MLP."));
    advanced_->addRow(tr("Optimizer"), optimizer_);
    seed_ = new ClampingSpinBox;
    seed_->setRange(0, 1000000);
    seed_->setToolTip(tr("Seed of the model init, sampling and augmentation: same seed, same run."));
    form_->addRow(tr("Seed"), seed_);
    device_ = new QComboBox;
    device_->addItem(tr("auto"), QStringLiteral("auto"));
    device_->addItem(tr("CPU"), QStringLiteral("cpu"));
    device_->addItem(tr("CUDA GPU"), QStringLiteral("cuda"));
    device_->setToolTip(tr("Where to train: auto takes a CUDA GPU when there is one."));
    if (!cudaAvailable()) {
        auto* model = qobject_cast<QStandardItemModel*>(device_->model());
        model->item(2)->setEnabled(false);
        model->item(2)->setToolTip(tr("No CUDA GPU is available (this LibTorch has no CUDA, or no GPU is visible)."));
        device_->setItemText(2, tr("CUDA GPU (not available here)"));
    }
    form_->addRow(tr("Device"), device_);
    speed_ = new QComboBox;
    speed_->addItem(tr("auto: measured for the model"), QStringLiteral("auto"));
    speed_->addItem(tr("fp32, reproducible"), QStringLiteral("fp32"));
    speed_->addItem(tr("fast: bf16 + channels-last"), QStringLiteral("fast"));
    speed_->addItem(tr("fastest: fast + cuDNN autotuning"), QStringLiteral("fastest"));
    speed_->setToolTip(tr("fp32: full precision; same seed, same results. Fast: bfloat16 arithmetic in NHWC layout, "
                          "still reproducible: ResNet-32 on an H100 GPU 33 000 vs 16 700 img/s, the small CNN on a "
                          "CPU with AVX-512 BF16 about 8 000 vs 2 200 img/s, balanced errors equal within seed "
                          "noise. On a CPU the gain needs bfloat16 instructions (AVX-512 BF16 or AMX). Fastest (GPU): "
                          "cuDNN also times its kernels and keeps the quickest (+20 %), so results vary slightly "
                          "from run to run. Auto: the first run of a model on this machine trains a few steps in "
                          "fp32 and in bf16 + channels-last and takes the faster (kept for later runs, which then "
                          "choose the same; the log and this box say what was measured)."));
    advanced_->addRow(tr("Speed"), speed_);
    evalEvery_ = new ClampingSpinBox;
    evalEvery_->setRange(1, 1000);
    evalEvery_->setSuffix(tr(" epoch(s)"));
    evalEvery_->setToolTip(tr("How often test errors, margin histograms and the confusion matrix are measured."));
    advanced_->addRow(tr("Evaluate every"), evalEvery_);
    augment_ = new QCheckBox(tr("random crop + flip"));
    augment_->setToolTip(tr("Augment training images: random crop with 4-pixel zero padding and horizontal flip."));
    advanced_->addRow(tr("Augment"), augment_);

    mixing_ = new QComboBox;
    mixing_->addItem(tr("none"), QStringLiteral("none"));
    mixing_->addItem(tr("mixup"), QStringLiteral("mixup"));
    mixing_->addItem(tr("CutMix"), QStringLiteral("cutmix"));
    mixing_->setToolTip(tr("Mixup blends each image with a partner from the batch, CutMix pastes a box of it; the loss "
                           "is λ·L(own label) + (1 − λ)·L(partner's), so it works with every loss and with DRW."));
    advanced_->addRow(tr("Batch mixing"), mixing_);
    mixAlpha_ = doubleSpin(0.01, 100, 0.1, 2, tr("α of λ ~ Beta(α, α): 1 draws λ uniformly (bag of tricks, CutMix); 0.2 "
                                                 "keeps most images nearly whole (MiSLAS)."));
    advanced_->addRow(tr("α"), mixAlpha_);
    sam_ = new QComboBox;
    sam_->addItem(tr("off"), QStringLiteral("off"));
    sam_->addItem(tr("SAM"), QStringLiteral("sam"));
    sam_->addItem(tr("ImbSAM (tail classes)"), QStringLiteral("imbsam"));
    sam_->setToolTip(tr("Sharpness-aware minimisation: each step's gradient is taken at the worst weights within ρ "
                        "(two passes per step). ImbSAM applies it to the minority classes' loss only."));
    advanced_->addRow(tr("Sharpness"), sam_);
    samRho_ = doubleSpin(0.001, 10, 0.05, 3, tr("SAM radius ρ: Rangwani et al. use 0.5 with CE-DRW and 0.8 with "
                                                "LDAM-DRW on CIFAR-10-LT; ImbSAM 0.05."));
    advanced_->addRow(tr("ρ"), samRho_);
    auto* maxNormRow = new QHBoxLayout;
    maxNorm_ = new QCheckBox(tr("MaxNorm, rows ≤"));
    maxNorm_->setToolTip(tr("Weight balancing: after every step each class's classifier row is scaled back into "
                            "‖w_j‖ ≤ R, so frequent classes cannot grow the longest rows. Linear heads only."));
    maxNormRadius_ = doubleSpin(0.01, 1000, 0.1, 2, tr("The bound R of every class's row norm."));
    maxNormRow->addWidget(maxNorm_);
    maxNormRow->addWidget(maxNormRadius_);
    advanced_->addRow(tr("Classifier"), maxNormRow);
    stage2_ = new QComboBox;
    stage2_->addItem(tr("none"), QStringLiteral("none"));
    stage2_->addItem(tr("cRT: re-train the classifier"), QStringLiteral("crt"));
    stage2_->addItem(tr("LWS: learn a scale per class"), QStringLiteral("lws"));
    stage2_->addItem(tr("τ-norm: rows ÷ norm (no training)"), QStringLiteral("tau-norm"));
    stage2_->addItem(tr("MiSLAS: label-aware smoothing"), QStringLiteral("mislas"));
    stage2_->addItem(tr("WB: class-balanced loss + MaxNorm"), QStringLiteral("wb"));
    stage2_->setToolTip(tr("Decoupling (Kang et al. 2020): after the last epoch the features are frozen and the "
                           "classifier is re-balanced; its epochs continue the curves. MiSLAS re-estimates BatchNorm "
                           "and smooths the labels of large classes more; WB (weight balancing) bounds the rows' norms."));
    advanced_->addRow(tr("Second stage"), stage2_);
    stage2Epochs_ = new ClampingSpinBox;
    stage2Epochs_->setRange(1, 1000);
    stage2Epochs_->setToolTip(tr("Epochs of the second stage over the frozen features (seconds each on a CPU)."));
    advanced_->addRow(tr("Stage-2 epochs"), stage2Epochs_);

    for (QComboBox* combo : {preset_, model_, loss_, rebalance_, optimizer_, device_, speed_, mixing_, sam_, stage2_}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(10);
    }
    setFrom(loadPreset("fmnist-lt-quick"));

    connect(loss_, &QComboBox::currentIndexChanged, this, [this] {
        // γ and τ defaults differ by loss (focal γ 1, VS γ 0.2 and τ 1.2): show the one that applies.
        LossConfig probe;
        probe.type = loss_->currentData().toString().toStdString();
        gamma_->setValue(probe.resolvedGamma());
        tau_->setValue(probe.resolvedTau());
        updateVisibility();
    });
    connect(rebalance_, &QComboBox::currentIndexChanged, this, &TrainingPanel::updateVisibility);
    connect(mixing_, &QComboBox::currentIndexChanged, this, &TrainingPanel::updateVisibility);
    connect(sam_, &QComboBox::currentIndexChanged, this, &TrainingPanel::updateVisibility);
    connect(maxNorm_, &QCheckBox::toggled, this, &TrainingPanel::updateVisibility);
    connect(stage2_, &QComboBox::currentIndexChanged, this, &TrainingPanel::updateVisibility);
    connect(advancedToggle_, &QToolButton::toggled, this, [this](bool open) {
        advancedBox_->setVisible(open);
        advancedToggle_->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
    });
    connect(deferred_, &QCheckBox::toggled, this, &TrainingPanel::updateVisibility);
    connect(epochs_, &QSpinBox::valueChanged, this, &TrainingPanel::updateScheduleNote);
    connect(preset_, &QComboBox::activated, this, [this](int index) {
        const QString name = preset_->itemData(index).toString();
        if (!name.isEmpty()) Q_EMIT presetChosen(name);
    });
    for (auto* combo : {model_, loss_, rebalance_, optimizer_, device_, speed_, mixing_, sam_, stage2_})
        connect(combo, &QComboBox::currentIndexChanged, this, &TrainingPanel::changed);
    for (auto* box : findChildren<QAbstractSpinBox*>()) reportClamping(box);
}

void TrainingPanel::showPreset(const QString& name) {
    const int index = preset_->findData(name);
    preset_->setCurrentIndex(index < 0 ? 0 : index);
}

// A typed value outside a field's range is set to the nearest limit; the user is told, naming the field.
void TrainingPanel::reportClamping(QAbstractSpinBox* box) {
    auto say = [this, box](const QString& what) {
        QString field;
        for (QFormLayout* form : {form_, advanced_})
            if (auto* label = qobject_cast<QLabel*>(form->labelForField(box))) field = label->text();
        if (field.isEmpty()) field = box->toolTip().section('.', 0, 0);
        Q_EMIT clamped(field + QStringLiteral(": ") + what);
    };
    if (auto* d = qobject_cast<ClampingDoubleSpinBox*>(box)) connect(d, &ClampingDoubleSpinBox::clamped, this, say);
    if (auto* i = qobject_cast<ClampingSpinBox*>(box)) connect(i, &ClampingSpinBox::clamped, this, say);
}

QString TrainingPanel::scheduleNote() const { return scheduleNote_->text(); }

void TrainingPanel::updateScheduleNote() {
    if (!scheduleNote_) return;
    TrainConfig train = base_.train;
    train.epochs = epochs_->value();
    const bool deferred = deferred_->isChecked() && rebalance_->currentData().toString() != "none";
    scheduleNote_->setText(QString::fromStdString(describeSchedule(train, deferred)));
}

void TrainingPanel::updateVisibility() {
    // Only the chosen loss's own parameters are shown (api/loss_kinds.h says which).
    const LossKind* kind = findLossKind(loss_->currentData().toString().toStdString());
    form_->setRowVisible(s_, kind && kind->usesScale);
    form_->setRowVisible(maxM_, kind && kind->usesMaxMargin);
    form_->setRowVisible(gamma_, kind && kind->usesGamma);
    form_->setRowVisible(tau_, kind && kind->usesTau);
    const QString rb = rebalance_->currentData().toString();
    form_->setRowVisible(beta_, rb.startsWith("cb-"));
    deferred_->setEnabled(rb != "none");
    deferEpoch_->setEnabled(rb != "none" && deferred_->isChecked());
    advanced_->setRowVisible(mixAlpha_, mixing_->currentData().toString() != "none");
    advanced_->setRowVisible(samRho_, sam_->currentData().toString() != "off");
    // The LDAM family's cosine head normalises its rows already: MaxNorm has nothing to bound.
    const bool cosineHead = kind && kind->normalizedHead;
    maxNorm_->setEnabled(!cosineHead);
    if (cosineHead) maxNorm_->setChecked(false);
    maxNorm_->setToolTip(cosineHead ? tr("The %1 loss trains a cosine head whose class vectors are normalised "
                                         "already; MaxNorm bounds a linear head's rows.").arg(loss_->currentText())
                                    : tr("Weight balancing: after every step each class's classifier row is scaled "
                                         "back into ‖w_j‖ ≤ R, so frequent classes cannot grow the longest rows."));
    maxNormRadius_->setEnabled(maxNorm_->isEnabled() && maxNorm_->isChecked());
    // The second stages re-train or rescale a linear head.
    if (cosineHead) selectData(stage2_, "none");
    stage2_->setEnabled(!cosineHead);
    advanced_->setRowVisible(stage2Epochs_, stage2_->currentData().toString() != "none" && stage2_->currentData().toString() != "tau-norm");
    updateAdvancedSummary();
    updateScheduleNote();
}

// Collapsed, the toggle still says which methods since 2019 are on, so none is on unseen.
void TrainingPanel::updateAdvancedSummary() {
    QStringList on;
    if (mixing_->currentData().toString() != "none") on << mixing_->currentText();
    if (sam_->currentData().toString() != "off") on << sam_->currentText().section(' ', 0, 0);
    if (maxNorm_->isEnabled() && maxNorm_->isChecked()) on << tr("MaxNorm");
    if (stage2_->currentData().toString() != "none") on << stage2_->currentText().section(':', 0, 0);
    advancedToggle_->setText(on.isEmpty() ? tr("Advanced settings") : tr("Advanced settings · %1").arg(on.join(", ")));
}

bool TrainingPanel::isParameterVisible(const QString& name) const {
    QWidget* w = name == "s"       ? static_cast<QWidget*>(s_)
                 : name == "max_m" ? maxM_
                 : name == "gamma" ? gamma_
                 : name == "tau"   ? tau_
                 : name == "alpha" ? mixAlpha_
                 : name == "rho"   ? samRho_
                                   : beta_;
    return w == mixAlpha_ || w == samRho_ ? advanced_->isRowVisible(w) : form_->isRowVisible(w);
}

void TrainingPanel::applyTo(ExperimentConfig& cfg) const {
    const DatasetConfig dataset = cfg.dataset;
    const std::string name = cfg.name;
    cfg = base_;
    cfg.dataset = dataset;
    cfg.name = name;
    cfg.train.model = model_->currentData().toString().toStdString();
    cfg.loss.type = loss_->currentData().toString().toStdString();
    cfg.loss.s = s_->value();
    cfg.loss.maxM = maxM_->value();
    LossConfig probe;
    probe.type = cfg.loss.type;
    // Keep γ/τ unset when they equal the loss's default, so switching loss keeps defaults right.
    cfg.loss.gamma = gamma_->value() == probe.resolvedGamma() ? std::optional<double>() : gamma_->value();
    cfg.loss.tau = tau_->value() == probe.resolvedTau() ? std::optional<double>() : tau_->value();
    cfg.rebalance.type = rebalance_->currentData().toString().toStdString();
    cfg.rebalance.beta = beta_->value();
    cfg.rebalance.deferred = deferred_->isChecked() && cfg.rebalance.type != "none";
    cfg.rebalance.deferEpoch = deferEpoch_->value();
    cfg.train.epochs = epochs_->value();
    cfg.train.batchSize = batch_->value();
    cfg.train.lr = lr_->value();
    cfg.train.weightDecay = weightDecay_->value();
    cfg.train.optimizer = optimizer_->currentData().toString().toStdString();
    cfg.train.seed = uint64_t(seed_->value());
    cfg.train.device = device_->currentData().toString().toStdString();
    cfg.train.marginEvery = evalEvery_->value();
    cfg.train.augment = augment_->isChecked();
    cfg.train.flip = augment_->isChecked() && base_.train.flip;
    const QString mixing = mixing_->currentData().toString();
    cfg.train.mixup = mixing == "mixup" ? mixAlpha_->value() : 0.0;
    cfg.train.cutmix = mixing == "cutmix" ? mixAlpha_->value() : 0.0;
    const QString sam = sam_->currentData().toString();
    cfg.train.sam = sam == "off" ? 0.0 : samRho_->value();
    cfg.train.imbsam = sam == "imbsam";
    cfg.train.maxNorm = maxNorm_->isEnabled() && maxNorm_->isChecked() ? maxNormRadius_->value() : 0.0;
    cfg.train.stage2 = stage2_->currentData().toString().toStdString();
    cfg.train.stage2Epochs = stage2Epochs_->value();
    const QString speed = speed_->currentData().toString();
    if (speed != "custom") {  // custom: the loaded combination, kept as it came (cfg = base_ above)
        cfg.train.precision = speed == "fp32" || speed == "auto" ? speed.toStdString() : "bf16";
        cfg.train.channelsLast = speed == "fast" || speed == "fastest";
        cfg.train.deterministic = speed != "fastest";
    }
}

void TrainingPanel::showSpeedOf(const TrainConfig& t) {
    const int custom = speed_->findData(QStringLiteral("custom"));
    QString mode;
    if (t.precision == "auto" && !t.channelsLast && t.deterministic) mode = "auto";
    else if (t.precision == "fp32" && !t.channelsLast && t.deterministic) mode = "fp32";
    else if (t.precision == "bf16" && t.channelsLast) mode = t.deterministic ? "fast" : "fastest";
    if (!mode.isEmpty()) {
        if (custom >= 0) speed_->removeItem(custom);
        selectData(speed_, mode.toStdString());
        return;
    }
    // A loaded setting none of the three names (fp32 with channels-last, say): shown and kept as is.
    const QString text = tr("as loaded: %1%2%3")
                             .arg(QString::fromStdString(t.precision))
                             .arg(t.channelsLast ? tr(", channels-last") : QString())
                             .arg(t.deterministic ? QString() : tr(", autotuned"));
    if (custom >= 0) speed_->setItemText(custom, text);
    else speed_->addItem(text, QStringLiteral("custom"));
    selectData(speed_, "custom");
}

void TrainingPanel::setFrom(const ExperimentConfig& cfg) {
    base_ = cfg;
    base_.loss.gamma.reset();
    base_.loss.tau.reset();
    selectData(model_, cfg.train.model);
    selectData(loss_, cfg.loss.type);
    s_->setValue(cfg.loss.s);
    maxM_->setValue(cfg.loss.maxM);
    gamma_->setValue(cfg.loss.resolvedGamma());
    tau_->setValue(cfg.loss.resolvedTau());
    selectData(rebalance_, cfg.rebalance.type);
    beta_->setValue(cfg.rebalance.beta);
    deferred_->setChecked(cfg.rebalance.deferred);
    deferEpoch_->setValue(cfg.rebalance.deferEpoch);
    epochs_->setValue(cfg.train.epochs);
    batch_->setValue(cfg.train.batchSize);
    lr_->setValue(cfg.train.lr);
    weightDecay_->setValue(cfg.train.weightDecay);
    selectData(optimizer_, cfg.train.optimizer);
    seed_->setValue(int(cfg.train.seed));
    selectData(device_, cfg.train.device == "cuda" && !cudaAvailable() ? "auto" : cfg.train.device);
    evalEvery_->setValue(cfg.train.marginEvery);
    augment_->setChecked(cfg.train.augment);
    showSpeedOf(cfg.train);
    const TrainConfig& t = cfg.train;
    selectData(mixing_, t.mixup > 0 ? "mixup" : t.cutmix > 0 ? "cutmix" : "none");
    mixAlpha_->setValue(t.mixup > 0 ? t.mixup : t.cutmix > 0 ? t.cutmix : 1.0);
    selectData(sam_, !(t.sam > 0) ? "off" : t.imbsam ? "imbsam" : "sam");
    samRho_->setValue(t.sam > 0 ? t.sam : 0.05);
    maxNorm_->setChecked(t.maxNorm > 0);
    maxNormRadius_->setValue(t.maxNorm > 0 ? t.maxNorm : 1.0);
    selectData(stage2_, t.stage2);
    stage2Epochs_->setValue(t.stage2Epochs);
    updateVisibility();
}

void TrainingPanel::setLocked(bool locked) {
    for (QFormLayout* form : {form_, advanced_})
        for (int i = 0; i < form->count(); ++i)
            if (auto* item = form->itemAt(i); item && item->widget()) item->widget()->setEnabled(!locked);
    deferred_->setEnabled(!locked);
    deferEpoch_->setEnabled(!locked);
    maxNorm_->setEnabled(!locked);
    maxNormRadius_->setEnabled(!locked);
    if (!locked) updateVisibility();
}

void TrainingPanel::adoptTextDefaults(const QString& model) {
    TrainConfig t = base_.train;
    applyTextDefaults(t, model.toStdString());
    showModelDefaults(t);
    selectData(mixing_, "none");  // a text's word ids cannot be blended
}

void TrainingPanel::adoptImageDefaults() { showModelDefaults(TrainConfig{}); }  // small CNN, SGD, augmentation

void TrainingPanel::showModelDefaults(const TrainConfig& t) {
    selectData(model_, t.model);
    selectData(optimizer_, t.optimizer);
    lr_->setValue(t.lr);
    weightDecay_->setValue(t.weightDecay);
    augment_->setChecked(t.augment);
    base_.train.flip = t.flip;
}

void TrainingPanel::setSpeedNote(const QString& note) {
    // "fast: bf16 + channels-last 7900 vs fp32 2300 img/s (3.43x), …": the verdict in the box,
    // the figures in its tooltip.
    const int i = speed_->findData(QStringLiteral("auto"));
    const QString verdict = note.section(QLatin1Char(':'), 0, 0);
    speed_->setItemText(i, verdict.isEmpty() ? tr("auto: measured for the model") : tr("auto: %1 for this model here").arg(verdict));
    speed_->setItemData(i, note, Qt::ToolTipRole);
}

} // namespace imblab::ui
