// Names the BLAS library in use; see blas_library.h.
#include "util/blas_library.h"

#include <ATen/Context.h>
#include <dlfcn.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <filesystem>
#include <sstream>
#include <vector>

namespace imblab {

namespace {

// OpenBLAS's own description, asked of the library that provides sgemm_ (and its dependencies).
std::string describeOpenBlas(void* library) {
    const auto config = reinterpret_cast<char* (*)()>(dlsym(library, "openblas_get_config"));
    if (!config) return {};
    // "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64": the first two words.
    std::istringstream words(config());
    std::string name, version;
    words >> name >> version;
    std::vector<std::string> detail;
    if (const auto parallel = reinterpret_cast<int (*)()>(dlsym(library, "openblas_get_parallel"))) {
        const int mode = parallel();  // 0 sequential, 1 pthreads, 2 OpenMP
        detail.push_back(mode == 2 ? "OpenMP" : mode == 1 ? "pthreads" : "sequential");
    }
    if (const auto core = reinterpret_cast<char* (*)()>(dlsym(library, "openblas_get_corename"))) detail.emplace_back(core());
    std::string text = name + " " + version;
    for (size_t i = 0; i < detail.size(); ++i) text += (i == 0 ? " (" : ", ") + detail[i];
    return detail.empty() ? text : text + ")";
}

std::string describeBlis(void* library) {
    const auto version = reinterpret_cast<const char* (*)()>(dlsym(library, "bli_info_get_version_str"));
    return version ? std::string("BLIS ") + version() : std::string();
}

} // namespace

std::string blasLibrary() {
    // PyTorch's own builds link MKL statically (its sgemm_ is not exported).
    if (at::hasMKL()) return "MKL (linked into LibTorch)";
    // The sgemm_ LibTorch's calls bind to is the first in the global scope, as dlsym finds it.
    // Another BLAS may be loaded beside it (Debian's OpenBLAS LAPACK brings libopenblas.so.0 even
    // when libblas.so.3 is the reference one), so the library is identified by that symbol.
    void* sgemm = dlsym(RTLD_DEFAULT, "sgemm_");
    Dl_info where{};
    if (!sgemm || !dladdr(sgemm, &where) || !where.dli_fname) return "unknown";
    if (void* library = dlopen(where.dli_fname, RTLD_LAZY | RTLD_NOLOAD)) {
        std::string name = describeOpenBlas(library);
        if (name.empty()) name = describeBlis(library);
        dlclose(library);
        if (!name.empty()) return name;
    }
    std::error_code ec;
    const std::filesystem::path real = std::filesystem::canonical(where.dli_fname, ec);
    const std::string path = ec ? std::string(where.dli_fname) : real.string();
    // Debian installs the netlib reference implementation as .../blas/libblas.so.3.
    if (path.find("/blas/libblas.so") != std::string::npos) return "reference BLAS (netlib)";
    return path;
}

bool isReferenceBlas(const std::string& name) { return name.rfind("reference BLAS", 0) == 0; }

void suggestFasterBlas(const std::string& name) {
    static std::atomic<bool> said{false};  // once: a sweep's every run would repeat it
    if (isReferenceBlas(name) && !said.exchange(true))
        spdlog::info("CPU matrix products run in the reference BLAS (netlib); with OpenBLAS "
                     "(apt install libopenblas0-openmp) CPU training is about 3x faster");
}

} // namespace imblab
