// Bytes as they come from a text file or a table cell, made into clean UTF-8, or the reason they
// cannot be: UTF-8 (its byte-order mark dropped), UTF-16 with a byte-order mark (either byte
// order) converted, CRLF and CR line ends read as LF, IMDB's "<br />" tags read as a space.
// Refused: no text at all, binary data (a NUL byte in anything but UTF-16), and bytes that are
// not UTF-8 (the offset of the first bad byte named, so the user can find and convert it).
#pragma once

#include <string>
#include <string_view>

namespace imblab {

struct DecodedText {
    std::string text;     // UTF-8, valid; empty when `problem` says why
    std::string problem;  // "" when decoded; else what a skip list shows ("is not valid UTF-8 (...)")
};

DecodedText decodeTextBytes(std::string_view bytes);

// Whether `s` is well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF);
// `badAt` gets the offset of the first byte that is not.
bool isValidUtf8(std::string_view s, size_t* badAt = nullptr);

// Latin-1 bytes as UTF-8 (mail bodies that declare iso-8859-1 and are not UTF-8).
std::string latin1ToUtf8(std::string_view s);

// At most `maxBytes` of `s`, cut at a character boundary, with "…" when something was cut: what
// a window shows of a long text.
std::string textPreview(std::string_view s, size_t maxBytes);

} // namespace imblab
