// The table record reader; see csv_records.h.
#include "data/csv_records.h"

#include "errors.h"

#include <algorithm>
#include <filesystem>

namespace imblab {

namespace {

std::string trimmed(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// The header's most frequent of ',', ';' and tab: tables saved by spreadsheets in many locales
// use ';'.
char detectDelimiter(const std::string& header) {
    char best = ',';
    long most = 0;
    for (char d : {',', ';', '\t'}) {
        const long n = std::count(header.begin(), header.end(), d);
        if (n > most) most = n, best = d;
    }
    return best;
}

} // namespace

std::string tablePlace(const std::string& file, int line) { return file + ":" + std::to_string(line); }

namespace {

bool isInteger(const std::string& s) {
    if (s.empty() || s.size() > 18) return false;
    size_t i = (s[0] == '-') ? 1 : 0;
    return i < s.size() && std::all_of(s.begin() + long(i), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

std::vector<std::string> distinctLabels(std::vector<std::string> names) {
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    if (std::all_of(names.begin(), names.end(), isInteger))
        std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) { return std::stoll(a) < std::stoll(b); });
    return names;
}

CsvRecordReader::CsvRecordReader(const std::string& file, char delimiter) : file_(file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) throw DataError(file, "no such file");
    in_.open(file, std::ios::binary);
    if (!in_) throw DataError(file, "cannot be opened for reading");
    std::string first;
    while (readLine(first)) {
        if (line_ == 1 && first.rfind("\xEF\xBB\xBF", 0) == 0) first.erase(0, 3);
        if (!trimmed(first).empty()) break;
    }
    if (trimmed(first).empty()) throw DataError(file, "is empty: expected a header row of column names");
    delimiter_ = delimiter ? delimiter : detectDelimiter(first);
    // The header goes through the same parser as every record (a quoted name may hold the delimiter).
    pending_ = std::move(first);
    hasPending_ = true;
    next(header_);
}

bool CsvRecordReader::readLine(std::string& line) {
    if (!std::getline(in_, line)) return false;
    ++line_;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
}

bool CsvRecordReader::next(CsvRecord& record) {
    std::string line;
    if (hasPending_) {
        line = std::move(pending_);
        hasPending_ = false;
    } else {
        do {
            if (!readLine(line)) return false;
        } while (trimmed(line).empty());
    }
    record.cells.clear();
    record.line = line_;
    std::string cell;
    bool quoted = false, wasQuoted = false;
    int quoteLine = 0;
    for (;;) {
        for (size_t i = 0; i < line.size(); ++i) {
            const char ch = line[i];
            if (quoted) {
                if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') cell += '"', ++i;
                else if (ch == '"') quoted = false;
                else cell += ch;
            } else if (ch == '"' && trimmed(cell).empty()) {
                quoted = wasQuoted = true;
                quoteLine = line_;
                cell.clear();
            } else if (ch == delimiter_) {
                record.cells.push_back(wasQuoted ? cell : trimmed(cell));
                cell.clear();
                wasQuoted = false;
            } else {
                cell += ch;
            }
        }
        if (!quoted) break;
        // A line break inside quotes belongs to the cell.
        if (!readLine(line))
            throw DataError(tablePlace(file_, quoteLine), "has a quote that never closes (the quoted cell opened here runs "
                                                          "to the end of the file)");
        cell += '\n';
    }
    record.cells.push_back(wasQuoted ? cell : trimmed(cell));
    return true;
}

} // namespace imblab
