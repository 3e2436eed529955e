// Debian's package lists as a text dataset; see debian_packages.h.
#include "data/debian_packages.h"

#include "data/stratified_split.h"
#include "errors.h"

#include <lz4frame.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <unordered_set>

namespace imblab {

namespace fs = std::filesystem;

namespace {

bool endsWith(const std::string& s, const std::string& e) {
    return s.size() >= e.size() && s.compare(s.size() - e.size(), e.size(), e) == 0;
}

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DataError(path, "cannot be opened for reading");
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string lz4Decompress(const std::string& path, const std::string& in) {
    LZ4F_dctx* ctx = nullptr;
    if (LZ4F_isError(LZ4F_createDecompressionContext(&ctx, LZ4F_VERSION))) throw DataError(path, "lz4 cannot start");
    std::unique_ptr<LZ4F_dctx, decltype(&LZ4F_freeDecompressionContext)> guard(ctx, LZ4F_freeDecompressionContext);
    std::string out;
    std::vector<char> buffer(1 << 20);
    size_t at = 0;
    while (at < in.size()) {
        size_t dstSize = buffer.size(), srcSize = in.size() - at;
        const size_t r = LZ4F_decompress(ctx, buffer.data(), &dstSize, in.data() + at, &srcSize, nullptr);
        if (LZ4F_isError(r)) throw DataError(path, std::string("is not a valid lz4 file: ") + LZ4F_getErrorName(r));
        out.append(buffer.data(), dstSize);
        at += srcSize;
        if (r == 0 && at < in.size()) continue;  // a next frame
        if (srcSize == 0 && dstSize == 0) break;
    }
    return out;
}

std::string gzipDecompress(const std::string& path) {
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f) throw DataError(path, "cannot be opened for reading");
    std::string out;
    std::vector<char> buffer(1 << 20);
    int n;
    while ((n = gzread(f, buffer.data(), unsigned(buffer.size()))) > 0) out.append(buffer.data(), size_t(n));
    int err = 0;
    const std::string message = n < 0 ? gzerror(f, &err) : "";
    gzclose(f);
    if (n < 0) throw DataError(path, "is not a valid gzip file: " + message);
    return out;
}

struct Package {
    std::string name, section, description;
};

// Stanzas "Field: value" with continuation lines starting with a space; " ." is an empty line.
void parseList(const std::string& text, std::vector<Package>& out) {
    Package p;
    std::string* continuing = nullptr;
    auto flush = [&] {
        if (!p.name.empty() && !p.description.empty()) out.push_back(std::move(p));
        p = Package{};
        continuing = nullptr;
    };
    size_t at = 0;
    while (at <= text.size()) {
        size_t end = text.find('\n', at);
        if (end == std::string::npos) end = text.size();
        const std::string_view line(text.data() + at, end - at);
        at = end + 1;
        if (line.empty()) {
            flush();
            if (end == text.size()) break;
            continue;
        }
        if (line[0] == ' ' || line[0] == '\t') {
            if (continuing) {
                const std::string_view rest = line.substr(1);
                *continuing += '\n';
                if (rest != ".") *continuing += rest;
            }
            continue;
        }
        continuing = nullptr;
        const size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        const std::string_view field = line.substr(0, colon);
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        if (field == "Package") p.name = value;
        else if (field == "Section") {
            const size_t slash = value.rfind('/');
            p.section = std::string(slash == std::string_view::npos ? value : value.substr(slash + 1));
        } else if (field == "Description") {
            p.description = value;
            continuing = &p.description;
        }
        if (end == text.size()) break;
    }
    flush();
}

} // namespace

std::string readPackageList(const std::string& path) {
    if (endsWith(path, ".lz4")) return lz4Decompress(path, readAll(path));
    if (endsWith(path, ".gz")) return gzipDecompress(path);
    return readAll(path);
}

TextSource readDebianPackages(const std::string& dir, double testSplit, uint64_t seed) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw DataError(dir, "no such folder (apt keeps its package lists in /var/lib/apt/lists)");
    TextSource s;
    std::vector<std::string> lists;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.find("_Packages") == std::string::npos) continue;
        if (endsWith(name, "_Packages") || endsWith(name, "_Packages.lz4") || endsWith(name, "_Packages.gz"))
            lists.push_back(it->path().string());
        else
            s.skipped.push_back({it->path().string(), "is compressed in a format not read here (plain, .lz4 and .gz are)"});
    }
    std::sort(lists.begin(), lists.end());
    if (lists.empty())
        throw DataError(dir, "holds no package lists (*_Packages): run 'sudo apt-get update', or choose a folder of such "
                             "lists (--data DIR)");
    std::vector<Package> all;
    for (const auto& list : lists) parseList(readPackageList(list), all);
    std::unordered_set<std::string> seen;
    std::map<std::string, std::vector<size_t>> bySection;
    std::vector<Package> packages;
    for (auto& p : all) {
        if (p.section.empty() || !seen.insert(p.name).second) continue;
        bySection[p.section].push_back(packages.size());
        packages.push_back(std::move(p));
    }
    if (bySection.size() < 2) throw DataError(dir, "its package lists name fewer than two sections");
    // Classes largest first (ties by name): the counts chart shows the catalogue's tail as it is.
    std::vector<std::pair<std::string, size_t>> order;
    for (const auto& [name, members] : bySection) order.emplace_back(name, members.size());
    std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    for (const auto& [name, n] : order) {
        s.classNames.push_back(name);
        s.classPlaces.push_back(dir + " (section " + name + ")");
    }
    for (size_t c = 0; c < order.size(); ++c) {
        std::vector<size_t> train = bySection[order[c].first];
        const std::vector<size_t> test = splitOffTestItems(train, testSplit, seed, c);
        for (const std::vector<size_t>* split : std::initializer_list<const std::vector<size_t>*>{&train, &test})
            for (size_t i : *split) {
                TextDocument d;
                d.text = packages[i].description;
                d.source = packages[i].name;
                d.label = int64_t(c);
                d.test = split == &test;
                s.documents.push_back(std::move(d));
            }
    }
    s.files = lists;
    return s;
}

} // namespace imblab
