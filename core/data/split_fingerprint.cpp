// The split fingerprint; see split_fingerprint.h.
#include "data/split_fingerprint.h"

#include "util/sha256.h"

#include <cstdio>

namespace imblab {

namespace {

template <typename T>
void hashVector(Sha256& h, const std::vector<T>& v) {
    const uint64_t n = v.size();
    h.update(&n, sizeof n);  // lengths keep adjacent fields apart
    if (n) h.update(v.data(), v.size() * sizeof(T));
}

} // namespace

std::string splitFingerprint(const DatasetConfig& cfg, const ImbalancedData& imb) {
    Sha256 h;
    char settings[256];
    std::snprintf(settings, sizeof settings, "imblab split v1\n%s\nprofile %s rho %.17g mu %.17g seed %llu shuffle %d\n",
                  cfg.id.c_str(), cfg.profile.c_str(), cfg.rho, cfg.mu, (unsigned long long)cfg.seed, int(cfg.shuffleClasses));
    h.update(std::string(settings));
    hashVector(h, imb.keptIndices);
    for (const DatasetSplit* s : {&imb.data.train, &imb.data.test}) {
        hashVector(h, s->labels);
        hashVector(h, s->images);
        hashVector(h, s->features);
        if (!s->tokenOffsets.empty()) {  // texts: their words, as ids into the corpus hashed below
            hashVector(h, s->tokenOffsets);
            hashVector(h, s->tokens);
        }
    }
    for (const auto& word : imb.data.corpusTokens) h.update(word + '\n');  // none for images and features
    return h.hex();
}

} // namespace imblab
