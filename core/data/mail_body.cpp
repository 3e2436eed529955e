// Mail bodies; see mail_body.h.
#include "data/mail_body.h"

#include "data/text_decode.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <vector>

namespace imblab {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

struct Part {
    std::string contentType = "text/plain";  // lower case, without parameters
    std::string boundary, charset, transferEncoding;
    std::string_view body;
};

// A header's value with its folded continuation lines joined.
std::string headerValue(std::string_view headers, const std::string& name) {
    size_t at = 0;
    while (at < headers.size()) {
        size_t end = headers.find('\n', at);
        if (end == std::string_view::npos) end = headers.size();
        const std::string_view line = headers.substr(at, end - at);
        if (line.size() > name.size() && line[name.size()] == ':' && lower(line.substr(0, name.size())) == name) {
            std::string value(line.substr(name.size() + 1));
            for (size_t next = end + 1; next < headers.size() && (headers[next] == ' ' || headers[next] == '\t');) {
                size_t e = headers.find('\n', next);
                if (e == std::string_view::npos) e = headers.size();
                value += ' ';
                value += headers.substr(next, e - next);
                next = e + 1;
            }
            return value;
        }
        at = end + 1;
    }
    return {};
}

// A parameter of a header value: boundary="abc" or charset=iso-8859-1.
std::string parameter(const std::string& value, const std::string& name) {
    const std::string l = lower(value);
    size_t at = 0;
    while ((at = l.find(name, at)) != std::string::npos) {
        const bool startOk = at == 0 || l[at - 1] == ';' || l[at - 1] == ' ' || l[at - 1] == '\t';
        size_t eq = at + name.size();
        while (eq < l.size() && l[eq] == ' ') ++eq;
        if (startOk && eq < l.size() && l[eq] == '=') {
            size_t v = eq + 1;
            while (v < l.size() && l[v] == ' ') ++v;
            if (v < value.size() && value[v] == '"') {
                const size_t close = value.find('"', v + 1);
                return value.substr(v + 1, close == std::string::npos ? std::string::npos : close - v - 1);
            }
            size_t e = v;
            while (e < value.size() && value[e] != ';' && value[e] != ' ' && value[e] != '\t') ++e;
            return value.substr(v, e - v);
        }
        at += name.size();
    }
    return {};
}

Part parsePart(std::string_view entity) {
    Part p;
    size_t split = entity.find("\n\n");
    const std::string_view headers = split == std::string_view::npos ? entity : entity.substr(0, split);
    p.body = split == std::string_view::npos ? std::string_view() : entity.substr(split + 2);
    const std::string type = headerValue(headers, "content-type");
    if (!type.empty()) {
        const size_t semi = type.find(';');
        std::string t = lower(type.substr(0, semi));
        t.erase(0, t.find_first_not_of(" \t"));
        t.erase(t.find_last_not_of(" \t") + 1);
        if (!t.empty()) p.contentType = t;
        p.boundary = parameter(type, "boundary");
        p.charset = lower(parameter(type, "charset"));
    }
    p.transferEncoding = lower(headerValue(headers, "content-transfer-encoding"));
    p.transferEncoding.erase(0, p.transferEncoding.find_first_not_of(" \t"));
    p.transferEncoding.erase(p.transferEncoding.find_last_not_of(" \t") + 1);
    return p;
}

// The parts between "--boundary" lines.
std::vector<std::string_view> splitMultipart(std::string_view body, const std::string& boundary) {
    std::vector<std::string_view> parts;
    const std::string marker = "--" + boundary;
    size_t at = body.find(marker);
    while (at != std::string_view::npos) {
        size_t start = body.find('\n', at);
        if (start == std::string_view::npos) break;
        if (body.substr(at + marker.size(), 2) == "--") break;  // the closing delimiter
        ++start;
        const size_t next = body.find("\n" + marker, start - 1);
        parts.push_back(body.substr(start, next == std::string_view::npos ? std::string_view::npos : next - start));
        at = next == std::string_view::npos ? next : next + 1;
    }
    return parts;
}

std::string decoded(const Part& p) {
    std::string bytes = p.transferEncoding == "quoted-printable" ? decodeQuotedPrintable(p.body)
                        : p.transferEncoding == "base64"         ? decodeBase64(p.body)
                                                                 : std::string(p.body);
    bytes.erase(std::remove(bytes.begin(), bytes.end(), '\0'), bytes.end());  // NULs are no text
    if (!isValidUtf8(bytes)) bytes = latin1ToUtf8(bytes);
    return p.contentType == "text/html" ? htmlToText(bytes) : bytes;
}

bool isBlank(const std::string& s) { return s.find_first_not_of(" \t\n\f\v") == std::string::npos; }

void collectText(std::string_view entity, std::string& out, int depth) {
    Part p = parsePart(entity);
    if (p.contentType.rfind("multipart/", 0) == 0 && !p.boundary.empty() && depth < 8) {
        const auto parts = splitMultipart(p.body, p.boundary);
        if (parts.empty()) {
            // A boundary that never occurs (mis-quoted by the sender): the body read as it is.
            p.contentType = "text/plain";
        } else if (p.contentType == "multipart/alternative") {
            // The plain version when it holds text, else the richest of the others.
            std::string best;
            bool bestIsPlain = false;
            for (auto part : parts) {
                std::string text;
                collectText(part, text, depth + 1);
                if (isBlank(text)) continue;
                const bool plain = parsePart(part).contentType == "text/plain";
                if (best.empty() || (plain && !bestIsPlain) || (plain == bestIsPlain && text.size() > best.size())) {
                    best = std::move(text);
                    bestIsPlain = plain;
                }
            }
            if (!best.empty()) out += (out.empty() ? "" : "\n") + best;
            return;
        } else {
            for (auto part : parts) collectText(part, out, depth + 1);
            return;
        }
    }
    if (p.contentType != "text/plain" && p.contentType != "text/html") return;  // attachments, images
    if (!out.empty()) out += '\n';
    out += decoded(p);
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

void appendCodePoint(std::string& out, uint32_t cp) {
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return;
    if (cp < 0x80) out += char(cp);
    else if (cp < 0x800) out += char(0xC0 | (cp >> 6)), out += char(0x80 | (cp & 0x3F));
    else if (cp < 0x10000)
        out += char(0xE0 | (cp >> 12)), out += char(0x80 | ((cp >> 6) & 0x3F)), out += char(0x80 | (cp & 0x3F));
    else
        out += char(0xF0 | (cp >> 18)), out += char(0x80 | ((cp >> 12) & 0x3F)), out += char(0x80 | ((cp >> 6) & 0x3F)),
            out += char(0x80 | (cp & 0x3F));
}

} // namespace

std::string decodeQuotedPrintable(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '=') {
            out += s[i];
            continue;
        }
        if (i + 1 < s.size() && s[i + 1] == '\n') {  // soft line break
            ++i;
            continue;
        }
        if (i + 2 < s.size() && hexValue(s[i + 1]) >= 0 && hexValue(s[i + 2]) >= 0) {
            out += char(hexValue(s[i + 1]) * 16 + hexValue(s[i + 2]));
            i += 2;
            continue;
        }
        out += '=';
    }
    return out;
}

std::string decodeBase64(std::string_view s) {
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    };
    std::string out;
    uint32_t buffer = 0;
    int bits = 0;
    for (char c : s) {
        const int v = value(c);
        if (v < 0) continue;  // line breaks, padding
        buffer = buffer << 6 | uint32_t(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += char((buffer >> bits) & 0xFF);
        }
    }
    return out;
}

std::string htmlToText(std::string_view html) {
    std::string out;
    out.reserve(html.size());
    for (size_t i = 0; i < html.size(); ++i) {
        const char c = html[i];
        if (c == '<') {
            const std::string tag = lower(html.substr(i + 1, 7));
            const char* closer = tag.rfind("script", 0) == 0 ? "</script" : tag.rfind("style", 0) == 0 ? "</style" : nullptr;
            if (closer) {  // their contents are code, not text
                const std::string rest = lower(html.substr(i));
                const size_t end = rest.find(closer);
                i = end == std::string::npos ? html.size() : i + end;
            } else if (tag.rfind("!--", 0) == 0) {
                const size_t end = html.find("-->", i);
                i = end == std::string_view::npos ? html.size() : end + 2;
                continue;
            }
            const size_t close = html.find('>', i);
            if (close == std::string_view::npos) break;
            i = close;
            out += ' ';
        } else if (c == '&') {
            const size_t semi = html.find(';', i);
            if (semi == std::string_view::npos || semi - i > 10) {
                out += c;
                continue;
            }
            const std::string name = lower(html.substr(i + 1, semi - i - 1));
            if (name == "nbsp") out += ' ';
            else if (name == "amp") out += '&';
            else if (name == "lt") out += '<';
            else if (name == "gt") out += '>';
            else if (name == "quot") out += '"';
            else if (name == "apos") out += '\'';
            else if (!name.empty() && name[0] == '#')
                appendCodePoint(out, uint32_t(std::strtoul(name.c_str() + (name.size() > 1 && name[1] == 'x' ? 2 : 1), nullptr,
                                                           name.size() > 1 && name[1] == 'x' ? 16 : 10)));
            else {
                out += c;
                continue;
            }
            i = semi;
        } else {
            out += c;
        }
    }
    return out;
}

std::string mailBodyText(std::string_view mail) {
    std::string normal;
    normal.reserve(mail.size());
    for (size_t i = 0; i < mail.size(); ++i) {
        if (mail[i] == '\r') {
            normal += '\n';
            if (i + 1 < mail.size() && mail[i + 1] == '\n') ++i;
        } else {
            normal += mail[i];
        }
    }
    std::string out;  // an mbox "From " line before the headers is one of them
    collectText(normal, out, 0);
    return out;
}

} // namespace imblab
