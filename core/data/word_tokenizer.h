// Words of a text the way a user can predict them: ICU's word boundaries (Unicode UAX #29 in
// the root locale), keeping the segments ICU tags as words, numbers, kana or ideographs and
// dropping spaces and punctuation, each lower-cased with Unicode's full case mapping ("Straße"
// stays "straße", "İstanbul" becomes "i̇stanbul"). One tokenizer per thread.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

struct UBreakIterator;
struct UCaseMap;
struct UText;

namespace imblab {

class WordTokenizer {
public:
    // std::runtime_error when ICU's break rules cannot be opened (its data missing).
    WordTokenizer();
    ~WordTokenizer();
    WordTokenizer(const WordTokenizer&) = delete;
    WordTokenizer& operator=(const WordTokenizer&) = delete;

    // Calls `word` with each lower-cased word of `text` (valid UTF-8), at most `maxWords` of
    // them (0: all). Returns true when words were left after the last one taken (truncated).
    bool forEachWord(std::string_view text, size_t maxWords, const std::function<void(std::string_view)>& word);

private:
    UBreakIterator* breaks_ = nullptr;
    UCaseMap* caseMap_ = nullptr;
    UText* text_ = nullptr;
    std::string lower_;  // the current word, lower-cased
};

// The tokenizer's version as it enters cache keys: ICU's version, whose rules decide the words.
std::string wordTokenizerVersion();

} // namespace imblab
