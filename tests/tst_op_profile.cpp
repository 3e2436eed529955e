// Per-step profile tables from hand-made events: device busy time as the union of overlapping
// kernels, host self time with nested ops taken out, kernel families from real kernel names, and
// the Markdown numbers.
#include "training/op_profile.h"

#include <QtTest>

#include <string>

using namespace imblab;

namespace {

constexpr int64_t us = 1000;  // events are in ns; the tables below are written in µs

ProfiledEvent dev(const std::string& name, int64_t start, int64_t length) {
    return {name, true, 0, start * us, length * us};
}
ProfiledEvent host(const std::string& name, uint64_t thread, int64_t start, int64_t length) {
    return {name, false, thread, start * us, length * us};
}

const OpProfileRow* row(const OpProfile& p, const std::string& name, bool device) {
    for (const auto& r : p.rows)
        if (r.name == name && r.device == device) return &r;
    return nullptr;
}

} // namespace

class TestOpProfile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void deviceBusyIsTheUnionOfKernels() {
        // A [0,10) and B [5,20) overlap on two streams: 20 µs busy; A [30,40) holds C [35,36): 10 more.
        const auto p = summarizeProfile({dev("A", 30, 10), dev("B", 5, 15), dev("A", 0, 10), dev("C", 35, 1)}, 2, 100 * us);
        QCOMPARE(p.deviceBusyNs, 30 * us);
        QCOMPARE(p.deviceKernelNs, 36 * us);
        QCOMPARE(p.deviceCalls, int64_t(4));
        QCOMPARE(p.rows.size(), size_t(3));
        QCOMPARE(p.rows[0].name, std::string("A"));  // by time: A 20, B 15, C 1
        QCOMPARE(p.rows[0].calls, int64_t(2));
        QCOMPARE(p.rows[0].selfNs, 20 * us);
        QCOMPARE(p.rows[1].name, std::string("B"));
        QCOMPARE(p.rows[2].selfNs, 1 * us);
    }

    void hostSelfTimeLeavesOutNestedOps() {
        // Thread 1: step [0,100) holds conv [10,40) (which holds pad [15,25)) and conv [50,60).
        // Thread 2: load [0,30) holds copy [5,10). Self: step 60, conv 20+10, pad 10, load 25, copy 5.
        const auto p = summarizeProfile({host("conv", 1, 50, 10), host("step", 1, 0, 100), host("pad", 1, 15, 10),
                                         host("conv", 1, 10, 30), host("copy", 2, 5, 5), host("load", 2, 0, 30)},
                                        1, 100 * us);
        QCOMPARE(p.deviceCalls, int64_t(0));
        QCOMPARE(p.deviceBusyNs, int64_t(0));
        QCOMPARE(row(p, "step", false)->selfNs, 60 * us);
        QCOMPARE(row(p, "conv", false)->selfNs, 30 * us);
        QCOMPARE(row(p, "conv", false)->calls, int64_t(2));
        QCOMPARE(row(p, "pad", false)->selfNs, 10 * us);
        QCOMPARE(row(p, "load", false)->selfNs, 25 * us);
        QCOMPARE(row(p, "copy", false)->selfNs, 5 * us);
        QCOMPARE(p.rows.front().name, std::string("step"));
    }

    void anOpThatStartsWhenAnotherEndsIsNotInsideIt() {
        const auto p = summarizeProfile({host("a", 1, 0, 10), host("b", 1, 10, 5)}, 1, 15 * us);
        QCOMPARE(row(p, "a", false)->selfNs, 10 * us);
        QCOMPARE(row(p, "b", false)->selfNs, 5 * us);
    }

    void devicesAndHostsKeepApartRowsOfTheSameName() {
        const auto p = summarizeProfile({dev("x", 0, 4), host("x", 1, 0, 9)}, 1, 10 * us);
        QCOMPARE(p.rows.size(), size_t(2));
        QVERIFY(p.rows[0].device);  // device rows come first
        QCOMPARE(row(p, "x", true)->selfNs, 4 * us);
        QCOMPARE(row(p, "x", false)->selfNs, 9 * us);
    }

    void kernelFamilies_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("family");
        QTest::newRow("cuDNN fprop") << "sm90_xmma_fprop_implicit_gemm_bf16bf16_bf16f32_f32_nhwckrsc_nhwc_tilesize64x64x64"
                                     << "convolution (cuDNN/GEMM)";
        QTest::newRow("cuDNN wgrad") << "void cudnn::cnn::wgrad_alg0_engine<float, 128, 6, 8, 3, 3, 5, false, 512>(int)"
                                     << "convolution (cuDNN/GEMM)";
        QTest::newRow("cuDNN BN") << "void cudnn::bn_fw_tr_1C11_kernel_NCHW<float, float, int, 512, true, 1>(cudnnTensorStruct)"
                                  << "batch norm";
        QTest::newRow("ATen BN channels-last")
            << "void at::native::batch_norm_collect_statistics_channels_last_kernel<at::native::Var, float, float, 4>"
            << "batch norm";
        QTest::newRow("layout") << "void cudnn::ops::nchwToNhwcKernel<float, float, float, false, true>(cudnn::ops::nchw2nhwc_params_t<float>)"
                                << "layout transform";
        QTest::newRow("cast") << "void at::native::unrolled_elementwise_kernel<at::native::direct_copy_kernel_cuda(at::TensorIteratorBase&)"
                              << "copy / cast";
        QTest::newRow("sum") << "void at::native::reduce_kernel<512, 1, at::native::ReduceOp<float, at::native::func_wrapper_t<float>>>"
                             << "reduction";
        QTest::newRow("index") << "void at::native::indexSelectLargeIndex<float, long, unsigned int, 2, 2, -2, true>"
                               << "gather / scatter";
        QTest::newRow("relu") << "void at::native::vectorized_elementwise_kernel<4, at::native::(anonymous namespace)::launch_clamp_scalar"
                              << "elementwise";
        QTest::newRow("memset") << "Memset (Device)" << "memset";
        QTest::newRow("memcpy") << "Memcpy HtoD (Pageable -> Device)" << "copy / cast";
        QTest::newRow("unknown") << "my_kernel" << "other";
    }
    void kernelFamilies() {
        QFETCH(QString, name);
        QFETCH(QString, family);
        QCOMPARE(QString::fromStdString(kernelFamily(name.toStdString())), family);
    }

    void familiesSumTheirKernels() {
        const auto p = summarizeProfile({dev("void at::native::reduce_kernel<1>", 0, 3), dev("void at::native::reduce_kernel<2>", 5, 4),
                                         dev("sm90_xmma_fprop", 10, 20)},
                                        1, 40 * us);
        QCOMPARE(p.families.size(), size_t(2));
        QCOMPARE(p.families[0].family, std::string("convolution (cuDNN/GEMM)"));
        QCOMPARE(p.families[0].ns, 20 * us);
        QCOMPARE(p.families[1].family, std::string("reduction"));
        QCOMPARE(p.families[1].calls, int64_t(2));
        QCOMPARE(p.families[1].ns, 7 * us);
    }

    void markdownNumbersArePerStep() {
        // Two steps, 100 µs wall: A twice (20 µs), B once (15 µs), C once (1 µs); busy 30 µs.
        const auto p = summarizeProfile({dev("A", 30, 10), dev("B", 5, 15), dev("A", 0, 10), dev("C", 35, 1),
                                         host("cudaGraphLaunch", 1, 0, 8)},
                                        2, 100 * us);
        const std::string md = profileMarkdown(p, "T", 2);
        QVERIFY(md.rfind("# T\n", 0) == 0);
        // 50 µs wall and 15 µs busy per step (30 %); 2 kernels a step, 36/4 = 9 µs each.
        QVERIFY2(md.find("2 steps profiled: wall 50.0 µs/step; device busy 15.0 µs/step (30.0 % of the wall time); "
                         "2 device kernels/copies per step, 9.0 µs each on average") != std::string::npos,
                 md.c_str());
        QVERIFY2(md.find("| `A` | other | 1 | 10.0 | 10.0 | 55.6 % |") != std::string::npos, md.c_str());
        QVERIFY2(md.find("| `B` | other | 0.5 | 7.5 | 15.0 | 41.7 % |") != std::string::npos, md.c_str());
        QVERIFY2(md.find("`C`") == std::string::npos, md.c_str());  // top 2 only
        QVERIFY2(md.find("| other | 2 | 18.0 | 100.0 % |") != std::string::npos, md.c_str());
        QVERIFY2(md.find("| `cudaGraphLaunch` | 0.5 | 4.0 | 100.0 % |") != std::string::npos, md.c_str());
    }

    void longKernelNamesAreCutAndPipesEscaped() {
        const std::string name = "k|" + std::string(300, 'x');
        const std::string md = profileMarkdown(summarizeProfile({dev(name, 0, 1)}, 1, 1 * us), "T");
        QVERIFY(md.find("`k/xxx") != std::string::npos);
        QVERIFY(md.find(std::string(200, 'x')) == std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestOpProfile)
#include "tst_op_profile.moc"
