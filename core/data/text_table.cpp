// Text tables; see text_table.h.
#include "data/text_table.h"

#include "data/csv_records.h"
#include "data/stratified_split.h"
#include "errors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

namespace imblab {

namespace {

struct Row {
    std::string text, label;
    int line = 0;
};

std::string lower(std::string s) {
    for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool endsWith(const std::string& s, const char* suffix) {
    const std::string x = lower(s), e = suffix;
    return x.size() >= e.size() && x.compare(x.size() - e.size(), e.size(), e) == 0;
}

bool isJsonLines(const std::string& file) { return endsWith(file, ".jsonl") || endsWith(file, ".ndjson"); }

std::string columnList(const std::vector<std::string>& header) {
    std::string list;
    for (const auto& c : header) list += (list.empty() ? "" : ", ") + c;
    return list;
}

// `requested`, else the first of `defaults` the header has, else `fallback` (when not empty).
std::string chooseColumn(const std::vector<std::string>& header, const std::string& requested,
                         std::initializer_list<const char*> defaults, const std::string& fallback, const char* what,
                         const char* flag, const std::string& file) {
    if (!requested.empty()) {
        if (std::find(header.begin(), header.end(), requested) != header.end()) return requested;
        throw DataError(file, "has no column '" + requested + "' (columns: " + columnList(header) + ")");
    }
    for (const char* name : defaults)
        for (const auto& c : header)
            if (lower(c) == name) return c;
    if (!fallback.empty()) return fallback;
    throw DataError(file, std::string("has no ") + what + " column by a known name (columns: " + columnList(header) +
                              "): name it with " + flag);
}

void refuseUtf16(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    char bom[2] = {0, 0};
    in.read(bom, 2);
    if ((uint8_t(bom[0]) == 0xFF && uint8_t(bom[1]) == 0xFE) || (uint8_t(bom[0]) == 0xFE && uint8_t(bom[1]) == 0xFF))
        throw DataError(file, "is UTF-16 text: save the table as UTF-8 (e.g. iconv -f utf-16 -t utf-8)");
}

std::vector<Row> readCsvRows(const std::string& file, const TextTableOptions& o, std::pair<std::string, std::string>& columns) {
    const char delimiter = endsWith(file, ".tsv") || endsWith(file, ".tab") ? '\t' : 0;
    CsvRecordReader reader(file, delimiter);
    const auto& header = reader.header().cells;
    if (columns.first.empty()) columns = textTableColumns(header, o, file);
    const auto at = [&](const std::string& name) -> size_t {
        const auto it = std::find(header.begin(), header.end(), name);
        if (it == header.end()) throw DataError(file, "has no column '" + name + "' (the training table has; columns: " + columnList(header) + ")");
        return size_t(it - header.begin());
    };
    const size_t textAt = at(columns.first), labelAt = at(columns.second);
    std::vector<Row> rows;
    CsvRecord r;
    while (reader.next(r)) {
        if (r.cells.size() != header.size())
            throw DataError(tablePlace(file, r.line), "has " + std::to_string(r.cells.size()) + " cells, the header has " +
                                                          std::to_string(header.size()) + " columns");
        rows.push_back({std::move(r.cells[textAt]), std::move(r.cells[labelAt]), r.line});
    }
    return rows;
}

std::vector<Row> readJsonLines(const std::string& file, const TextTableOptions& o, std::pair<std::string, std::string>& columns) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) throw DataError(file, "no such file");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw DataError(file, "cannot be opened for reading");
    std::vector<Row> rows;
    std::string raw;
    for (int line = 1; std::getline(in, raw); ++line) {
        if (line == 1 && raw.rfind("\xEF\xBB\xBF", 0) == 0) raw.erase(0, 3);
        if (raw.find_first_not_of(" \t\r") == std::string::npos) continue;
        const std::string where = tablePlace(file, line);
        nlohmann::json row;
        try {
            row = nlohmann::json::parse(raw);
        } catch (const nlohmann::json::exception& e) {
            throw DataError(where, std::string("is not JSON (") + e.what() + ")");
        }
        if (!row.is_object()) throw DataError(where, "is not a JSON object (JSON Lines: one {\"text\": …, \"label\": …} per line)");
        if (columns.first.empty()) {
            std::vector<std::string> keys;
            for (auto it = row.begin(); it != row.end(); ++it) keys.push_back(it.key());
            columns = textTableColumns(keys, o, where);
        }
        const auto text = row.find(columns.first), label = row.find(columns.second);
        if (text == row.end()) throw DataError(where, "has no '" + columns.first + "' field");
        if (label == row.end()) throw DataError(where, "has no '" + columns.second + "' field (its label)");
        if (!text->is_string()) throw DataError(where, "field '" + columns.first + "' is not a string");
        std::string labelText;
        if (label->is_string()) labelText = label->get<std::string>();
        else if (label->is_number_integer() || label->is_boolean()) labelText = label->dump();
        else throw DataError(where, "field '" + columns.second + "' is neither a string nor an integer");
        rows.push_back({text->get<std::string>(), labelText, line});
    }
    if (rows.empty()) throw DataError(file, "holds no rows");
    return rows;
}

std::vector<Row> readRows(const std::string& file, const TextTableOptions& o, std::pair<std::string, std::string>& columns) {
    refuseUtf16(file);
    std::vector<Row> rows = isJsonLines(file) ? readJsonLines(file, o, columns) : readCsvRows(file, o, columns);
    if (rows.empty()) throw DataError(file, "has a header but no data rows");
    for (const Row& r : rows)
        if (r.label.find_first_not_of(" \t") == std::string::npos)
            throw DataError(tablePlace(file, r.line), "has an empty label (column '" + columns.second + "')");
    return rows;
}

} // namespace

std::vector<std::string> textTableHeader(const std::string& file) {
    refuseUtf16(file);
    if (!isJsonLines(file)) {
        const char delimiter = endsWith(file, ".tsv") || endsWith(file, ".tab") ? '\t' : 0;
        return CsvRecordReader(file, delimiter).header().cells;
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) throw DataError(file, "cannot be opened for reading");
    std::string raw;
    for (int line = 1; std::getline(in, raw); ++line) {
        if (raw.find_first_not_of(" \t\r") == std::string::npos) continue;
        try {
            const auto row = nlohmann::json::parse(raw);
            std::vector<std::string> keys;
            if (row.is_object())
                for (auto it = row.begin(); it != row.end(); ++it) keys.push_back(it.key());
            return keys;
        } catch (const nlohmann::json::exception& e) {
            throw DataError(tablePlace(file, line), std::string("is not JSON (") + e.what() + ")");
        }
    }
    throw DataError(file, "holds no rows");
}

bool isTextTable(const std::string& file) {
    if (isJsonLines(file)) return true;
    try {
        textTableColumns(textTableHeader(file), {}, file);
        return true;
    } catch (const DataError&) {
        return false;
    }
}

std::pair<std::string, std::string> textTableColumns(const std::vector<std::string>& header, const TextTableOptions& o,
                                                     const std::string& file) {
    const std::string text = chooseColumn(header, o.textColumn,
                                          {"text", "review", "sentence", "content", "body", "message", "document", "description"},
                                          "", "text", "--text-column", file);
    // As for numeric tables: without a label column by a known name, the last other column.
    std::string last;
    for (const auto& c : header)
        if (c != text) last = c;
    const std::string label = chooseColumn(header, o.labelColumn,
                                           {"label", "class", "sentiment", "target", "y", "category", "section"}, last, "label",
                                           "--label-column", file);
    if (text == label) throw DataError(file, "uses column '" + text + "' for both the text and the label");
    return {text, label};
}

TextSource readTextTable(const std::string& file, const TextTableOptions& o) {
    if (!(o.testSplit > 0 && o.testSplit < 1)) throw ConfigError("dataset.test_split", "must lie between 0 and 1 (exclusive)");
    std::pair<std::string, std::string> columns;
    std::vector<Row> train = readRows(file, o, columns);
    std::vector<std::string> labels;
    for (const Row& r : train) labels.push_back(r.label);
    TextSource s;
    s.classNames = distinctLabels(labels);
    if (s.classNames.size() < 2)
        throw DataError(file, "has only one class in column '" + columns.second + "' ('" + s.classNames[0] +
                                  "'): a classifier needs two or more");
    std::map<std::string, int64_t> classOf;
    for (size_t c = 0; c < s.classNames.size(); ++c) {
        classOf[s.classNames[c]] = int64_t(c);
        s.classPlaces.push_back(file + " (label '" + s.classNames[c] + "')");
    }
    auto add = [&](Row& r, const std::string& source, bool test) {
        const auto cls = classOf.find(r.label);
        if (cls == classOf.end())
            throw DataError(tablePlace(source, r.line), "label '" + r.label + "' is not a class of the training table " + file);
        if (r.text.find_first_not_of(" \t\r\n") == std::string::npos) {
            s.skipped.push_back({tablePlace(source, r.line), "has an empty text cell (column '" + columns.first + "')"});
            return;
        }
        TextDocument d;
        d.text = std::move(r.text);
        d.source = tablePlace(source, r.line);
        d.label = cls->second;
        d.test = test;
        s.documents.push_back(std::move(d));
    };
    if (o.testFile.empty()) {
        std::vector<std::vector<size_t>> rowsOfClass(s.classNames.size());
        for (size_t r = 0; r < train.size(); ++r) rowsOfClass[size_t(classOf[train[r].label])].push_back(r);
        std::vector<bool> isTest(train.size(), false);
        for (size_t c = 0; c < rowsOfClass.size(); ++c)
            for (size_t r : splitOffTestItems(rowsOfClass[c], o.testSplit, o.seed, c)) isTest[r] = true;
        for (int test = 0; test < 2; ++test)
            for (size_t r = 0; r < train.size(); ++r)
                if (isTest[r] == (test == 1)) add(train[r], file, test == 1);
    } else {
        for (Row& r : train) add(r, file, false);
        std::vector<Row> test = readRows(o.testFile, o, columns);
        for (Row& r : test) add(r, o.testFile, true);
    }
    s.files = {file};
    if (!o.testFile.empty()) s.files.push_back(o.testFile);
    return s;
}

} // namespace imblab
