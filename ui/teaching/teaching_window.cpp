// Teaching mode; see teaching_window.h.
#include "teaching/teaching_window.h"

#include "charts/chart_export.h"
#include "charts/chart_style.h"
#include "data/dataset_cache.h"
#include "data/dataset_loader.h"
#include "io/config_json.h"
#include "teaching/decision_view.h"
#include "teaching/margin_theory_view.h"
#include "api/methods.h"
#include "training_controller.h"

#include <spdlog/spdlog.h>

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

#include <cmath>

namespace imblab::ui {

const std::vector<Lesson>& lessons() {
    static const std::vector<Lesson> list = {
        {QObject::tr("1. Why ERM ignores the minority class"),
         QObject::tr("Set: two blobs, class B 20× rarer. Watch: plain ERM (left) puts the boundary deep inside the "
                     "small blob — B's error stays high and its margin γ_B negative. Re-weighting by 1/n (right) "
                     "pulls the boundary back. Shows: the average loss is dominated by the frequent class."),
         2, 20, 1.0, 1.5, "erm", "rw", 40},
        {QObject::tr("2. LDAM moves the boundary toward the frequent class"),
         QObject::tr("Set: the same data, CE (left) against LDAM (right). Watch: LDAM asks the rare class for a "
                     "larger margin Δ_B ∝ n_B^(−1/4); its boundary moves toward the frequent class and the "
                     "ringed minority point's margin γ_B grows. Shows: the paper's Figure 1, live."),
         2, 20, 1.0, 1.5, "erm", "ldam", 40},
        {QObject::tr("3. Re-weighting early hurts, deferred re-weighting does not"),
         QObject::tr("Set: three blobs with a long tail. Watch: re-weighting from the first epoch (left) against "
                     "plain training first and class-balanced weights only from half-way (DRW, right); compare the "
                     "frequent classes' errors at the end. Shows: why DRW defers the re-balancing."),
         3, 30, 1.0, 2.0, "cb-rw", "ce-drw", 40},
        {QObject::tr("4. Margin theory: the optimal margins"),
         QObject::tr("Set n₁ and n₂ with the sliders. Watch: the bound 1/(γ₁√n₁) + 1/(γ₂√n₂) with γ₁ + γ₂ fixed; its "
                     "minimum sits exactly at γ₁/γ₂ = (n₂/n₁)^(1/4). Shows: rare classes deserve larger margins — "
                     "LDAM's Δ_j ∝ n_j^(−1/4), drawn for the current dataset on the right."),
         2, 20, 1.0, 1.5, "erm", "ldam", 40, true},
    };
    return list;
}

struct TeachingWindow::Side {
    QComboBox* method = nullptr;
    DecisionView* view = nullptr;
    QLabel* stats = nullptr;
    TrainingController* controller = nullptr;
    std::vector<std::pair<int, DecisionGrid>> grids;
    std::vector<MetricsReport> epochReports;
    RunInfo info;
};

TeachingWindow::TeachingWindow(QWidget* parent) : QWidget(parent, Qt::Window) {
    setWindowTitle(tr("Imbalance Lab — Teaching mode"));
    cache_ = new DatasetCache(this);
    connect(cache_, &DatasetCache::loaded, this, [this](const std::shared_ptr<const Dataset>& data) {
        if (waitingForData_) startBoth(data);
    });
    connect(cache_, &DatasetCache::failed, this, &TeachingWindow::dataFailed);
    auto* layout = new QVBoxLayout(this);

    auto* top = new QHBoxLayout;
    lesson_ = new QComboBox;
    for (const auto& l : lessons()) lesson_->addItem(l.title);
    lesson_->setToolTip(tr("A prepared comparison with what to set, what to watch and what it shows."));
    top->addWidget(new QLabel(tr("Lesson")));
    top->addWidget(lesson_, 1);
    presentation_ = new QCheckBox(tr("Presentation mode"));
    presentation_->setToolTip(tr("Large fonts and thick lines for a projector; advanced controls hidden."));
    top->addWidget(presentation_);
    layout->addLayout(top);
    caption_ = new QLabel;
    caption_->setWordWrap(true);
    caption_->setStyleSheet(QStringLiteral("background:#eef5fb; padding:6px; border:1px solid #b9d3ea;"));
    layout->addWidget(caption_);

    advanced_ = new QWidget;
    auto* adv = new QHBoxLayout(advanced_);
    adv->setContentsMargins(0, 0, 0, 0);
    classes_ = new QSpinBox;
    classes_->setRange(2, 5);
    classes_->setToolTip(tr("Number of blobs (classes)."));
    rho_ = new QDoubleSpinBox;
    rho_->setRange(1, 1000);
    rho_->setToolTip(tr("Imbalance ratio ρ = n_max/n_min of the training points (exponential profile)."));
    spread_ = new QDoubleSpinBox;
    spread_->setRange(0.1, 5);
    spread_->setSingleStep(0.1);
    spread_->setToolTip(tr("Standard deviation of each blob: larger overlaps more."));
    separation_ = new QDoubleSpinBox;
    separation_->setRange(0.2, 10);
    separation_->setSingleStep(0.25);
    separation_->setToolTip(tr("Distance of each blob's centre from the origin."));
    profile_ = new QComboBox;
    profile_->addItem(tr("exp"), QStringLiteral("exp"));
    profile_->addItem(tr("step"), QStringLiteral("step"));
    profile_->setToolTip(tr("Imbalance profile of the training points: exponential, or step (a share μ of rare classes)."));
    mu_ = new QDoubleSpinBox;
    mu_->setRange(0, 1);
    mu_->setSingleStep(0.1);
    mu_->setValue(0.5);
    mu_->setToolTip(tr("Step profile: the share μ of classes that are rare."));
    seed_ = new QSpinBox;
    seed_->setRange(0, 100000);
    seed_->setToolTip(tr("Seed of the points and of both models: the two sides see the same data."));
    epochs_ = new QSpinBox;
    epochs_->setRange(1, 10000);
    epochs_->setToolTip(tr("Epochs each side trains."));
    for (auto [label, w] : std::initializer_list<std::pair<QString, QWidget*>>{
             {tr("classes"), classes_}, {tr("profile"), profile_}, {tr("ρ"), rho_}, {tr("μ"), mu_}, {tr("spread"), spread_}, {tr("separation"), separation_},
             {tr("seed"), seed_}, {tr("epochs"), epochs_}}) {
        adv->addWidget(new QLabel(label));
        adv->addWidget(w);
    }
    adv->addStretch();
    layout->addWidget(advanced_);

    auto* buttons = new QHBoxLayout;
    train_ = new QPushButton(tr("Train both"));
    train_->setToolTip(tr("Train both models on the same points, side by side."));
    step_ = new QPushButton(tr("Step one epoch"));
    step_->setToolTip(tr("Train one more epoch on each side, then pause."));
    stop_ = new QPushButton(tr("Stop"));
    stop_->setToolTip(tr("Stop both runs."));
    replay_ = new QSlider(Qt::Horizontal);
    replay_->setRange(0, 0);
    replay_->setToolTip(tr("Replay: show the decision regions at an earlier epoch."));
    replayLabel_ = new QLabel(tr("epoch –"));
    buttons->addWidget(train_);
    buttons->addWidget(step_);
    buttons->addWidget(stop_);
    buttons->addWidget(new QLabel(tr("Replay")));
    buttons->addWidget(replay_, 1);
    buttons->addWidget(replayLabel_);
    layout->addLayout(buttons);

    tabs_ = new QTabWidget;
    auto* compare = new QWidget;
    auto* grid = new QGridLayout(compare);
    for (int i = 0; i < 2; ++i) {
        auto s = std::make_unique<Side>();
        s->method = new QComboBox;
        for (const auto& m : knownMethods()) s->method->addItem(QString::fromStdString(m.label), QString::fromStdString(m.id));
        s->method->setToolTip(tr("Loss and re-balancing of this side."));
        s->view = new DecisionView;
        s->stats = new QLabel;
        s->stats->setWordWrap(true);
        s->stats->setTextFormat(Qt::RichText);
        s->controller = new TrainingController(this);
        grid->addWidget(s->method, 0, i);
        grid->addWidget(s->view, 1, i);
        grid->addWidget(s->stats, 2, i);
        Side* raw = s.get();
        connect(s->controller, &TrainingController::started, this, [raw](int, const RunInfo& info) { raw->info = info; });
        connect(s->controller, &TrainingController::reports, this, [this, raw](int, const QVector<MetricsReport>& batch) {
            for (const auto& r : batch)
                if (r.epochEnd) {
                    raw->epochReports.push_back(r);
                    updateStats(*raw, r);
                }
        });
        connect(s->controller, &TrainingController::grid, this, [this, raw](int, int epoch, const DecisionGrid& g) {
            const bool live = replay_->value() == replay_->maximum();
            raw->grids.emplace_back(epoch, g);
            const int longest = int(std::max(sides_[0]->grids.size(), sides_[1]->grids.size()));
            replay_->setMaximum(std::max(0, longest - 1));
            if (live) {
                replay_->setValue(replay_->maximum());
                raw->view->setGrid(g);
                replayLabel_->setText(tr("epoch %1").arg(epoch + 1));
            }
        });
        connect(s->controller, &TrainingController::finished, this, &TeachingWindow::sideFinished);
        connect(s->controller, &TrainingController::failed, this, [this, raw](int, const QString& msg) {
            raw->stats->setText(QStringLiteral("<span style='color:#b00020'>%1</span>").arg(msg.toHtmlEscaped()));
            sideFinished();
        });
        sides_[size_t(i)] = std::move(s);
    }
    grid->setRowStretch(1, 1);
    auto report = [this](const QString& message, bool) { caption_->setToolTip(message); };
    addChartContextMenu(sides_[0]->view, QStringLiteral("decision_left"), report);
    addChartContextMenu(sides_[1]->view, QStringLiteral("decision_right"), report);
    tabs_->addTab(compare, tr("Side by side"));
    theory_ = new MarginTheoryView;
    tabs_->addTab(theory_, tr("Margin theory"));
    addChartContextMenu(theory_->boundPlot(), QStringLiteral("margin_bound"), report);
    addChartContextMenu(theory_->deltaPlot(), QStringLiteral("ldam_margins"), report);
    layout->addWidget(tabs_, 1);

    connect(lesson_, &QComboBox::currentIndexChanged, this, &TeachingWindow::setLesson);
    connect(train_, &QPushButton::clicked, this, &TeachingWindow::trainBoth);
    connect(step_, &QPushButton::clicked, this, &TeachingWindow::stepEpoch);
    connect(stop_, &QPushButton::clicked, this, &TeachingWindow::stopBoth);
    connect(presentation_, &QCheckBox::toggled, this, &TeachingWindow::setPresentationMode);
    connect(replay_, &QSlider::valueChanged, this, [this](int index) {
        for (auto& s : sides_) showEpoch(*s, index);
    });
    setLesson(0);
    stop_->setEnabled(false);
    resize(1200, 800);
}

TeachingWindow::~TeachingWindow() {
    for (auto& s : sides_) s->controller->stopAndWait(5000);
}

void TeachingWindow::setLesson(int index) {
    if (index < 0 || index >= int(lessons().size())) return;
    const Lesson& l = lessons()[size_t(index)];
    if (lesson_->currentIndex() != index) lesson_->setCurrentIndex(index);
    caption_->setText(QStringLiteral("<b>%1</b><br>%2").arg(l.title, l.caption));
    classes_->setValue(l.classes);
    rho_->setValue(l.rho);
    profile_->setCurrentIndex(0);
    spread_->setValue(l.spread);
    separation_->setValue(l.separation);
    epochs_->setValue(l.epochs);
    sides_[0]->method->setCurrentIndex(sides_[0]->method->findData(QString::fromStdString(l.left)));
    sides_[1]->method->setCurrentIndex(sides_[1]->method->findData(QString::fromStdString(l.right)));
    tabs_->setCurrentIndex(l.theory ? 1 : 0);
}

ExperimentConfig TeachingWindow::sideConfig(int side) const {
    ExperimentConfig c = loadPreset("blobs-teaching");
    c.dataset.blobsClasses = classes_->value();
    c.dataset.rho = rho_->value();
    c.dataset.profile = profile_->currentData().toString().toStdString();
    c.dataset.mu = mu_->value();
    c.dataset.blobsSpread = spread_->value();
    c.dataset.blobsSeparation = separation_->value();
    c.dataset.seed = uint64_t(seed_->value());
    c.train.seed = uint64_t(seed_->value());
    c.train.epochs = epochs_->value();
    c = applyMethod(c, findMethod(sides_[size_t(side)]->method->currentData().toString().toStdString()));
    return c;
}

void TeachingWindow::trainBoth() {
    if (isRunning()) return;
    for (auto& side : sides_) side->controller->setStepMode(false);
    // Both sides share one dataset (same points); it is made off the GUI thread.
    const DatasetConfig dataset = sideConfig(0).dataset;
    train_->setEnabled(false);
    stop_->setEnabled(true);
    for (auto& s : sides_) s->method->setEnabled(false);
    if (auto data = cache_->dataFor(dataset)) return startBoth(data);
    waitingForData_ = true;
    cache_->request(dataset);
}

void TeachingWindow::startBoth(const std::shared_ptr<const Dataset>& data) {
    waitingForData_ = false;
    data_ = data;
    const ExperimentConfig left = sideConfig(0);
    // The trainers draw the same subset from it; the views show the points they train on.
    const KeptSubset kept = keptSubset(*data_, left.dataset);
    std::vector<float> xy;
    std::vector<int64_t> labels;
    for (int64_t i : kept.indices) {
        xy.push_back(data_->train.features[size_t(2 * i)]);
        xy.push_back(data_->train.features[size_t(2 * i + 1)]);
        labels.push_back(data_->train.labels[size_t(i)]);
    }
    double lo = 1e9, hi = -1e9;
    for (float v : xy) lo = std::min(lo, double(v)), hi = std::max(hi, double(v));
    lo -= 0.5;
    hi += 0.5;
    replay_->setRange(0, 0);
    for (int i = 0; i < 2; ++i) {
        Side& s = *sides_[size_t(i)];
        s.grids.clear();
        s.epochReports.clear();
        s.stats->clear();
        s.view->setPoints(xy, labels, kept.classCounts, data_->classNames);
        s.view->setTitle(s.method->currentText());
        s.controller->requestDecisionGrid(lo, hi, lo, hi, 120, 120);
        s.controller->start(i, sideConfig(i), data_);
    }
    running_ = 2;
}

void TeachingWindow::dataFailed(const QString& error) {
    if (!waitingForData_) return;
    waitingForData_ = false;
    spdlog::warn("teaching mode: no run: {}", error.toStdString());
    train_->setEnabled(true);
    stop_->setEnabled(false);
    for (auto& s : sides_) s->method->setEnabled(true);
}

void TeachingWindow::stepEpoch() {
    if (!isRunning()) {
        trainBoth();
        for (auto& s : sides_) s->controller->setStepMode(true);
        return;
    }
    for (auto& s : sides_) {
        s->controller->setStepMode(true);
        s->controller->setPaused(false);
    }
}

void TeachingWindow::stopBoth() {
    if (waitingForData_) dataFailed(tr("stopped before the data was made"));
    for (auto& s : sides_) s->controller->stop();
}

bool TeachingWindow::isRunning() const { return running_ > 0 || waitingForData_; }

void TeachingWindow::sideFinished() {
    if (--running_ > 0) return;
    running_ = 0;
    train_->setEnabled(true);
    stop_->setEnabled(false);
    for (auto& s : sides_) s->method->setEnabled(true);
    Q_EMIT bothFinished();
}

void TeachingWindow::showEpoch(Side& s, int index) {
    if (index < 0 || index >= int(s.grids.size())) return;
    s.view->setGrid(s.grids[size_t(index)].second);
    replayLabel_->setText(tr("epoch %1").arg(s.grids[size_t(index)].first + 1));
    for (const auto& r : s.epochReports)
        if (r.epoch == s.grids[size_t(index)].first) updateStats(s, r);
}

void TeachingWindow::updateStats(Side& s, const MetricsReport& r) {
    QStringList parts;
    for (size_t c = 0; c < r.testErrorPerClass.size(); ++c) {
        const QString name = c < s.info.classNames.size() ? QString::fromStdString(s.info.classNames[c]) : QString::number(c);
        const qint64 n = c < s.info.classCounts.size() ? s.info.classCounts[c] : 0;
        parts << QStringLiteral("<span style='color:%1'>■</span> <b>%2</b> (n=%3): error %4%, γ %5%6")
                     .arg(classColor(int(c)).name(), name)
                     .arg(n)
                     .arg(100 * r.testErrorPerClass[c], 0, 'f', 1)
                     .arg(c < r.margins.size() ? r.margins[c].min : 0.0, 0, 'f', 2)
                     .arg(c < r.deltas.size() ? QStringLiteral(", Δ %1").arg(r.deltas[c], 0, 'f', 2) : QString());
    }
    s.stats->setText(tr("epoch %1 · balanced error <b>%2%</b><br>%3").arg(r.epoch + 1).arg(100 * r.balancedError, 0, 'f', 1).arg(parts.join("<br>")));
}

void TeachingWindow::setPresentationMode(bool on) {
    if (presentation_->isChecked() != on) presentation_->setChecked(on);
    advanced_->setVisible(!on);
    QFont f = font();
    f.setPointSizeF(on ? 15 : QApplication::font().pointSizeF());
    caption_->setFont(f);
    for (auto& s : sides_) {
        s->stats->setFont(f);
        setChartPresentationScale(s->view, on ? 1.8 : 1.0);
    }
    setChartPresentationScale(theory_->boundPlot(), on ? 1.8 : 1.0);
}

void TeachingWindow::setDatasetCounts(const std::vector<std::string>& names, const std::vector<int64_t>& counts) {
    theory_->setDatasetCounts(names, counts);
}

DecisionView* TeachingWindow::view(int side) const { return sides_[size_t(side)]->view; }
const std::vector<MetricsReport>& TeachingWindow::epochReports(int side) const { return sides_[size_t(side)]->epochReports; }
const RunInfo& TeachingWindow::info(int side) const { return sides_[size_t(side)]->info; }

} // namespace imblab::ui
