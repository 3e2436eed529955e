// Text tables: CSV or TSV (RFC 4180 quoting, so a text cell may hold commas, quotes and line
// breaks; data/csv_records.h) or JSON Lines (one object per line), with a text column and a label
// column. A second table is the test split, else the stratified hold-out. An empty text cell is
// a skipped row (listed as file:line); a malformed table is an error naming file:line.
#pragma once

#include "data/text_source.h"

#include <cstdint>
#include <string>
#include <vector>

namespace imblab {

struct TextTableOptions {
    std::string textColumn;   // empty = text, review, sentence, content, body, message, document or description
    std::string labelColumn;  // empty = label, class, sentiment, target, y, category or section, else the last other column
    std::string testFile;     // a table with the same columns for the test split; empty = hold-out
    double testSplit = 0.2;
    uint64_t seed = 0;
};

// JSON Lines when the file ends in .jsonl or .ndjson; tab-separated for .tsv and .tab; else the
// header's delimiter. DataError naming file:line for: a row with too few or too many cells, an
// empty label, a quote that never closes, a line that is not a JSON object, an object without
// the text or label field, a test label the training table lacks; naming the file for: a
// missing column (the columns listed), a UTF-16 table, fewer than two classes.
TextSource readTextTable(const std::string& file, const TextTableOptions& options);

// The columns of a table: its header (CSV, TSV) or its first object's keys (JSON Lines); what a
// window offers before reading the table. DataError naming the file when it has none.
std::vector<std::string> textTableHeader(const std::string& file);

// Whether a table is a text table (JSON Lines, or a header naming a text column by one of the
// default names) rather than a table of numeric features (data/csv_table.h): what a dropped file
// opens as.
bool isTextTable(const std::string& file);

// The text and label columns a table's header names, the defaults above when not given.
std::pair<std::string, std::string> textTableColumns(const std::vector<std::string>& header, const TextTableOptions& options,
                                                     const std::string& file);

} // namespace imblab
