// Batched crop-with-padding, flip and normalization on a known image.
#include "training/augment.h"

#include <torch/torch.h>

#include <QtTest>

using namespace imblab;

class TestAugment : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cropAndFlip() {
        // One 1×3×3 image 1..9. Padding 1, offset (0, 0) shifts it down-right by one with zeros.
        const auto img = torch::arange(1, 10, torch::kUInt8).view({1, 1, 3, 3});
        const auto out = cropFlip(img, 1, {0}, {0}, {false}).to(torch::kInt32).contiguous().view({9});
        QCOMPARE(std::vector<int>(out.data_ptr<int>(), out.data_ptr<int>() + 9),
                 (std::vector<int>{0, 0, 0, 0, 1, 2, 0, 4, 5}));
        // Offset (1, 1) is the identity; with a flip each row reverses.
        auto id = cropFlip(img, 1, {1}, {1}, {false}).to(torch::kInt32).contiguous();
        QVERIFY(torch::equal(id, img.to(torch::kInt32)));
        auto fl = cropFlip(img, 1, {1}, {1}, {true}).to(torch::kInt32).contiguous().view({9});
        QCOMPARE(std::vector<int>(fl.data_ptr<int>(), fl.data_ptr<int>() + 9), (std::vector<int>{3, 2, 1, 6, 5, 4, 9, 8, 7}));
    }

    void perExampleOffsets() {
        const auto img = torch::arange(1, 10, torch::kUInt8).view({1, 1, 3, 3}).repeat({2, 1, 1, 1});
        auto out = cropFlip(img, 1, {2, 1}, {2, 1}, {false, false}).to(torch::kInt32).contiguous();
        // Example 0 shifted up-left (offset 2,2): first row 5 6 0; example 1 unchanged.
        QCOMPARE(out[0][0][0][0].item<int>(), 5);
        QCOMPARE(out[0][0][0][2].item<int>(), 0);
        QCOMPARE(out[1][0][2][2].item<int>(), 9);
    }

    void normalization() {
        const auto n = Normalization::fromMeanStd({0.5}, {0.25}, torch::kCPU);
        const auto x = torch::tensor(std::vector<uint8_t>{0, 255}).view({1, 1, 1, 2});
        const auto y = normalizeBatch(x, n);
        QVERIFY(std::abs(y[0][0][0][0].item<float>() + 2.0f) < 1e-5);  // (0 − 0.5)/0.25
        QVERIFY(std::abs(y[0][0][0][1].item<float>() - 2.0f) < 1e-5);  // (1 − 0.5)/0.25
    }
};

QTEST_APPLESS_MAIN(TestAugment)
#include "tst_augment.moc"
