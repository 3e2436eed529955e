// ICU word tokenization; see word_tokenizer.h.
#include "data/word_tokenizer.h"

#include <unicode/ubrk.h>
#include <unicode/ucasemap.h>
#include <unicode/uclean.h>
#include <unicode/utext.h>
#include <unicode/uversion.h>

#include <stdexcept>

namespace imblab {

namespace {

void check(UErrorCode status, const char* what) {
    if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU cannot ") + what + ": " + u_errorName(status));
}

bool isAscii(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

} // namespace

WordTokenizer::WordTokenizer() {
    UErrorCode status = U_ZERO_ERROR;
    breaks_ = ubrk_open(UBRK_WORD, "", nullptr, 0, &status);
    check(status, "open its word break rules");
    caseMap_ = ucasemap_open("", U_FOLD_CASE_DEFAULT, &status);
    check(status, "open its case mapping");
}

WordTokenizer::~WordTokenizer() {
    if (text_) utext_close(text_);
    if (caseMap_) ucasemap_close(caseMap_);
    if (breaks_) ubrk_close(breaks_);
}

bool WordTokenizer::forEachWord(std::string_view text, size_t maxWords, const std::function<void(std::string_view)>& word) {
    UErrorCode status = U_ZERO_ERROR;
    // UTF-8 text is read in place: no conversion to UTF-16 of the whole (possibly huge) text.
    text_ = utext_openUTF8(text_, text.data(), int64_t(text.size()), &status);
    check(status, "read the text");
    ubrk_setUText(breaks_, text_, &status);
    check(status, "break the text");
    size_t taken = 0;
    int32_t start = ubrk_first(breaks_);
    for (int32_t end = ubrk_next(breaks_); end != UBRK_DONE; start = end, end = ubrk_next(breaks_)) {
        if (ubrk_getRuleStatus(breaks_) < UBRK_WORD_NONE_LIMIT) continue;  // spaces, punctuation
        if (maxWords > 0 && taken == maxWords) return true;
        const std::string_view w = text.substr(size_t(start), size_t(end - start));
        if (isAscii(w)) {
            lower_.assign(w);
            for (char& c : lower_)
                if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
        } else {
            lower_.resize(w.size() * 3 + 4);
            UErrorCode s = U_ZERO_ERROR;
            int32_t n = ucasemap_utf8ToLower(caseMap_, lower_.data(), int32_t(lower_.size()), w.data(), int32_t(w.size()), &s);
            if (s == U_BUFFER_OVERFLOW_ERROR) {
                lower_.resize(size_t(n));
                s = U_ZERO_ERROR;
                n = ucasemap_utf8ToLower(caseMap_, lower_.data(), int32_t(lower_.size()), w.data(), int32_t(w.size()), &s);
            }
            check(s, "lower-case a word");
            lower_.resize(size_t(n));
        }
        word(lower_);
        ++taken;
    }
    return false;
}

std::string wordTokenizerVersion() {
    UVersionInfo v;
    u_getVersion(v);
    char text[U_MAX_VERSION_STRING_LENGTH];
    u_versionToString(v, text);
    return std::string("icu ") + text + " uax29 root lower";
}

} // namespace imblab
