// Reading delimited tables record by record (RFC 4180): a quoted cell may hold the delimiter,
// doubled quotes ("say ""hi""") and line breaks; the delimiter is the header's most frequent of
// ',', ';' and tab unless given; a UTF-8 mark before the header is dropped; CRLF reads as LF.
// Every record knows the line it starts on, so errors can name file:line. Numeric CSV tables
// (csv_table.h) and text tables (text_table.h) both read through this.
#pragma once

#include <fstream>
#include <string>
#include <vector>

namespace imblab {

struct CsvRecord {
    std::vector<std::string> cells;
    int line = 0;  // 1-based line the record starts on
};

class CsvRecordReader {
public:
    // DataError naming `file` when it is not a file or cannot be opened. `delimiter` 0: detected
    // from the header (the first non-blank line).
    explicit CsvRecordReader(const std::string& file, char delimiter = 0);

    // The next record that is not a blank line; false at the end. DataError "file:line: has a
    // quote that never closes" naming the line the quoted cell opened on.
    bool next(CsvRecord& record);
    // The header record (the first non-blank one); DataError "is empty" when there is none.
    const CsvRecord& header() const { return header_; }
    char delimiter() const { return delimiter_; }
    const std::string& file() const { return file_; }

private:
    bool readLine(std::string& line);
    std::string file_;
    std::ifstream in_;
    char delimiter_ = ',';
    int line_ = 0;  // lines read so far
    std::string pending_;  // the header's line, read ahead to find the delimiter
    bool hasPending_ = false;
    CsvRecord header_;
};

// "file:line", the way errors name a place in a table.
std::string tablePlace(const std::string& file, int line);

// A table's classes: its distinct labels, in numeric order when every label is an integer ("2"
// before "10"), else sorted.
std::vector<std::string> distinctLabels(std::vector<std::string> labels);

} // namespace imblab
