// Which BLAS library the process computes its CPU matrix products in.
//
// Debian's LibTorch calls the system's libblas.so.3, which the alternatives system points at the
// reference (netlib) BLAS or at an optimised one such as OpenBLAS. The choice changes CPU
// training speed about threefold and the numbers themselves (another summation order), so a run
// records it beside its thread count and LibTorch version, and the speed probe keys on it.
#pragma once

#include <string>

namespace imblab {

// "OpenBLAS 0.3.21 (OpenMP, Zen)", "BLIS 0.9.0", "MKL (linked into LibTorch)", "reference BLAS
// (netlib)", or the path of the library that provides sgemm_; "unknown" when none is loaded.
std::string blasLibrary();

// True for the reference BLAS, whose unblocked loops make CPU training several times slower.
bool isReferenceBlas(const std::string& name);

// Logs, once a process, how to get a faster BLAS when `name` is the reference one.
void suggestFasterBlas(const std::string& name);

} // namespace imblab
