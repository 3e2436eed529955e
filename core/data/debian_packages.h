// Debian's package catalogue as text: apt's package lists (/var/lib/apt/lists/*_Packages, plain,
// .lz4 or .gz, on every Debian machine after `apt-get update`), one document per package, its
// Description as the text and its Section ("libs", "python", …; an area prefix such as
// "contrib/" dropped) as the class: about 63 000 descriptions in 60 sections, a natural long
// tail from 6 700 libs down to 15 zope. The package's name stays out of the text (lib*,
// python3-* would give most sections away). A package listed by several lists counts once (the
// first list in name order); classes are ordered by their number of packages, largest first.
#pragma once

#include "data/text_source.h"

#include <cstdint>
#include <string>

namespace imblab {

// DataError naming the folder when it holds no package list (with the apt-get update hint) or a
// list cannot be decompressed; lists in formats not read here (.xz) are listed as skipped.
TextSource readDebianPackages(const std::string& dir, double testSplit, uint64_t seed);

// The bytes of a package list, decompressed by its name's suffix (.lz4, .gz, none).
std::string readPackageList(const std::string& path);

} // namespace imblab
