// Text decoding; see text_decode.h.
#include "data/text_decode.h"

#include <cstdint>
#include <cstdio>

namespace imblab {

namespace {

void appendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

// UTF-16 code units after the byte-order mark, to UTF-8; false on an unpaired surrogate or an
// odd byte count (`badAt`: the byte offset).
bool utf16ToUtf8(std::string_view bytes, bool bigEndian, std::string& out, size_t& badAt) {
    if (bytes.size() % 2) {
        badAt = bytes.size() - 1;
        return false;
    }
    auto unit = [&](size_t i) {
        const auto a = uint8_t(bytes[i]), b = uint8_t(bytes[i + 1]);
        return bigEndian ? uint32_t(a << 8 | b) : uint32_t(b << 8 | a);
    };
    out.reserve(bytes.size() / 2);
    for (size_t i = 0; i < bytes.size(); i += 2) {
        uint32_t cp = unit(i);
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (i + 2 >= bytes.size()) {
                badAt = i;
                return false;
            }
            const uint32_t low = unit(i + 2);
            if (low < 0xDC00 || low > 0xDFFF) {
                badAt = i;
                return false;
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 2;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            badAt = i;
            return false;
        }
        appendUtf8(out, cp);
    }
    return true;
}

bool startsWithNoCase(std::string_view s, size_t at, std::string_view what) {
    if (s.size() - at < what.size()) return false;
    for (size_t i = 0; i < what.size(); ++i) {
        char c = s[at + i];
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
        if (c != what[i]) return false;
    }
    return true;
}

// CRLF/CR → LF and "<br />" (also "<br/>", "<br>", any case) → a space, in one pass.
std::string normalised(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '\r') {
            out += '\n';
            if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
        } else if (c == '<' && startsWithNoCase(s, i, "<br")) {
            size_t j = i + 3;
            while (j < s.size() && s[j] == ' ') ++j;
            if (j < s.size() && s[j] == '/') ++j;
            if (j < s.size() && s[j] == '>') {
                out += ' ';
                i = j;
            } else {
                out += c;
            }
        } else {
            out += c;
        }
    }
    return out;
}

std::string hexByte(uint8_t b) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", unsigned(b));
    return buf;
}

} // namespace

bool isValidUtf8(std::string_view s, size_t* badAt) {
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    const size_t n = s.size();
    size_t i = 0;
    auto fail = [&] {
        if (badAt) *badAt = i;
        return false;
    };
    while (i < n) {
        const uint8_t c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int len = 0;
        uint32_t cp = 0, min = 0;
        if ((c & 0xE0) == 0xC0) len = 2, cp = c & 0x1F, min = 0x80;
        else if ((c & 0xF0) == 0xE0) len = 3, cp = c & 0x0F, min = 0x800;
        else if ((c & 0xF8) == 0xF0) len = 4, cp = c & 0x07, min = 0x10000;
        else return fail();
        if (i + size_t(len) > n) return fail();
        for (int k = 1; k < len; ++k) {
            if ((p[i + size_t(k)] & 0xC0) != 0x80) return fail();
            cp = cp << 6 | (p[i + size_t(k)] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return fail();
        i += size_t(len);
    }
    return true;
}

DecodedText decodeTextBytes(std::string_view bytes) {
    DecodedText out;
    std::string utf8;
    if (bytes.size() >= 2 && ((uint8_t(bytes[0]) == 0xFF && uint8_t(bytes[1]) == 0xFE) ||
                              (uint8_t(bytes[0]) == 0xFE && uint8_t(bytes[1]) == 0xFF))) {
        const bool big = uint8_t(bytes[0]) == 0xFE;
        size_t bad = 0;
        if (!utf16ToUtf8(bytes.substr(2), big, utf8, bad)) {
            out.problem = std::string("is not valid UTF-16 (") + (big ? "big" : "little") + "-endian, broken at byte " +
                          std::to_string(bad + 2) + ")";
            return out;
        }
    } else {
        if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
        if (const size_t nul = bytes.find('\0'); nul != std::string_view::npos) {
            out.problem = "holds binary data (a NUL byte at offset " + std::to_string(nul) +
                          "); text files must be UTF-8, or UTF-16 with a byte-order mark";
            return out;
        }
        size_t bad = 0;
        if (!isValidUtf8(bytes, &bad)) {
            out.problem = "is not valid UTF-8 (byte " + hexByte(uint8_t(bytes[bad])) + " at offset " + std::to_string(bad) +
                          "); convert it, e.g. iconv -f latin1 -t utf-8";
            return out;
        }
        utf8.assign(bytes);
    }
    out.text = normalised(utf8);
    if (out.text.find_first_not_of(" \t\n\f\v") == std::string::npos) {
        out.text.clear();
        out.problem = bytes.empty() ? "is empty (0 bytes)" : "holds no text (only white space)";
    }
    return out;
}

std::string latin1ToUtf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) appendUtf8(out, uint8_t(c));
    return out;
}

std::string textPreview(std::string_view s, size_t maxBytes) {
    if (s.size() <= maxBytes) return std::string(s);
    size_t cut = maxBytes;
    while (cut > 0 && (uint8_t(s[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
    return std::string(s.substr(0, cut)) + "…";
}

} // namespace imblab
