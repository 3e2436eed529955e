// The packed bidirectional LSTM; see packed_lstm.h.
//
// One layer, both directions, is one autograd function. Per direction d (the two run on two
// threads, each product single-threaded inside the parallel region):
//   forward:  G = X·W_ihᵀ + b_ih + b_hh over all P rows (one product); then per step t, on its
//             b_t rows: G_t += h_prev·W_hhᵀ, and the cell kernel turns G_t into the activated
//             gates (kept for the backward), c_t and h_t.
//   backward: per step, in reverse order, the cell kernel turns dh_t, dc_t into dG_t (gradients
//             at the gates' inputs) and dc_prev; dh_prev = dG_t·W_hh (one product). Then once,
//             over all rows: dW_ih = dGᵀ·X, dW_hh = dGᵀ·H_prev, db = Σ dG, dX = Σ_d dG_d·W_ih,d.
// The forward direction walks t = 0…T−1, its active rows shrinking; the backward direction
// walks t = T−1…0, a sequence joining (with zero state) at its own last step.
#include "models/packed_lstm.h"

#include "errors.h"

#include <ATen/Parallel.h>
#include <torch/autograd.h>
#include <torch/torch.h>

#include <cmath>
#include <cstring>
#include <string>

namespace imblab {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;
using torch::Tensor;

// exp(x) as Cephes' expf computes it (range reduction by ln 2, a degree-5 polynomial, about one
// ulp), written without branches or library calls so that the loops below vectorise.
inline float expApprox(float x) {
    x = x < -87.0f ? -87.0f : x > 88.0f ? 88.0f : x;
    const float k = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;  // round to nearest (1.5·2²³)
    float r = x - k * 0.693359375f;
    r = r + k * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    const float y = p * r * r + r + 1.0f;
    const int32_t bits = (int32_t(k) + 127) << 23;
    return y * __builtin_bit_cast(float, bits);
}

inline float sigmoid(float x) { return 1.0f / (1.0f + expApprox(-x)); }
inline float tanhApprox(float x) { return 2.0f / (1.0f + expApprox(-2.0f * x)) - 1.0f; }

// One step's cells, forward: g [b, 4H] pre-activations in, activated gates out; c [b, H] the
// state in and out (also copied to cellOut, the row's saved c_t); h [b, H] the state out (also
// copied to y, stride ldy).
__attribute__((target_clones("avx512f", "avx2", "default"))) void cellForward(float* __restrict g, float* __restrict c,
                                                                              float* __restrict h, float* __restrict cellOut,
                                                                              float* __restrict y, int64_t b, int64_t H,
                                                                              int64_t ldy) {
    for (int64_t r = 0; r < b; ++r) {
        float* __restrict gr = g + r * 4 * H;
        float* __restrict cr = c + r * H;
        float* __restrict hr = h + r * H;
        float* __restrict cor = cellOut + r * H;
        float* __restrict yr = y + r * ldy;
#pragma omp simd
        for (int64_t j = 0; j < H; ++j) {
            const float i = sigmoid(gr[j]), f = sigmoid(gr[H + j]), gg = tanhApprox(gr[2 * H + j]), o = sigmoid(gr[3 * H + j]);
            const float cn = f * cr[j] + i * gg;
            const float hn = o * tanhApprox(cn);
            gr[j] = i;
            gr[H + j] = f;
            gr[2 * H + j] = gg;
            gr[3 * H + j] = o;
            cr[j] = cn;
            cor[j] = cn;
            hr[j] = hn;
            yr[j] = hn;
        }
    }
}

// One step's cells, backward. gates/cell: the step's saved rows; cellPrev: the previous state's
// rows (in this direction's order), of which the first `prevRows` exist (the others start from
// zero); dy [b, H] stride ldy; dh [b, H] the gradient from the later steps (read); dc [b, H] in:
// the later steps', out: dc_prev; dg [b, 4H] out.
__attribute__((target_clones("avx512f", "avx2", "default"))) void cellBackward(
    const float* __restrict gates, const float* __restrict cell, const float* __restrict cellPrev, int64_t prevRows,
    const float* __restrict dy, int64_t ldy, const float* __restrict dh, float* __restrict dc, float* __restrict dg, int64_t b,
    int64_t H) {
    for (int64_t r = 0; r < b; ++r) {
        const float* __restrict gr = gates + r * 4 * H;
        const float* __restrict cr = cell + r * H;
        // Rows without a previous state read their own cell times zero: one branch-free loop.
        const float* __restrict cp = r < prevRows ? cellPrev + r * H : cr;
        const float prevScale = r < prevRows ? 1.0f : 0.0f;
        const float* __restrict dyr = dy + r * ldy;
        const float* __restrict dhr = dh + r * H;
        float* __restrict dcr = dc + r * H;
        float* __restrict dgr = dg + r * 4 * H;
#pragma omp simd
        for (int64_t j = 0; j < H; ++j) {
            const float i = gr[j], f = gr[H + j], gg = gr[2 * H + j], o = gr[3 * H + j];
            const float tc = tanhApprox(cr[j]);
            const float dht = dhr[j] + dyr[j];
            const float dct = dcr[j] + dht * o * (1.0f - tc * tc);
            const float prev = cp[j] * prevScale;
            dgr[j] = dct * gg * i * (1.0f - i);
            dgr[H + j] = dct * prev * f * (1.0f - f);
            dgr[2 * H + j] = dct * i * (1.0f - gg * gg);
            dgr[3 * H + j] = dht * tc * o * (1.0f - o);
            dcr[j] = dct * f;
        }
    }
}

struct Steps {
    std::vector<int64_t> sizes, offsets;  // rows of each step and where they start
    int64_t rows = 0;
    explicit Steps(const std::vector<int64_t>& batchSizes) : sizes(batchSizes) {
        for (int64_t s : sizes) {
            offsets.push_back(rows);
            rows += s;
        }
    }
    int64_t count() const { return int64_t(sizes.size()); }
};

// Runs f(d) for both directions, side by side when there are threads for it.
template <typename F>
void forBothDirections(F&& f) {
    at::parallel_for(0, 2, 1, [&](int64_t begin, int64_t end) {
        for (int64_t d = begin; d < end; ++d) f(int(d));
    });
}

class PackedBiLstmLayer : public torch::autograd::Function<PackedBiLstmLayer> {
public:
    // x [P, in]; per direction (forward, reverse): w_ih [4H, in], w_hh [4H, H], b_ih, b_hh [4H].
    static Tensor forward(AutogradContext* ctx, Tensor x, Tensor wihF, Tensor whhF, Tensor bihF, Tensor bhhF, Tensor wihR,
                          Tensor whhR, Tensor bihR, Tensor bhhR, const std::vector<int64_t>& batchSizes) {
        const Steps steps(batchSizes);
        const int64_t H = whhF.size(1), P = x.size(0), B = batchSizes.empty() ? 0 : batchSizes[0];
        x = x.contiguous();
        const Tensor wih[2] = {wihF, wihR}, whh[2] = {whhF, whhR}, bias[2] = {bihF + bhhF, bihR + bhhR};
        Tensor gates[2], cells[2];
        Tensor y = torch::empty({P, 2 * H}, x.options());
        for (int d = 0; d < 2; ++d) {
            gates[d] = torch::addmm(bias[d], x, wih[d].t());  // all steps' input projections at once
            cells[d] = torch::empty({P, H}, x.options());
        }
        forBothDirections([&](int d) {
            const Tensor whhT = whh[d].t();
            Tensor h = torch::zeros({B, H}, x.options()), c = torch::zeros({B, H}, x.options());
            for (int64_t k = 0; k < steps.count(); ++k) {
                const int64_t t = d == 0 ? k : steps.count() - 1 - k;
                const int64_t b = steps.sizes[size_t(t)], off = steps.offsets[size_t(t)];
                Tensor g = gates[d].narrow(0, off, b);
                // h rows of sequences that start here (backward direction) are still zero.
                g.addmm_(h.narrow(0, 0, b), whhT);
                cellForward(g.data_ptr<float>(), c.data_ptr<float>(), h.data_ptr<float>(),
                            cells[d].data_ptr<float>() + off * H, y.data_ptr<float>() + off * 2 * H + d * H, b, H, 2 * H);
            }
        });
        ctx->save_for_backward({x, wihF, whhF, wihR, whhR, y});
        ctx->saved_data["gatesF"] = gates[0];
        ctx->saved_data["gatesR"] = gates[1];
        ctx->saved_data["cellsF"] = cells[0];
        ctx->saved_data["cellsR"] = cells[1];
        ctx->saved_data["batchSizes"] = c10::List<int64_t>(batchSizes);
        return y;
    }

    static tensor_list backward(AutogradContext* ctx, tensor_list gradOutputs) {
        const auto saved = ctx->get_saved_variables();
        const Tensor& x = saved[0];
        const Tensor wih[2] = {saved[1], saved[3]}, whh[2] = {saved[2], saved[4]};
        const Tensor& y = saved[5];
        const Tensor gates[2] = {ctx->saved_data["gatesF"].toTensor(), ctx->saved_data["gatesR"].toTensor()};
        const Tensor cells[2] = {ctx->saved_data["cellsF"].toTensor(), ctx->saved_data["cellsR"].toTensor()};
        const auto list = ctx->saved_data["batchSizes"].toIntList();
        const std::vector<int64_t> batchSizes(list.begin(), list.end());
        const Steps steps(batchSizes);
        const int64_t H = whh[0].size(1), P = x.size(0), B = batchSizes.empty() ? 0 : batchSizes[0];
        const Tensor dy = gradOutputs[0].contiguous();
        Tensor dg[2], hPrev[2];
        for (int d = 0; d < 2; ++d) {
            dg[d] = torch::empty({P, 4 * H}, x.options());
            hPrev[d] = torch::zeros({P, H}, x.options());
        }
        forBothDirections([&](int d) {
            Tensor dh = torch::zeros({B, H}, x.options()), dc = torch::zeros({B, H}, x.options());
            const int64_t T = steps.count();
            for (int64_t k = 0; k < T; ++k) {
                // Reverse of this direction's forward order.
                const int64_t t = d == 0 ? T - 1 - k : k;
                const int64_t b = steps.sizes[size_t(t)], off = steps.offsets[size_t(t)];
                const int64_t prevT = d == 0 ? t - 1 : t + 1;  // the step this one's state came from
                const bool hasPrev = prevT >= 0 && prevT < T;
                const int64_t prevRows = hasPrev ? std::min(b, steps.sizes[size_t(prevT)]) : 0;
                const int64_t prevOff = hasPrev ? steps.offsets[size_t(prevT)] : 0;
                cellBackward(gates[d].data_ptr<float>() + off * 4 * H, cells[d].data_ptr<float>() + off * H,
                             cells[d].data_ptr<float>() + prevOff * H, prevRows,
                             dy.data_ptr<float>() + off * 2 * H + d * H, 2 * H, dh.data_ptr<float>(), dc.data_ptr<float>(),
                             dg[d].data_ptr<float>() + off * 4 * H, b, H);
                Tensor dhRows = dh.narrow(0, 0, b);
                torch::mm_out(dhRows, dg[d].narrow(0, off, b), whh[d]);
                if (prevRows > 0)
                    hPrev[d].narrow(0, off, prevRows).copy_(y.narrow(0, prevOff, prevRows).narrow(1, d * H, H));
            }
        });
        tensor_list grads(11);
        Tensor dx = torch::mm(dg[0], wih[0]);
        dx.addmm_(dg[1], wih[1]);
        grads[0] = dx;
        for (int d = 0; d < 2; ++d) {
            const Tensor dgT = dg[d].t();
            const Tensor db = dg[d].sum(0);
            grads[size_t(1 + 4 * d)] = torch::mm(dgT, x);
            grads[size_t(2 + 4 * d)] = torch::mm(dgT, hPrev[d]);
            grads[size_t(3 + 4 * d)] = db;
            grads[size_t(4 + 4 * d)] = db;
        }
        return grads;  // none for batchSizes
    }
};

} // namespace

PackedBiLstmImpl::PackedBiLstmImpl(int64_t in, int64_t hidden, int64_t layers)
    : inputSize(in), hiddenSize(hidden), numLayers(layers) {
    // PyTorch's reset_parameters: every weight and bias uniform in ±1/√H.
    const double k = 1.0 / std::sqrt(double(hidden));
    for (int64_t l = 0; l < layers; ++l)
        for (const char* suffix : {"", "_reverse"}) {
            const int64_t layerIn = l == 0 ? in : 2 * hidden;
            const std::string n = "_l" + std::to_string(l) + suffix;
            for (auto [name, shape] : std::initializer_list<std::pair<std::string, std::vector<int64_t>>>{
                     {"weight_ih" + n, {4 * hidden, layerIn}},
                     {"weight_hh" + n, {4 * hidden, hidden}},
                     {"bias_ih" + n, {4 * hidden}},
                     {"bias_hh" + n, {4 * hidden}}})
                weights_.push_back(register_parameter(name, torch::empty(shape).uniform_(-k, k)));
        }
}

std::vector<torch::Tensor> PackedBiLstmImpl::flatWeights() const {
    std::vector<torch::Tensor> out;
    for (const auto& p : parameters()) out.push_back(p);
    return out;
}

torch::Tensor PackedBiLstmImpl::forward(const torch::Tensor& packed, const std::vector<int64_t>& batchSizes) {
    const auto w = flatWeights();
    if (!ownKernel || !packed.device().is_cpu() || packed.scalar_type() != torch::kFloat32) {
        const int64_t B = batchSizes.empty() ? 0 : batchSizes[0];
        const auto zeros = torch::zeros({2 * numLayers, B, hiddenSize}, packed.options());
        const auto sizes = torch::tensor(batchSizes, torch::kInt64);
        return std::get<0>(torch::lstm(packed, sizes, {zeros, zeros}, w, true, numLayers, 0.0, is_training(), true));
    }
    torch::Tensor x = packed;
    for (int64_t l = 0; l < numLayers; ++l) {
        const size_t at = size_t(8 * l);
        x = PackedBiLstmLayer::apply(x, w[at], w[at + 1], w[at + 2], w[at + 3], w[at + 4], w[at + 5], w[at + 6], w[at + 7],
                                     batchSizes);
    }
    return x;
}

PackedBatch packPadded(const torch::Tensor& ids) {
    const auto cpu = ids.to(torch::kCPU).contiguous();
    const int64_t B = cpu.size(0), L = cpu.size(1);
    const int64_t* p = cpu.data_ptr<int64_t>();
    std::vector<int64_t> length(size_t(B), 0);
    for (int64_t i = 0; i < B; ++i) {
        int64_t n = 0;
        while (n < L && p[i * L + n] != 0) ++n;  // right-padded: the first 0 ends the text
        length[size_t(i)] = n;
        if (n == 0) throw TrainingError("a text with no words reached the model (row " + std::to_string(i) + " of its batch)");
    }
    PackedBatch out;
    out.order.resize(size_t(B));
    for (int64_t i = 0; i < B; ++i) out.order[size_t(i)] = i;
    std::stable_sort(out.order.begin(), out.order.end(), [&](int64_t a, int64_t b) { return length[size_t(a)] > length[size_t(b)]; });
    for (int64_t i : out.order) out.lengths.push_back(length[size_t(i)]);
    const int64_t T = B ? out.lengths.front() : 0;
    std::vector<int64_t> index;
    for (int64_t t = 0; t < T; ++t) {
        int64_t b = 0;
        while (b < B && out.lengths[size_t(b)] > t) {
            index.push_back(out.order[size_t(b)] * L + t);
            ++b;
        }
        out.batchSizes.push_back(b);
    }
    out.tokenIndex = torch::tensor(index, torch::kInt64).to(ids.device());
    return out;
}

torch::Tensor finalStates(const torch::Tensor& packedOutput, const PackedBatch& batch) {
    const int64_t B = int64_t(batch.order.size()), H = packedOutput.size(1) / 2;
    std::vector<int64_t> offsets;
    int64_t at = 0;
    for (int64_t s : batch.batchSizes) {
        offsets.push_back(at);
        at += s;
    }
    // Sorted position i: forward h at its last step, backward h at step 0 (row i).
    std::vector<int64_t> lastRow(static_cast<size_t>(B)), firstRow(static_cast<size_t>(B));
    for (int64_t i = 0; i < B; ++i) {
        const int64_t row = batch.order[size_t(i)];
        lastRow[size_t(row)] = offsets[size_t(batch.lengths[size_t(i)] - 1)] + i;
        firstRow[size_t(row)] = i;
    }
    const auto device = packedOutput.device();
    const auto fwd = packedOutput.narrow(1, 0, H).index_select(0, torch::tensor(lastRow, torch::kInt64).to(device));
    const auto bwd = packedOutput.narrow(1, H, H).index_select(0, torch::tensor(firstRow, torch::kInt64).to(device));
    return torch::cat({fwd, bwd}, 1);
}

} // namespace imblab
