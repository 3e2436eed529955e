// Mixup / CutMix draws and targets, SAM's perturbation and BatchNorm freeze, the MaxNorm
// projection — against values worked out by hand — and one step of each method, on the host and
// the device pipeline, against the same step written out here with plain torch ops; then the two
// pipelines against each other over augmented epochs with BatchNorm.
#include "data/imbalance_profile.h"
#include "errors.h"
#include "losses/cross_entropy.h"
#include "losses/second_stage_losses.h"
#include "models/classifier.h"
#include "models/model_factory.h"
#include "training/device_pipeline.h"
#include "training/host_pipeline.h"
#include "training/max_norm.h"
#include "training/mixing.h"
#include "training/lws_head.h"
#include "training/sharpness.h"
#include "training/second_stage.h"
#include "training/second_stage_source.h"
#include "training/tau_norm.h"

#include <torch/torch.h>

#include <QtTest>

#include <cmath>
#include <numeric>

using namespace imblab;

namespace {

std::vector<float> values(const torch::Tensor& t) {
    const auto c = t.detach().to(torch::kFloat32).contiguous().view(-1);
    return {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()};
}

bool near(const torch::Tensor& a, const torch::Tensor& b, double tol) {
    return (a.detach() - b.detach()).abs().max().item<double>() < tol;
}

// A 3-class problem of 8 two-feature rows, and an MLP on it (no BatchNorm: the step is plain).
struct TinyProblem {
    torch::Tensor x = torch::tensor({0.5f, -1.0f, 1.5f, 0.2f, -0.3f, 0.8f, 1.1f, -0.7f, -1.2f, 0.4f, 0.9f, 1.3f, -0.6f,
                                     -0.2f, 0.1f, 0.6f})
                          .view({8, 2});
    torch::Tensor y = torch::tensor({0, 1, 2, 0, 1, 2, 0, 0}, torch::kInt64);
    std::shared_ptr<Classifier> model() const {
        ModelInput in;
        in.features = 2;
        return makeSeededModel(7, "mlp", in, 3, false, 5);
    }
};

// A 3-class image problem (1×8×8, counts 12 / 8 / 4) and a small CNN (with BatchNorm) on it, as a
// finished first stage hands it to its second stage.
SecondStageSource tinyImageRun() {
    torch::manual_seed(3);
    SecondStageSource s;
    ModelInput in;
    in.channels = 1;
    in.height = in.width = 8;
    s.model = makeSeededModel(5, "cnn", in, 3, false, 0);
    s.trainLabels = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2};
    s.testLabels = {0, 0, 0, 1, 1, 1, 2, 2, 2};
    // Each class its own brightness, so the classes are learnable and the statistics depend on them.
    auto images = [](const std::vector<int64_t>& labels) {
        const auto y = torch::tensor(labels, torch::kInt64).to(torch::kFloat32).view({-1, 1, 1, 1});
        return (torch::rand({int64_t(labels.size()), 1, 8, 8}) * 60 + y * 80).to(torch::kUInt8);
    };
    s.trainX = images(s.trainLabels);
    s.testX = images(s.testLabels);
    s.norm = Normalization::fromMeanStd({0.4}, {0.3}, torch::Device(torch::kCPU));
    s.config.train.model = "cnn";
    s.config.train.epochs = 2;
    s.info.classNames = {"a", "b", "c"};
    s.info.classCounts = {12, 8, 4};
    s.info.minority = minorityClasses(s.info.classCounts);
    return s;
}

struct ReportLog : TrainingObserver {
    std::vector<MetricsReport> reports;
    void onReport(const MetricsReport& r) override { reports.push_back(r); }
};

std::vector<torch::Tensor> buffersOf(torch::nn::Module& m) {
    std::vector<torch::Tensor> out;
    for (const auto& b : m.buffers()) out.push_back(b.clone());
    return out;
}

// Weighted mean cross-entropy of rows `rows`, as a share of the whole batch's weight.
torch::Tensor ceShare(const torch::Tensor& z, const torch::Tensor& y, const torch::Tensor& w, const torch::Tensor& rows) {
    namespace F = torch::nn::functional;
    const auto per = F::cross_entropy(z, y, F::CrossEntropyFuncOptions().reduction(torch::kNone)) * w.index_select(0, y);
    const auto mask = torch::zeros({y.size(0)}).index_fill_(0, rows, 1.0);
    return (per * mask).sum() / w.index_select(0, y).sum();
}

// One SGD step (no momentum, no decay) on the copy `m` with its current gradients.
void sgd(Classifier& m, double lr) {
    torch::NoGradGuard g;
    for (auto& p : m.parameters()) p.sub_(p.grad() * lr);
}

HostPipelineOptions tinyOptions(const StepExtras& extras) {
    HostPipelineOptions o;
    o.batch = 8;
    o.stepsPerEpoch = 1;
    o.image = false;
    o.augment = false;
    o.momentum = 0;
    o.weightDecay = 0;
    o.classes = 3;
    o.lr = 0.1;
    o.extras = extras;
    return o;
}

// The pipeline named `which` ("host" or "device") over `model` with `o`'s step options.
std::unique_ptr<StepPipeline> pipelineFor(const std::string& which, Classifier& model, const Loss& loss,
                                          const torch::Tensor& x, const torch::Tensor& y, const Normalization& norm,
                                          const HostPipelineOptions& o) {
    if (which == "host") return std::make_unique<HostPipeline>(model, loss, x, y, norm, o);
    DevicePipelineOptions d;
    static_cast<StepOptions&>(d) = o;
    return std::make_unique<DevicePipeline>(model, loss, x, y, norm, d);
}

// Largest |a − b| over the parameters and buffers of two models of one architecture.
double largestDifference(Classifier& a, Classifier& b) {
    double worst = 0;
    const auto pa = a.named_parameters(), pb = b.named_parameters();
    for (const auto& item : pa)
        worst = std::max(worst, (item.value() - pb[item.key()]).abs().max().item<double>());
    const auto ba = a.named_buffers(), bb = b.named_buffers();
    for (const auto& item : ba)
        worst = std::max(worst, (item.value().to(torch::kFloat64) - bb[item.key()].to(torch::kFloat64)).abs().max().item<double>());
    return worst;
}

} // namespace

class TestStepExtras : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void betaDrawsHaveBetasMoments() {
        // Beta(α, α): mean 1/2, variance 1/(4(2α + 1)) — 1/8 for α = 0.5, 1/20 for α = 2.
        for (const double alpha : {0.5, 2.0}) {
            Rng rng(11);
            double sum = 0, squares = 0;
            const int n = 40000;
            for (int i = 0; i < n; ++i) {
                const double b = drawBeta(rng, alpha);
                QVERIFY(b >= 0 && b <= 1);
                sum += b;
                squares += b * b;
            }
            const double mean = sum / n, var = squares / n - mean * mean;
            QVERIFY2(std::abs(mean - 0.5) < 0.01, qPrintable(QString::number(mean)));
            QVERIFY2(std::abs(var - 1 / (4 * (2 * alpha + 1))) < 0.005, qPrintable(QString::number(var)));
        }
        Rng a(3), b(3);
        QCOMPARE(drawBeta(a, 1.0), drawBeta(b, 1.0));  // same seed, same draw
        Rng c(3);
        QVERIFY_THROWS_EXCEPTION(std::exception, drawBeta(c, 0.0));
    }

    void mixupBlendsRowsWithTheirPartners() {
        BatchMix m;
        m.lambda = 0.25;
        m.partner = {1, 0};
        const auto x = torch::tensor({1.0f, 2.0f, 3.0f, 4.0f}).view({2, 2});
        // Row 0: 0.25·(1, 2) + 0.75·(3, 4) = (2.5, 3.5); row 1: 0.25·(3, 4) + 0.75·(1, 2) = (1.5, 2.5).
        QCOMPARE(values(applyMix(x, m)), (std::vector<float>{2.5f, 3.5f, 1.5f, 2.5f}));
        QCOMPARE(values(partnerLabels(torch::tensor({4, 9}, torch::kInt64), m)), (std::vector<float>{9, 4}));
        Rng rng(5);
        const BatchMix drawn = drawMixup(rng, 6, 1.0);
        std::vector<int64_t> sorted = drawn.partner;
        std::sort(sorted.begin(), sorted.end());
        QCOMPARE(sorted, (std::vector<int64_t>{0, 1, 2, 3, 4, 5}));  // a permutation
        QVERIFY(drawn.lambda > 0 && drawn.lambda < 1);
    }

    void cutmixPastesTheBoxAndWeighsByItsArea() {
        BatchMix m;
        m.cut = true;
        m.partner = {1, 0};
        m.top = 1;
        m.left = 2;
        m.height = 2;
        m.width = 1;
        const auto x = torch::cat({torch::zeros({1, 1, 3, 4}), torch::ones({1, 1, 3, 4})});
        const auto out = applyMix(x, m);
        // Image 0 gets ones at rows 1–2 of column 2; image 1 zeros there.
        QCOMPARE(values(out[0]), (std::vector<float>{0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0}));
        QCOMPARE(out[1].sum().item<float>(), 10.0f);
        for (uint64_t seed = 0; seed < 20; ++seed) {
            Rng rng(seed);
            const BatchMix c = drawCutMix(rng, 4, 28, 28, 1.0);
            QVERIFY(c.top >= 0 && c.left >= 0 && c.top + c.height <= 28 && c.left + c.width <= 28);
            QCOMPARE(c.lambda, 1 - double(c.height * c.width) / (28.0 * 28.0));  // the exact share
        }
    }

    void samPerturbsAlongTheNormalisedGradient() {
        // Two parameters with gradients (1, 2) and (2): ‖g‖ = 3, ρ = 0.6 → ε = 0.2·g.
        auto a = torch::tensor({1.0f, 1.0f}), b = torch::tensor({5.0f});
        SharpnessPerturbation eps({a, b}, {torch::tensor({1.0f, 2.0f}), torch::tensor({2.0f})}, 0.6);
        QVERIFY(near(a, torch::tensor({1.2f, 1.4f}), 1e-6));
        QVERIFY(near(b, torch::tensor({5.4f}), 1e-6));
        eps.restore();
        QVERIFY(near(a, torch::tensor({1.0f, 1.0f}), 1e-6));
        QVERIFY(near(b, torch::tensor({5.0f}), 1e-6));

        // A SAM step on f(w) = ½‖w‖² (gradient w) from w = (3, 4), ρ = 0.5, lr 0.1:
        // ε = 0.5·(3, 4)/5 = (0.3, 0.4); the gradient at w + ε is (3.3, 4.4); w ← (2.67, 3.56).
        auto w = torch::tensor({3.0f, 4.0f}).requires_grad_(true);
        (w.pow(2).sum() * 0.5).backward();
        SharpnessPerturbation step({w}, {w.grad().clone()}, 0.5);
        w.mutable_grad().zero_();
        (w.pow(2).sum() * 0.5).backward();
        step.restore();
        {
            torch::NoGradGuard g;
            w.sub_(w.grad() * 0.1);
        }
        QVERIFY(near(w, torch::tensor({2.67f, 3.56f}), 1e-5));
    }

    void batchNormStatisticsFreezeKeepsRunningStatistics() {
        torch::nn::Sequential net(torch::nn::BatchNorm2d(2));
        net->train();
        const auto x = torch::arange(16, torch::kFloat32).view({2, 2, 2, 2});
        auto* bn = net[0]->as<torch::nn::BatchNorm2d>();
        {
            const BatchNormStatisticsFreeze freeze(*net);
            net->forward(x);
            QVERIFY(near(bn->running_mean, torch::zeros({2}), 1e-12));
            QVERIFY(near(bn->running_var, torch::ones({2}), 1e-12));
        }
        QCOMPARE(bn->num_batches_tracked.item<int64_t>(), int64_t(0));  // given back as it was
        net->forward(x);  // thawed: channel 0 holds 0..3 and 8..11, mean 5.5 → 0.1·5.5
        QVERIFY(near(bn->running_mean, torch::tensor({0.55f, 0.95f}), 1e-5));
        QCOMPARE(bn->num_batches_tracked.item<int64_t>(), int64_t(1));
    }

    void maxNormProjectsRowsOutsideTheBall() {
        auto w = torch::tensor({3.0f, 4.0f, 0.3f, 0.4f, 0.0f, 2.0f}).view({3, 2});
        QCOMPARE(projectRowNorms(w, 1.0), int64_t(2));
        // (3, 4) → (0.6, 0.8); (0.3, 0.4) stays; (0, 2) → (0, 1).
        QVERIFY(near(w, torch::tensor({0.6f, 0.8f, 0.3f, 0.4f, 0.0f, 1.0f}).view({3, 2}), 1e-6));
        TinyProblem p;
        auto m = p.model();
        QVERIFY(linearHeadWeight(*m).defined());
        QCOMPARE(linearHeadWeight(*m).size(0), int64_t(3));
        ModelInput in;
        in.features = 2;
        QVERIFY(!linearHeadWeight(*makeSeededModel(7, "mlp", in, 3, true, 5)).defined());  // cosine head
    }

    void tauNormalisationRescalesRowsAndDropsTheBias() {
        // Class 0's row is twice as long: τ = 0 favours it, τ = 1 makes both unit vectors.
        const auto w = torch::tensor({2.0f, 0.0f, 0.0f, 1.0f}).view({2, 2});
        QVERIFY(near(tauNormalizedRows(w, 0.5), torch::tensor({std::sqrt(2.0f), 0.0f, 0.0f, 1.0f}).view({2, 2}), 1e-6));
        QVERIFY(near(tauNormalizedRows(w, 2.0), torch::tensor({0.5f, 0.0f, 0.0f, 1.0f}).view({2, 2}), 1e-6));
        // f = (1, 1.5) of class 1: τ = 0 → logits (2, 1.5), wrong; τ = 1 → (1, 1.5), right.
        // f = (1, 0.3) of class 0: right for every τ here.
        const auto f = torch::tensor({1.0f, 1.5f, 1.0f, 0.3f}).view({2, 2});
        const auto errors = tauNormBalancedErrors(f, w, {1, 0}, {0.0, 1.0, 2.0});
        QCOMPARE(errors, (std::vector<double>{0.5, 0.0, 0.0}));
        QCOMPARE(tauGrid().size(), size_t(21));
        QCOMPARE(tauGrid()[10], 1.0);
        // The features are what the head reads: head(features(x)) is the forward pass.
        TinyProblem p;
        auto m = p.model();
        const auto feats = featuresOf(*m, p.x, 3, nullptr);
        QCOMPARE(feats.size(0), int64_t(8));
        const auto params = m->named_parameters();
        QVERIFY(near(feats.matmul(params["linear.weight"].t()) + params["linear.bias"], m->forward(p.x), 1e-5));
    }

    void lwsScalesFoldIntoTheHead() {
        // W = [[1, 2], [3, 4]], b = (1, −1), s = (2, 0.5) → W' = [[2, 4], [1.5, 2]], b' = (2, −0.5);
        // for f = (1, 1): s_j·(w_j·f + b_j) = (2·4, 0.5·6) = (8, 3) = W'f + b'.
        const auto w = torch::tensor({1.0f, 2.0f, 3.0f, 4.0f}).view({2, 2});
        const auto b = torch::tensor({1.0f, -1.0f});
        const auto [w2, b2] = scaledHead(w, b, torch::tensor({2.0f, 0.5f}));
        QVERIFY(near(w2, torch::tensor({2.0f, 4.0f, 1.5f, 2.0f}).view({2, 2}), 1e-6));
        QVERIFY(near(b2, torch::tensor({2.0f, -0.5f}), 1e-6));
        QVERIFY(near(w2.matmul(torch::ones({2})) + b2, torch::tensor({8.0f, 3.0f}), 1e-6));
    }

    void pipelineStepsMatchTheMethodsWrittenOut_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("pipeline");
        for (const char* pipeline : {"host", "device"}) {
            QTest::newRow(qPrintable(QString("mixup/%1").arg(pipeline))) << "mixup" << pipeline;
            QTest::newRow(qPrintable(QString("sam/%1").arg(pipeline))) << "sam" << pipeline;
            QTest::newRow(qPrintable(QString("max-norm/%1").arg(pipeline))) << "max-norm" << pipeline;
        }
        QTest::newRow("imbsam/host") << "imbsam" << "host";  // the device pipeline leaves ImbSAM to the host
    }
    void pipelineStepsMatchTheMethodsWrittenOut() {
        QFETCH(QString, method);
        QFETCH(QString, pipeline);
        TinyProblem p;
        const auto w = torch::tensor({1.0f, 2.0f, 3.0f});  // class weights: the shares must use them
        StepExtras ex;
        if (method == "mixup") ex.mixupAlpha = 1.0;
        if (method == "sam" || method == "imbsam") ex.samRho = 0.3;
        if (method == "imbsam") ex.samTail = {false, false, true};
        if (method == "max-norm") ex.maxNorm = 0.5;
        const double lr = 0.1;

        auto trained = p.model();
        AdjustedCrossEntropyLoss ce = AdjustedCrossEntropyLoss::plain(3);
        const auto pipe = pipelineFor(pipeline.toStdString(), *trained, ce, p.x, p.y, Normalization{}, tinyOptions(ex));
        std::vector<int64_t> order(8);
        std::iota(order.begin(), order.end(), int64_t(0));
        Rng rng(42), rngByHand(42);
        pipe->beginEpoch(order, rng, lr, {1.0, 2.0, 3.0});
        QVERIFY(!pipe->step(0));

        auto hand = p.model();
        const auto params = hand->parameters();
        const auto all = torch::arange(8, torch::kInt64);
        auto zeroGrads = [&] {
            for (auto& q : params)
                if (q.grad().defined()) q.mutable_grad().zero_();
        };
        // SAM's ε by hand from the gradients in .grad(): ρ·g/‖g‖ over all parameters, applied.
        auto perturbByHand = [&] {
            torch::Tensor squares = torch::zeros({});
            for (auto& q : params) squares = squares + q.grad().pow(2).sum();
            const auto scale = 0.3 / squares.sqrt();
            std::vector<torch::Tensor> eps;
            torch::NoGradGuard g;
            for (auto& q : params) eps.push_back(q.grad() * scale), q.add_(eps.back());
            return eps;
        };
        if (method == "mixup") {
            const BatchMix mix = drawMixup(rngByHand, 8, 1.0);
            const auto partner = torch::tensor(mix.partner, torch::kInt64);
            const auto x = p.x * mix.lambda + p.x.index_select(0, partner) * (1 - mix.lambda);
            const auto z = hand->forward(x);
            (ceShare(z, p.y, w, all) * mix.lambda + ceShare(z, p.y.index_select(0, partner), w, all) * (1 - mix.lambda)).backward();
            sgd(*hand, lr);
        } else if (method == "sam") {
            ceShare(hand->forward(p.x), p.y, w, all).backward();
            const auto eps = perturbByHand();
            zeroGrads();
            ceShare(hand->forward(p.x), p.y, w, all).backward();
            {
                torch::NoGradGuard g;
                for (size_t i = 0; i < params.size(); ++i) params[i].sub_(eps[i]);
            }
            sgd(*hand, lr);
        } else if (method == "imbsam") {
            const auto tail = torch::tensor({2, 5}, torch::kInt64), head = torch::tensor({0, 1, 3, 4, 6, 7}, torch::kInt64);
            ceShare(hand->forward(p.x), p.y, w, head).backward();
            std::vector<torch::Tensor> headGrads;
            for (auto& q : params) headGrads.push_back(q.grad().clone());
            zeroGrads();
            ceShare(hand->forward(p.x), p.y, w, tail).backward();
            const auto eps = perturbByHand();
            zeroGrads();
            ceShare(hand->forward(p.x), p.y, w, tail).backward();
            {
                torch::NoGradGuard g;
                for (size_t i = 0; i < params.size(); ++i) {
                    params[i].sub_(eps[i]);
                    params[i].mutable_grad().add_(headGrads[i]);
                }
            }
            sgd(*hand, lr);
        } else {
            ceShare(hand->forward(p.x), p.y, w, all).backward();
            sgd(*hand, lr);
            torch::NoGradGuard g;
            auto head = hand->named_parameters()["linear.weight"];
            const auto norms = head.norm(2, 1, true);
            head.mul_(torch::where(norms > 0.5, 0.5 / norms, torch::ones_like(norms)));
        }
        const auto got = trained->named_parameters(), want = hand->named_parameters();
        for (const auto& item : want)
            QVERIFY2(near(got[item.key()], item.value(), 1e-6), qPrintable(QString::fromStdString(item.key())));
        if (method == "max-norm") {
            const auto norms = trained->named_parameters()["linear.weight"].norm(2, 1);
            QVERIFY(norms.max().item<double>() <= 0.5 + 1e-6);
        }
        const StepTotals t = pipe->drain();
        QCOMPARE(t.steps, int64_t(1));
        QCOMPARE(std::accumulate(t.seen.begin(), t.seen.end(), int64_t(0)), int64_t(8));
    }

    // Two epochs of 3 steps (the last one short) on augmented 1×8×8 images through the small CNN
    // (BatchNorm), with momentum and weight decay: the device pipeline draws the epoch's crops,
    // flips and mixes up front, the host pipeline step by step, and both end with the same weights,
    // running statistics and per-class counts.
    void devicePipelineMatchesTheHostPipeline_data() {
        QTest::addColumn<double>("mixup");
        QTest::addColumn<double>("cutmix");
        QTest::addColumn<double>("sam");
        QTest::addColumn<double>("maxNorm");
        QTest::addColumn<bool>("channelsLast");  // the device pipeline flattens in memory order
        QTest::newRow("mixup") << 1.0 << 0.0 << 0.0 << 0.0 << false;
        QTest::newRow("cutmix") << 0.0 << 1.0 << 0.0 << 0.0 << false;
        QTest::newRow("sam") << 0.0 << 0.0 << 0.2 << 0.0 << false;
        QTest::newRow("max-norm") << 0.0 << 0.0 << 0.0 << 0.3 << false;
        QTest::newRow("cutmix+sam+max-norm") << 0.0 << 1.0 << 0.2 << 0.3 << false;
        QTest::newRow("mixup+sam, channels-last") << 0.4 << 0.0 << 0.2 << 0.0 << true;
    }
    void devicePipelineMatchesTheHostPipeline() {
        QFETCH(double, mixup);
        QFETCH(double, cutmix);
        QFETCH(double, sam);
        QFETCH(double, maxNorm);
        QFETCH(bool, channelsLast);
        torch::manual_seed(5);
        const int64_t n = 20;
        const auto y = torch::tensor(std::vector<int64_t>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2});
        const auto x = (torch::rand({n, 1, 8, 8}) * 60 + y.to(torch::kFloat32).view({-1, 1, 1, 1}) * 80).to(torch::kUInt8);
        const auto norm = Normalization::fromMeanStd({0.4}, {0.3}, torch::Device(torch::kCPU));
        HostPipelineOptions o;
        o.batch = 8;
        o.stepsPerEpoch = 3;  // 8 + 8 + 4
        o.cropPad = 2;
        o.momentum = 0.9;
        o.weightDecay = 5e-4;
        o.classes = 3;
        o.lr = 0.05;
        o.channelsLast = channelsLast;
        o.extras.mixupAlpha = mixup;
        o.extras.cutmixAlpha = cutmix;
        o.extras.samRho = sam;
        o.extras.maxNorm = maxNorm;
        ModelInput in;
        in.channels = 1;
        in.height = in.width = 8;
        auto hostModel = makeSeededModel(9, "cnn", in, 3, false);
        auto deviceModel = makeSeededModel(9, "cnn", in, 3, false);
        if (channelsLast) layOutChannelsLast(*hostModel);
        QVERIFY(largestDifference(*hostModel, *deviceModel) == 0);
        AdjustedCrossEntropyLoss ce = AdjustedCrossEntropyLoss::plain(3);
        const auto host = pipelineFor("host", *hostModel, ce, x, y, norm, o);
        const auto device = pipelineFor("device", *deviceModel, ce, x, y, norm, o);
        Rng hostRng(17), deviceRng(17), orderRng(23);
        for (int epoch = 0; epoch < 2; ++epoch) {
            std::vector<int64_t> order(static_cast<size_t>(n));
            std::iota(order.begin(), order.end(), int64_t(0));
            orderRng.shuffle(order);
            const std::vector<double> weights = epoch == 0 ? std::vector<double>{} : std::vector<double>{0.5, 1.0, 2.0};
            host->beginEpoch(order, hostRng, 0.05, weights);
            device->beginEpoch(order, deviceRng, 0.05, weights);
            for (int64_t s = 0; s < o.stepsPerEpoch; ++s) {
                host->step(s);
                device->step(s);
            }
            const StepTotals a = host->drain(), b = device->drain();
            QCOMPARE(b.steps, a.steps);
            QCOMPARE(b.seen, a.seen);
            QCOMPARE(b.wrong, a.wrong);
            QVERIFY2(std::abs(a.lossSum - b.lossSum) < 1e-5,
                     qPrintable(QString("%1 vs %2").arg(a.lossSum).arg(b.lossSum)));
            QCOMPARE(b.divergedAtStep, int64_t(-1));
        }
        QCOMPARE(hostRng.below(1000000), deviceRng.below(1000000));  // the same draws were made
        const double worst = largestDifference(*hostModel, *deviceModel);
        QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
        if (maxNorm > 0) {
            const auto rows = linearHeadWeight(*deviceModel).norm(2, 1);
            QVERIFY(rows.max().item<double>() <= maxNorm + 1e-6);
        }
        if (mixup > 0 || cutmix > 0 || sam > 0) {  // the extra made a difference: not a plain run in disguise
            HostPipelineOptions plainOptions = o;
            plainOptions.extras = StepExtras{};
            auto plainModel = makeSeededModel(9, "cnn", in, 3, false);
            if (channelsLast) layOutChannelsLast(*plainModel);
            const auto plain = pipelineFor("device", *plainModel, ce, x, y, norm, plainOptions);
            Rng rng(17), plainOrderRng(23);
            for (int epoch = 0; epoch < 2; ++epoch) {
                std::vector<int64_t> order(static_cast<size_t>(n));
                std::iota(order.begin(), order.end(), int64_t(0));
                plainOrderRng.shuffle(order);
                plain->beginEpoch(order, rng, 0.05, {});
                for (int64_t s = 0; s < o.stepsPerEpoch; ++s) plain->step(s);
                plain->drain();
            }
            QVERIFY(largestDifference(*plainModel, *deviceModel) > 1e-3);
        }
    }

    void devicePipelineRefusesImbSam() {
        TinyProblem p;
        auto model = p.model();
        AdjustedCrossEntropyLoss ce = AdjustedCrossEntropyLoss::plain(3);
        StepExtras ex;
        ex.samRho = 0.1;
        ex.samTail = {false, false, true};
        QVERIFY_THROWS_EXCEPTION(TrainingError, pipelineFor("device", *model, ce, p.x, p.y, Normalization{}, tinyOptions(ex)));
    }

    void labelAwareSmoothingFollowsClassSize() {
        // ε_j = ε_tail + (ε_head − ε_tail)·sin((n_j − n_K)π / (2(n_1 − n_K))): n = 100, 50, 10.
        const auto eps = labelAwareEpsilons({100, 50, 10}, 0.3, 0.0);
        QCOMPARE(eps.size(), size_t(3));
        QVERIFY(std::abs(eps[0] - 0.3) < 1e-12);
        QVERIFY(std::abs(eps[1] - 0.3 * std::sin(40.0 * M_PI / 180.0)) < 1e-12);  // 0.19284
        QVERIFY(std::abs(eps[2]) < 1e-12);
        for (double e : labelAwareEpsilons({7, 7}, 0.2, 0.1)) QCOMPARE(e, 0.2);
        // Logits (1, 2, 0), y = 1 with ε_1 = 0.1: 0.9·(−log p_1) + 0.1·mean_j(−log p_j).
        const double lse = std::log(std::exp(1.0) + std::exp(2.0) + 1.0);
        const double nll = lse - 2.0, smooth = ((lse - 1.0) + (lse - 2.0) + lse) / 3.0;
        const auto loss = labelAwareSmoothingLoss(torch::tensor({1.0f, 2.0f, 0.0f}).view({1, 3}),
                                                  torch::tensor({1}, torch::kInt64), torch::tensor({0.3f, 0.1f, 0.0f}));
        QVERIFY(std::abs(loss.item<double>() - (0.9 * nll + 0.1 * smooth)) < 1e-6);
    }

    void classBalancedSoftmaxBceWeighsEveryEntryByTheLabel() {
        // Row 1: p = (1/8, 2/8, 5/8), y = 2 (weight 0.5); row 2: p = 1/3 each, y = 0 (weight 2).
        const auto z = torch::tensor({0.0f, float(std::log(2.0)), float(std::log(5.0)), 0.0f, 0.0f, 0.0f}).view({2, 3});
        const auto loss = classBalancedSoftmaxBce(z, torch::tensor({2, 0}, torch::kInt64), torch::tensor({2.0f, 1.0f, 0.5f}));
        const double row1 = 0.5 * (std::log(8.0 / 7.0) + std::log(4.0 / 3.0) + std::log(8.0 / 5.0));
        const double row2 = 2.0 * (std::log(3.0) + 2 * std::log(1.5));
        QVERIFY(std::abs(loss.item<double>() - (row1 + row2) / 6.0) < 1e-6);
    }

    void weightBalancingStageBoundsTheRowsByTheFirstStagesNorms() {
        SecondStageSource src = tinyImageRun();
        const auto before = buffersOf(*src.model);
        const auto firstNorms = src.model->named_parameters()["linear.weight"].detach().norm(2, 1);
        const double lo = firstNorms.min().item<double>(), hi = firstNorms.max().item<double>();
        const double radius = lo + 0.1 * (hi - lo);  // their MaxNorm threshold 0.1
        SecondStageConfig cfg;
        cfg.kind = "wb";
        cfg.epochs = 2;
        cfg.batchSize = 8;
        cfg.lr = 0.5;  // large enough that the rows move
        cfg.weightDecay = 0;  // only the projection keeps them short
        SecondStage stage(src, cfg);
        ReportLog log;
        RunControl control;
        const RunSummary s = stage.run(log, control);
        QCOMPARE(int(s.status), int(RunStatus::Finished));
        QCOMPARE(log.reports.size(), size_t(2));
        QCOMPARE(log.reports[0].epoch, 2);  // after the first stage's epochs 0 and 1
        QCOMPARE(log.reports[1].epoch, 3);
        SecondStageConfig paper;
        paper.kind = "wb";
        QCOMPARE(secondStageWeightDecay(paper), 5e-3);
        QCOMPARE(secondStageLr(paper), 0.01);
        stage.writeHeadInto(*src.model);
        const auto norms = src.model->named_parameters()["linear.weight"].detach().norm(2, 1);
        QVERIFY2(norms.max().item<double>() <= radius + 1e-5, qPrintable(QString::number(norms.max().item<double>())));
        const auto after = buffersOf(*src.model);  // the backbone's statistics are not touched
        for (size_t i = 0; i < before.size(); ++i) QVERIFY(torch::equal(before[i], after[i]));
    }

    void secondStageReportsContinueTheRunsClockOnOneThread() {
        // A run whose first stage took 100 s: the stage's reports count on from there (a queue's
        // ETA reads them), say how long is left, and claim no img/s (the head sees feature rows).
        // The head trains on one CPU thread, so its numbers do not depend on the machine's cores,
        // and the process's count is as the stage found it afterwards.
        struct ThreadsLog : ReportLog {
            std::vector<int> threads;
            void onReport(const MetricsReport& r) override {
                ReportLog::onReport(r);
                threads.push_back(torch::get_num_threads());
            }
        };
        const int given = torch::get_num_threads();
        torch::set_num_threads(2);
        SecondStageSource src = tinyImageRun();
        SecondStageConfig cfg;
        cfg.kind = "crt";
        cfg.epochs = 3;
        cfg.batchSize = 8;
        SecondStage stage(src, cfg);
        ThreadsLog log;
        RunControl control;
        const RunSummary s = stage.run(log, control, 100.0);
        const int after = torch::get_num_threads();
        torch::set_num_threads(given);
        QCOMPARE(int(s.status), int(RunStatus::Finished));
        QCOMPARE(after, 2);
        QCOMPARE(stage.info().cpuThreads, 1);
        QCOMPARE(log.threads, std::vector<int>(3, 1));
        QCOMPARE(log.reports.size(), size_t(3));
        double previous = 100.0;
        for (const MetricsReport& r : log.reports) {
            QVERIFY2(r.elapsedSeconds > previous, qPrintable(QString::number(r.elapsedSeconds)));
            previous = r.elapsedSeconds;
            QCOMPARE(r.imgPerSec, 0.0);
        }
        QVERIFY(log.reports[0].etaSeconds > 0);  // two of three epochs left
        QCOMPARE(log.reports[2].etaSeconds, 0.0);
    }

    void mislasReestimatesBatchNormAndPutsItBackWhenStopped() {
        SecondStageSource src = tinyImageRun();
        auto runningMean = [&] { return src.model->named_buffers()["bn1.running_mean"].clone(); };
        const auto fresh = runningMean();
        SecondStageConfig cfg;
        cfg.kind = "mislas";
        cfg.epochs = 1;
        cfg.batchSize = 6;
        {
            SecondStage stage(src, cfg);
            QVERIFY(!torch::equal(runningMean(), fresh));  // the class-balanced statistics
            ReportLog log;
            RunControl control;
            control.cancel = true;
            QCOMPARE(int(stage.run(log, control).status), int(RunStatus::Cancelled));
            QVERIFY(torch::equal(runningMean(), fresh));  // as the first stage left it
        }
        SecondStage stage(src, cfg);
        const auto reestimated = runningMean();
        ReportLog log;
        RunControl control;
        const RunSummary s = stage.run(log, control);
        QCOMPARE(int(s.status), int(RunStatus::Finished));
        QVERIFY(torch::equal(runningMean(), reestimated));
        QVERIFY(std::isfinite(s.finalReport.balancedError));
        QCOMPARE(secondStageWeightDecay(cfg), 2e-4);
        QCOMPARE(secondStageLr(cfg), 0.1);
        // Counts 12, 8, 4: ρ = 3, three classes: their CIFAR-10-LT ρ = 10 row.
        QCOMPARE(stage.config().smoothHead, 0.1);
        QCOMPARE(stage.config().smoothTail, 0.0);
        QCOMPARE(stage.headLrFactor(), 0.2);
        // Values the user gives are kept. The first run's speed settings and short-run evaluation
        // plan are not the stage's (it trains its head in fp32 on the CPU, evaluated per epoch).
        cfg.smoothHead = 0.25;
        cfg.smoothTail = 0.05;
        src.info.precision = "bf16";
        src.info.channelsLast = true;
        src.info.speedNote = "fast (bf16 + channels-last): measured";
        src.info.evaluationsPerEpoch = 4;
        src.info.midEpochTestRows = 9;
        SecondStage given(src, cfg);
        QCOMPARE(given.config().smoothHead, 0.25);
        QCOMPARE(given.config().smoothTail, 0.05);
        QCOMPARE(given.info().precision, std::string("fp32"));
        QVERIFY(!given.info().channelsLast);
        QVERIFY(given.info().speedNote.empty());
        QCOMPARE(given.info().evaluationsPerEpoch, 1);
        QCOMPARE(given.info().midEpochTestRows, int64_t(0));
        QCOMPARE(given.info().pipeline, std::string("features"));
    }

    // MiSLAS's official stage-2 configurations (config/cifar10|cifar100/*_stage2_mislas.yaml):
    // ε_head, ε_tail and lr_factor by class count and ρ, the nearest setting on log scales.
    void mislasPaperValuesFollowTheirConfigurations() {
        auto check = [](int k, double rho, double head, double tail, double lrFactor, const char* after) {
            const MislasValues v = mislasPaperValues(k, rho);
            QCOMPARE(v.smoothHead, head);
            QCOMPARE(v.smoothTail, tail);
            QCOMPARE(v.headLrFactor, lrFactor);
            QCOMPARE(QString::fromStdString(v.after), QString::fromUtf8(after));
        };
        check(10, 100, 0.3, 0.0, 0.5, "CIFAR-10-LT ρ = 100");
        check(10, 50, 0.2, 0.0, 0.2, "CIFAR-10-LT ρ = 50");
        check(10, 10, 0.1, 0.0, 0.2, "CIFAR-10-LT ρ = 10");
        check(100, 100, 0.4, 0.1, 0.2, "CIFAR-100-LT ρ = 100");
        check(100, 50, 0.3, 0.0, 0.1, "CIFAR-100-LT ρ = 50");
        check(100, 10, 0.2, 0.0, 0.1, "CIFAR-100-LT ρ = 10");
        // Between settings: the boundaries are √500 ≈ 22.4 and √5000 ≈ 70.7 in ρ, √1000 ≈ 31.6 in k.
        check(10, 22, 0.1, 0.0, 0.2, "CIFAR-10-LT ρ = 10");
        check(10, 23, 0.2, 0.0, 0.2, "CIFAR-10-LT ρ = 50");
        check(10, 71, 0.3, 0.0, 0.5, "CIFAR-10-LT ρ = 100");
        check(10, 1000, 0.3, 0.0, 0.5, "CIFAR-10-LT ρ = 100");
        check(31, 100, 0.3, 0.0, 0.5, "CIFAR-10-LT ρ = 100");
        check(32, 100, 0.4, 0.1, 0.2, "CIFAR-100-LT ρ = 100");
        check(2, 1, 0.1, 0.0, 0.2, "CIFAR-10-LT ρ = 10");
    }
};

QTEST_APPLESS_MAIN(TestStepExtras)
#include "tst_step_extras.moc"
