// The text models: packing as PyTorch packs, our BiLSTM kernel against LibTorch's own lstm (the
// same outputs, and the same gradients to 1e-4, as the issue asks), the bag's mean computed by
// hand, padding and batch company that change nothing, and PyTorch's parameter names.
#include "models/model_factory.h"
#include "models/packed_lstm.h"
#include "models/text_models.h"

#include <torch/torch.h>

#include <QtTest>

using namespace imblab;

namespace {

double maxDiff(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }

// Two copies of one LSTM: ours and LibTorch's lstm, same weights.
std::pair<std::shared_ptr<PackedBiLstmImpl>, std::shared_ptr<PackedBiLstmImpl>> twins(int64_t in, int64_t hidden) {
    torch::manual_seed(11);
    auto own = std::make_shared<PackedBiLstmImpl>(in, hidden, 2);
    auto ref = std::make_shared<PackedBiLstmImpl>(in, hidden, 2);
    ref->ownKernel = false;
    torch::NoGradGuard g;
    const auto a = own->parameters(), b = ref->parameters();
    for (size_t i = 0; i < a.size(); ++i) b[i].copy_(a[i]);
    return {own, ref};
}

} // namespace

class TestTextModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Rows [5 6 7 0], [8 0 0 0], [9 10 0 0]: sorted 3, 2, 1 words (rows 0, 2, 1); step 0 takes all
    // three, step 1 two, step 2 one; token i of row r sits at r·4 + i.
    void packsAsPyTorchPacks() {
        const auto ids = torch::tensor({5, 6, 7, 0, 8, 0, 0, 0, 9, 10, 0, 0}, torch::kInt64).view({3, 4});
        const PackedBatch p = packPadded(ids);
        QCOMPARE(p.order, (std::vector<int64_t>{0, 2, 1}));
        QCOMPARE(p.lengths, (std::vector<int64_t>{3, 2, 1}));
        QCOMPARE(p.batchSizes, (std::vector<int64_t>{3, 2, 1}));
        const auto index = p.tokenIndex.to(torch::kCPU);
        QCOMPARE(std::vector<int64_t>(index.data_ptr<int64_t>(), index.data_ptr<int64_t>() + index.numel()),
                 (std::vector<int64_t>{0, 8, 4, 1, 9, 2}));
        QVERIFY_THROWS_EXCEPTION(std::exception, packPadded(torch::zeros({1, 3}, torch::kInt64)));
    }

    void kernelMatchesLibTorchsLstm_data() {
        QTest::addColumn<int>("hidden");
        QTest::addColumn<QList<int>>("lengths");
        QTest::newRow("small, ragged") << 4 << QList<int>{5, 3, 3, 1};
        // A width the vector loops do not divide (19), a long and a one-word text.
        QTest::newRow("odd width") << 19 << QList<int>{9, 7, 7, 2, 1, 1};
        QTest::newRow("one sequence") << 8 << QList<int>{6};
    }
    void kernelMatchesLibTorchsLstm() {
        QFETCH(int, hidden);
        QFETCH(QList<int>, lengths);
        const int64_t in = 5;
        std::vector<int64_t> batchSizes;
        for (int t = 0; t < lengths.front(); ++t) {
            int64_t b = 0;
            for (int L : lengths) b += L > t;
            batchSizes.push_back(b);
        }
        int64_t rows = 0;
        for (int64_t b : batchSizes) rows += b;
        auto [own, ref] = twins(in, hidden);
        torch::manual_seed(3);
        const auto x = torch::randn({rows, in});
        const auto weight = torch::randn({rows, 2 * int64_t(hidden)});  // a loss that reaches every output
        auto xa = x.clone().requires_grad_(true), xb = x.clone().requires_grad_(true);
        const auto ya = own->forward(xa, batchSizes), yb = ref->forward(xb, batchSizes);
        QVERIFY2(maxDiff(ya, yb) < 1e-5, qPrintable(QString::number(maxDiff(ya, yb))));
        (ya * weight).sum().backward();
        (yb * weight).sum().backward();
        QVERIFY2(maxDiff(xa.grad(), xb.grad()) < 1e-4, qPrintable(QString::number(maxDiff(xa.grad(), xb.grad()))));
        const auto pa = own->named_parameters(), pb = ref->named_parameters();
        for (size_t i = 0; i < pa.size(); ++i) {
            const double d = maxDiff(pa[i].value().grad(), pb[i].value().grad());
            QVERIFY2(d < 1e-4, qPrintable(QString::fromStdString(pa[i].key()) + " " + QString::number(d)));
        }
    }

    // PyTorch's nn.LSTM(bidirectional=True, num_layers=2) names, shapes, and ±1/√H init.
    void lstmHasPyTorchsNamesAndShapes() {
        const PackedBiLstmImpl lstm(7, 3, 2);
        const auto p = lstm.named_parameters();
        QCOMPARE(int(p.size()), 16);
        QCOMPARE(p[0].key(), std::string("weight_ih_l0"));
        QCOMPARE(p[0].value().sizes().vec(), (std::vector<int64_t>{12, 7}));
        QCOMPARE(p[4].key(), std::string("weight_ih_l0_reverse"));
        QCOMPARE(p[8].key(), std::string("weight_ih_l1"));
        QCOMPARE(p[8].value().sizes().vec(), (std::vector<int64_t>{12, 6}));  // layer 2 reads both directions: 2·3
        QCOMPARE(p[15].key(), std::string("bias_hh_l1_reverse"));
        for (const auto& e : p) QVERIFY(e.value().abs().max().item<double>() <= 1.0 / std::sqrt(3.0));
    }

    // Embedding rows by hand: the bag of [2 3 3 0] is (e2 + 2·e3)/3.
    void bagIsTheMeanOfItsWords() {
        torch::manual_seed(1);
        TextBagImpl bag(5, 4, 2, false);
        const auto ids = torch::tensor({2, 3, 3, 0, 4, 0, 0, 0}, torch::kInt64).view({2, 4});
        torch::NoGradGuard g;
        const auto f = bag.features(ids);
        const auto e = bag.embedding->weight;
        QVERIFY(maxDiff(f[0], (e[2] + 2 * e[3]) / 3) < 1e-6);
        QVERIFY(maxDiff(f[1], e[4]) < 1e-6);
        QCOMPARE(e[0].abs().sum().item<double>(), 0.0);  // <pad>'s row is zero
        QCOMPARE(bag.named_parameters()[0].key(), std::string("embedding.weight"));
    }

    // More padding, or other texts in the batch, change nothing of a text's logits.
    void paddingAndCompanyChangeNothing() {
        torch::manual_seed(2);
        auto net = makeSeededModel(4, "bilstm", textModelInput(30, 8), 3, false, ModelSizes(64, 6, 5));
        net->eval();
        torch::NoGradGuard g;
        const auto alone = net->forward(torch::tensor({7, 8, 9}, torch::kInt64).view({1, 3}));
        const auto padded = net->forward(torch::tensor({7, 8, 9, 0, 0, 0}, torch::kInt64).view({1, 6}));
        const auto inBatch = net->forward(torch::tensor({4, 5, 6, 7, 11, 0, 7, 8, 9, 0, 0, 0, 3, 0, 0, 0, 0, 0}, torch::kInt64).view({3, 6}));
        QVERIFY(maxDiff(alone, padded) < 1e-6);
        QVERIFY(maxDiff(alone[0], inBatch[1]) < 1e-5);
        QCOMPARE(inBatch.sizes().vec(), (std::vector<int64_t>{3, 3}));
        const auto d = describeModel("bilstm", textModelInput(30, 8), 3, false, ModelSizes(64, 6, 5));
        // embedding 30·6, layer 1: 2·(4·5·(6+5) + 2·4·5), layer 2: 2·(4·5·(10+5) + 2·4·5), head 10·3 + 3
        QCOMPARE(d.parameterCount, int64_t(30 * 6 + 2 * (20 * 11 + 40) + 2 * (20 * 15 + 40) + 33));
        QCOMPARE(d.outputShape, (std::vector<int64_t>{2, 3}));
        QVERIFY_THROWS_EXCEPTION(std::exception, makeModel("cnn", textModelInput(30, 8), 3, false));
        QVERIFY_THROWS_EXCEPTION(std::exception, makeModel("bilstm", {1, 28, 28, 0}, 3, false));
    }
};

QTEST_APPLESS_MAIN(TestTextModels)
#include "tst_text_models.moc"
