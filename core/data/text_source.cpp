// Text sources; see text_source.h.
#include "data/text_source.h"

namespace imblab {

std::vector<int64_t> documentCounts(const TextSource& source, bool test) {
    std::vector<int64_t> counts(source.classNames.size(), 0);
    for (const auto& d : source.documents)
        if (d.test == test) ++counts[size_t(d.label)];
    return counts;
}

} // namespace imblab
