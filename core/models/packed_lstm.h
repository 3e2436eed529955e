// A multi-layer bidirectional LSTM over packed sequences, with PyTorch's parameter names, shapes
// and gate order (i, f, g, o), so its state dict loads into torch.nn.LSTM(bidirectional=True).
//
// Packed as PyTorch packs: the rows of step t are the first batchSizes[t] sequences (sorted by
// length, longest first) at that step, steps one after the other; padding is never computed, so
// it cannot leak into the backward direction.
//
// Why our own kernel on the CPU: LibTorch's CPU LSTM is autograd over one small matrix product
// per step and gate, and its backward costs 13-80× its forward (measured: 3.4 sequences/s
// training, 264 forward-only, 2 threads, batch 64, 256 words). Here the input projections and
// every weight gradient are one large matrix product over all steps, each step does one
// recurrent product and one fused cell kernel (forward and backward written by hand), and the two
// directions run side by side on the CPU's threads. Off the CPU (CUDA: cuDNN) and when asked,
// LibTorch's own lstm runs instead, with the same parameters; the tests compare the two.
#pragma once

#include <torch/nn/module.h>
#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace imblab {

struct PackedBiLstmImpl : torch::nn::Module {
    PackedBiLstmImpl(int64_t inputSize, int64_t hiddenSize, int64_t numLayers);

    // Packed input rows [P, inputSize] → the last layer's packed outputs [P, 2·hidden] (forward
    // direction's h in the first half). `batchSizes` [T], non-increasing, sums to P.
    torch::Tensor forward(const torch::Tensor& packed, const std::vector<int64_t>& batchSizes);

    // The parameters in torch::lstm's order: per layer, per direction, w_ih, w_hh, b_ih, b_hh.
    std::vector<torch::Tensor> flatWeights() const;

    int64_t inputSize, hiddenSize, numLayers;
    // false: LibTorch's at::lstm on every device (the reference our kernel is tested against).
    bool ownKernel = true;

private:
    std::vector<torch::Tensor> weights_;
};

// A batch of right-padded token ids [B, L] (0 = padding) as PyTorch packs it: the sequences
// sorted by length (longest first, ties in batch order), the flat indices of their tokens in
// packed order, the batch sizes per step, and each sequence's position in the sorted order.
struct PackedBatch {
    torch::Tensor tokenIndex;        // [P] int64 indices into ids.view(-1)
    std::vector<int64_t> batchSizes;  // [T]
    std::vector<int64_t> lengths;     // sorted, longest first
    std::vector<int64_t> order;       // order[i]: the batch row at sorted position i
};
PackedBatch packPadded(const torch::Tensor& ids);

// Sequence i's (sorted position) last output of the forward direction and first of the backward
// one, from a packed output [P, 2H]: what the paper's classifier reads. Rows in batch order.
torch::Tensor finalStates(const torch::Tensor& packedOutput, const PackedBatch& batch);

} // namespace imblab
