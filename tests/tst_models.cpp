// Network shapes, parameter counts and PyTorch-compatible names.
#include "errors.h"
#include "models/model_factory.h"

#include <QtTest>

using namespace imblab;

namespace {
const ParameterInfo* find(const ModelDescription& d, const std::string& name) {
    for (const auto& e : d.entries)
        if (e.name == name) return &e;
    return nullptr;
}
} // namespace

class TestModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void resnet32ReferenceCount() {
        // The reference ResNet-32 for CIFAR-10 (option A) has 464,154 parameters:
        // conv1 432 + bn1 32 + stages (23,360 + 2·… ) … + linear 64·10 + 10.
        const auto d = describeModel("resnet32", {3, 32, 32, 0}, 10, false);
        QCOMPARE(d.parameterCount, int64_t(464154));
        QCOMPARE(d.outputShape, (std::vector<int64_t>{2, 10}));
        // The normalized head has no bias: 10 parameters fewer, weight stored [in, classes].
        const auto n = describeModel("resnet32", {3, 32, 32, 0}, 10, true);
        QCOMPARE(n.parameterCount, int64_t(464144));
        QCOMPARE(find(n, "linear.weight")->shape, (std::vector<int64_t>{64, 10}));
        QVERIFY(!find(n, "linear.bias"));
    }

    void resnet32Names() {
        const auto d = describeModel("resnet32", {1, 32, 32, 0}, 10, false);
        for (const char* name : {"conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
                                 "bn1.num_batches_tracked", "layer1.0.conv1.weight", "layer2.0.bn2.running_var",
                                 "layer3.4.conv2.weight", "linear.weight", "linear.bias"})
            QVERIFY2(find(d, name), name);
        QCOMPARE(find(d, "conv1.weight")->shape, (std::vector<int64_t>{16, 1, 3, 3}));  // dataset channels
        QCOMPARE(find(d, "layer3.0.conv1.weight")->shape, (std::vector<int64_t>{64, 32, 3, 3}));
        QCOMPARE(find(d, "linear.weight")->shape, (std::vector<int64_t>{10, 64}));
        QVERIFY(!find(d, "layer4.0.conv1.weight"));
        QVERIFY(!find(d, "bn1.running_mean")->trainable);
    }

    // torchvision's counts: ResNet-18 has 11,689,512 parameters and ResNet-50 25,557,032 with
    // 1000 classes, so with 10 the head shrinks from 512·1000 + 1000 (2048·1000 + 1000) to
    // 512·10 + 10 (2048·10 + 10). ResNet-10 (one block per stage), counted by hand: conv1 3·64·49
    // = 9,408, bn1 128, layer1 2·36,864 + 256, layer2 73,728 + 147,456 + 512 + downsample 8,192
    // + 256, layer3 294,912 + 589,824 + 1,024 + 32,768 + 512, layer4 1,179,648 + 2,359,296
    // + 2,048 + 131,072 + 1,024, head 5,130.
    void torchvisionResNetCounts() {
        QCOMPARE(describeModel("resnet18", {3, 64, 64, 0}, 10, false).parameterCount, int64_t(11689512 - 513000 + 5130));
        QCOMPARE(describeModel("resnet50", {3, 64, 64, 0}, 10, false).parameterCount, int64_t(25557032 - 2049000 + 20490));
        const int64_t resnet10 = 9408 + 128 + (2 * 36864 + 256) + (73728 + 147456 + 512 + 8192 + 256) +
                                 (294912 + 589824 + 1024 + 32768 + 512) + (1179648 + 2359296 + 2048 + 131072 + 1024) + 5130;
        const auto d = describeModel("resnet10", {3, 64, 64, 0}, 10, false);
        QCOMPARE(d.parameterCount, resnet10);
        QCOMPARE(d.outputShape, (std::vector<int64_t>{2, 10}));
    }

    // torchvision's names (the head "linear" inside, "fc" in exports) and shapes.
    void torchvisionResNetNames() {
        const auto d = describeModel("resnet50", {1, 64, 64, 0}, 7, false);
        for (const char* name : {"conv1.weight", "bn1.running_var", "layer1.0.conv3.weight", "layer1.0.downsample.0.weight",
                                 "layer1.0.downsample.1.running_mean", "layer4.2.bn3.bias", "linear.weight"})
            QVERIFY2(find(d, name), name);
        QCOMPARE(find(d, "conv1.weight")->shape, (std::vector<int64_t>{64, 1, 7, 7}));
        QCOMPARE(find(d, "layer2.0.conv2.weight")->shape, (std::vector<int64_t>{128, 128, 3, 3}));  // v1.5: stride here
        QCOMPARE(find(d, "linear.weight")->shape, (std::vector<int64_t>{7, 2048}));
        QVERIFY(!find(d, "layer1.1.downsample.0.weight"));
        const auto r18 = describeModel("resnet18", {3, 64, 64, 0}, 7, false);
        QVERIFY(!find(r18, "layer1.0.downsample.0.weight"));  // 64 → 64: identity shortcut
        QCOMPARE(find(r18, "layer2.0.downsample.0.weight")->shape, (std::vector<int64_t>{128, 64, 1, 1}));
        QVERIFY(!find(r18, "layer1.0.conv3.weight"));
        QCOMPARE(torchvisionExportName("resnet18", "linear.weight"), std::string("fc.weight"));
        QCOMPARE(torchvisionExportName("resnet32", "linear.weight"), std::string("linear.weight"));
        QCOMPARE(modelInputFor("resnet18", 1, 28, 28, 0).height, 32);  // small images padded as for ResNet-32
        QCOMPARE(modelInputFor("resnet18", 3, 96, 96, 0).height, 96);
    }

    void fashionMnistIsPaddedForResnet() {
        const auto in = modelInputFor("resnet32", 1, 28, 28, 0);
        QCOMPARE(in.height, 32);
        QCOMPARE(in.width, 32);
        QCOMPARE(modelInputFor("cnn", 1, 28, 28, 0).height, 28);
    }

    void smallCnnAndMlp() {
        const auto c = describeModel("cnn", {1, 28, 28, 0}, 10, false);
        // conv1 16·9 + bn 32 + conv2 32·16·9 + bn 64 + fc1 (32·7·7)·128 + 128 + linear 128·10 + 10.
        QCOMPARE(c.parameterCount, int64_t(144 + 32 + 4608 + 64 + 1568 * 128 + 128 + 1280 + 10));
        QCOMPARE(c.outputShape, (std::vector<int64_t>{2, 10}));
        const auto m = describeModel("mlp", {0, 0, 0, 2}, 3, true);
        // fc1 2·64 + 64, fc2 64·64 + 64, normalized head 64·3.
        QCOMPARE(m.parameterCount, int64_t(128 + 64 + 4096 + 64 + 192));
        QCOMPARE(m.outputShape, (std::vector<int64_t>{2, 3}));
    }

    void rejectsUnknownOrUnfit() {
        QVERIFY_THROWS_EXCEPTION(ConfigError, makeModel("resnet56", {3, 32, 32, 0}, 10, false));
        QVERIFY_THROWS_EXCEPTION(ConfigError, makeModel("cnn", {0, 0, 0, 2}, 2, false));
    }
};

QTEST_APPLESS_MAIN(TestModels)
#include "tst_models.moc"
