// Teaching mode; see teaching_window.h.
#include "teaching/teaching_window.h"

#include "charts/chart_export.h"
#include "charts/chart_style.h"
#include "data/dataset_cache.h"
#include "data/dataset_loader.h"
#include "io/config_json.h"
#include "teaching/decision_view.h"
#include "teaching/boundary_geometry.h"
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
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

#include <cmath>

namespace imblab::ui {

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
        else if (previewPending_) showData(data);
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
    presentation_->setToolTip(tr("Large fonts, points and lines for a projector; advanced controls hidden."));
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
    pace_ = new QComboBox;
    pace_->addItem(tr("slow (about 20 s)"), 20.0);
    pace_->addItem(tr("normal (about 10 s)"), 10.0);
    pace_->addItem(tr("as fast as possible"), 0.0);
    pace_->setCurrentIndex(1);
    pace_->setToolTip(tr("How long each side's run takes, so a class can watch the boundary move. "
                         "The pace changes only the waiting between epochs, never the results."));
    replay_ = new QSlider(Qt::Horizontal);
    replay_->setRange(0, 0);
    replay_->setToolTip(tr("Replay: show the decision regions at an earlier epoch."));
    replayLabel_ = new QLabel(tr("epoch –"));
    buttons->addWidget(train_);
    buttons->addWidget(step_);
    buttons->addWidget(stop_);
    buttons->addWidget(new QLabel(tr("Pace")));
    buttons->addWidget(pace_);
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
        connect(s->controller, &TrainingController::started, this, [this, raw](int id, const RunInfo& info) {
            if (current(id)) raw->info = info;
        });
        connect(s->controller, &TrainingController::reports, this, [this, raw](int id, const QVector<MetricsReport>& batch) {
            if (!current(id)) return;
            bool epochEnded = false;
            for (const auto& r : batch)
                if (r.epochEnd) raw->epochReports.push_back(r), epochEnded = true;
            if (epochEnded && replay_->value() == replay_->maximum()) updateStats(*raw, int(raw->grids.size()) - 1);
        });
        connect(s->controller, &TrainingController::grid, this, [this, raw](int id, int epoch, const DecisionGrid& g) {
            if (!current(id)) return;
            const bool live = replay_->value() == replay_->maximum();
            raw->grids.emplace_back(epoch, g);
            const int longest = int(std::max(sides_[0]->grids.size(), sides_[1]->grids.size()));
            replay_->setMaximum(std::max(0, longest - 1));
            if (live) {
                const QSignalBlocker block(replay_);
                replay_->setValue(replay_->maximum());
                showIndex(replay_->maximum());
            }
        });
        connect(s->controller, &TrainingController::finished, this, [this](int id) {
            if (current(id)) sideFinished();
            else oldSideEnded();
        });
        connect(s->controller, &TrainingController::failed, this, [this, raw](int id, const QString& msg) {
            if (!current(id)) return oldSideEnded();
            raw->stats->setText(QStringLiteral("<span style='color:#b00020'>%1</span>").arg(msg.toHtmlEscaped()));
            sideFinished();
        });
        // Another method: the old run's regions and numbers no longer belong under the title.
        connect(s->method, &QComboBox::currentIndexChanged, this, [this] {
            if (!isRunning()) resetViews();
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
    connect(pace_, &QComboBox::currentIndexChanged, this, &TeachingWindow::applyPace);
    connect(replay_, &QSlider::valueChanged, this, &TeachingWindow::showIndex);
    // Changing the data shows the new points at once (the old run's regions would mislead).
    for (QSpinBox* box : {classes_, seed_})
        connect(box, &QSpinBox::valueChanged, this, [this] { if (!isRunning()) resetViews(); });
    for (QDoubleSpinBox* box : {rho_, mu_, spread_, separation_})
        connect(box, &QDoubleSpinBox::valueChanged, this, [this] { if (!isRunning()) resetViews(); });
    connect(profile_, &QComboBox::currentIndexChanged, this, [this] { if (!isRunning()) resetViews(); });
    setLesson(0);
    stop_->setEnabled(false);
    resize(1200, 800);
}

TeachingWindow::~TeachingWindow() {
    for (auto& s : sides_) s->controller->stopAndWait(5000);
}

void TeachingWindow::setLesson(int index) {
    if (index < 0 || index >= int(lessons().size())) return;
    const Lesson& lesson = lessons()[size_t(index)];
    const LessonSetup& l = lesson.setup;
    if (lesson_->currentIndex() != index) lesson_->setCurrentIndex(index);
    // A new lesson starts clean: its runs, not the previous lesson's, belong under its caption.
    // The old pair is abandoned without waiting (the UI thread never blocks): from here on its
    // signals are ignored, and Train waits until both sides have wound down.
    if (isRunning()) {
        ++generation_;
        stopping_ += running_;
        stopBoth();
        endRuns();
    }
    caption_->setText(QStringLiteral("<b>%1</b><br>%2").arg(lesson.title, lesson.caption));
    {
        const QSignalBlocker b1(classes_), b2(rho_), b3(profile_), b4(spread_), b5(separation_), b6(epochs_);
        classes_->setValue(l.classes);
        rho_->setValue(l.rho);
        profile_->setCurrentIndex(0);
        spread_->setValue(l.spread);
        separation_->setValue(l.separation);
        epochs_->setValue(l.epochs);
    }
    for (int i = 0; i < 2; ++i) {
        const QSignalBlocker b(sides_[size_t(i)]->method);
        sides_[size_t(i)]->method->setCurrentIndex(
            sides_[size_t(i)]->method->findData(QString::fromStdString(i == 0 ? l.left : l.right)));
    }
    tabs_->setCurrentIndex(l.theory ? 1 : 0);
    resetViews();
}

void TeachingWindow::resetViews() {
    clearRuns();
    const DatasetConfig dataset = sideConfig(0).dataset;
    if (auto data = cache_->dataFor(dataset)) return showData(data);
    for (auto& s : sides_) {
        s->view->clearModel(tr("Making the points…"));
        s->view->setOtherBoundary(nullptr, QString());
    }
    previewPending_ = true;
    cache_->request(dataset);
}

void TeachingWindow::clearRuns() {
    replay_->blockSignals(true);
    replay_->setRange(0, 0);
    replay_->blockSignals(false);
    replayLabel_->setText(tr("epoch –"));
    for (auto& s : sides_) {
        s->grids.clear();
        s->epochReports.clear();
        s->info = RunInfo{};
        s->stats->clear();
        s->view->setTitle(s->method->currentText());
    }
}

ExperimentConfig TeachingWindow::sideConfig(int side) const {
    LessonSetup l = lessons()[size_t(std::max(0, lesson_->currentIndex()))].setup;
    l.classes = classes_->value();
    l.rho = rho_->value();
    l.spread = spread_->value();
    l.separation = separation_->value();
    l.epochs = epochs_->value();
    ExperimentConfig c = lessonConfig(l, sides_[size_t(side)]->method->currentData().toString().toStdString(),
                                      uint64_t(seed_->value()));
    c.dataset.profile = profile_->currentData().toString().toStdString();
    c.dataset.mu = mu_->value();
    return c;
}

void TeachingWindow::setPaceSeconds(double seconds) {
    int best = 0;
    for (int i = 0; i < pace_->count(); ++i)
        if (std::abs(pace_->itemData(i).toDouble() - seconds) < std::abs(pace_->itemData(best).toDouble() - seconds)) best = i;
    if (std::abs(pace_->itemData(best).toDouble() - seconds) > 1e-9) {
        pace_->addItem(tr("%1 s").arg(seconds), seconds);
        best = pace_->count() - 1;
    }
    pace_->setCurrentIndex(best);
    applyPace();
}

double TeachingWindow::paceSeconds() const { return pace_->currentData().toDouble(); }

void TeachingWindow::applyPace() {
    const int ms = int(1000.0 * paceSeconds() / std::max(1, epochs_->value()));
    for (auto& s : sides_) s->controller->setEpochPace(ms);
}

void TeachingWindow::trainBoth() {
    if (isRunning() || stopping_ > 0) return;
    for (auto& side : sides_) side->controller->setStepMode(false);
    applyPace();
    // Both sides share one dataset (same points); it is made off the GUI thread.
    const DatasetConfig dataset = sideConfig(0).dataset;
    train_->setEnabled(false);
    stop_->setEnabled(true);
    for (auto& s : sides_) s->method->setEnabled(false);
    if (auto data = cache_->dataFor(dataset)) return startBoth(data);
    waitingForData_ = true;
    cache_->request(dataset);
}

void TeachingWindow::showData(const std::shared_ptr<const Dataset>& data) {
    previewPending_ = false;
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
    gridSpec_ = teachingGridSpec(xy);
    const DecisionGrid ideal = bayesDecisionGrid(gridSpec_, left.dataset.blobsClasses, left.dataset.blobsSeparation);
    for (auto& s : sides_) {
        s->view->setPoints(xy, labels, kept.classCounts, data_->classNames);
        s->view->setIdealBoundary(ideal);
        s->view->setOtherBoundary(nullptr, QString());
        s->view->clearModel(tr("Press Train both (Step one epoch to go slowly)"));
        s->view->setTitle(s->method->currentText());
    }
}

void TeachingWindow::startBoth(const std::shared_ptr<const Dataset>& data) {
    waitingForData_ = false;
    ++generation_;
    clearRuns();
    showData(data);
    running_ = 0;
    for (int i = 0; i < 2; ++i) {
        Side& s = *sides_[size_t(i)];
        s.view->clearModel(QString());
        s.controller->requestDecisionGrid(gridSpec_.x0, gridSpec_.x1, gridSpec_.y0, gridSpec_.y1, gridSpec_.nx, gridSpec_.ny);
        if (!s.controller->start(2 * generation_ + i, sideConfig(i), data_))
            spdlog::error("teaching mode: side {} is still winding down a run", i);  // trainBoth waits; not expected
        else ++running_;
    }
    if (running_ == 0) endRuns();
}

void TeachingWindow::dataFailed(const QString& error) {
    previewPending_ = false;
    if (!waitingForData_) {
        for (auto& s : sides_) s->view->clearModel(tr("No data: %1").arg(error));
        return;
    }
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
    endRuns();
    Q_EMIT bothFinished();
}

void TeachingWindow::oldSideEnded() {
    if (stopping_ > 0 && --stopping_ == 0 && !isRunning()) {
        train_->setEnabled(true);
        step_->setEnabled(true);
    }
}

void TeachingWindow::endRuns() {
    running_ = 0;
    waitingForData_ = false;
    train_->setEnabled(stopping_ == 0);
    step_->setEnabled(stopping_ == 0);
    stop_->setEnabled(false);
    for (auto& s : sides_) s->method->setEnabled(true);
}

void TeachingWindow::showIndex(int index) {
    for (int i = 0; i < 2; ++i) {
        Side& s = *sides_[size_t(i)];
        Side& o = *sides_[size_t(1 - i)];
        if (s.grids.empty()) continue;
        const int own = std::min(index, int(s.grids.size()) - 1);
        s.view->setGrid(s.grids[size_t(own)].second);
        if (!o.grids.empty())
            s.view->setOtherBoundary(&o.grids[size_t(std::min(index, int(o.grids.size()) - 1))].second, o.method->currentText());
        updateStats(s, own);
        if (i == 0 || sides_[0]->grids.empty()) replayLabel_->setText(tr("epoch %1").arg(s.grids[size_t(own)].first + 1));
    }
}

void TeachingWindow::updateStats(Side& s, int gridIndex) {
    if (gridIndex < 0 || gridIndex >= int(s.grids.size())) return;
    const int epoch = s.grids[size_t(gridIndex)].first;
    const MetricsReport* r = nullptr;
    for (const auto& rep : s.epochReports)
        if (rep.epoch == epoch) r = &rep;
    const auto margins = s.view->shownClassMargins();
    QStringList parts;
    for (size_t c = 0; c < margins.size(); ++c) {
        const QString name = c < s.info.classNames.size() ? QString::fromStdString(s.info.classNames[c]) : QString(QChar('A' + int(c)));
        const qint64 n = c < s.info.classCounts.size() ? s.info.classCounts[c] : 0;
        const QString error = r && c < r->testErrorPerClass.size() ? QStringLiteral("%1 %").arg(100 * r->testErrorPerClass[c], 0, 'f', 1) : QStringLiteral("–");
        const QString gamma = std::isfinite(margins[c]) ? QString::number(margins[c], 'f', 1) : tr("– (no boundary in view)");
        parts << tr("<span style='color:%1'>■</span> <b>%2</b> (n=%3): error %4, γ %5")
                     .arg(classColor(int(c)).name(), name)
                     .arg(n)
                     .arg(error)
                     .arg(gamma);
    }
    const QString balanced = r ? QStringLiteral("%1 %").arg(100 * r->balancedError, 0, 'f', 1) : QStringLiteral("–");
    s.stats->setText(tr("epoch %1 · balanced error <b>%2</b><br>%3<br><span style='color:#666'>γ: the smallest signed distance "
                        "of the class's training points to the boundary, in input units (negative: a point on the wrong side)</span>")
                         .arg(epoch + 1)
                         .arg(balanced)
                         .arg(parts.join("<br>")));
}

void TeachingWindow::setPresentationMode(bool on) {
    if (presentation_->isChecked() != on) presentation_->setChecked(on);
    advanced_->setVisible(!on);
    // Every control grows (buttons, lists, numbers), the caption most; the views scale their
    // fonts, points and lines themselves.
    QFont controls = QApplication::font();
    if (on) controls.setPointSizeF(13);
    setFont(controls);
    QFont large = controls;
    large.setPointSizeF(on ? 15 : QApplication::font().pointSizeF());
    caption_->setFont(large);
    for (auto& s : sides_) {
        s->stats->setFont(large);
        s->view->setPresentationScale(on ? 1.8 : 1.0);
    }
    setChartPresentationScale(theory_->boundPlot(), on ? 1.8 : 1.0);
    setChartPresentationScale(theory_->deltaPlot(), on ? 1.8 : 1.0);
}

void TeachingWindow::setDatasetCounts(const std::vector<std::string>& names, const std::vector<int64_t>& counts) {
    theory_->setDatasetCounts(names, counts);
}

DecisionView* TeachingWindow::view(int side) const { return sides_[size_t(side)]->view; }
QComboBox* TeachingWindow::methodBox(int side) const { return sides_[size_t(side)]->method; }
QLabel* TeachingWindow::stats(int side) const { return sides_[size_t(side)]->stats; }
const std::vector<MetricsReport>& TeachingWindow::epochReports(int side) const { return sides_[size_t(side)]->epochReports; }
const RunInfo& TeachingWindow::info(int side) const { return sides_[size_t(side)]->info; }

} // namespace imblab::ui
