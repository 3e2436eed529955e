// Parsing and standardising CSV tables; see csv_table.h.
#include "data/csv_table.h"

#include "data/csv_records.h"
#include "data/stratified_split.h"
#include "errors.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <utility>

namespace imblab {

namespace {

struct Row {
    std::vector<std::string> cells;
    int line = 0;  // 1-based, for errors
};

struct Table {
    std::vector<std::string> header;
    std::vector<Row> rows;
};

std::string at(const std::string& file, int line) { return tablePlace(file, line); }

void requireTableFile(const std::string& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) throw DataError(file, "no such CSV file");
}

Table readTable(const std::string& file) {
    requireTableFile(file);
    CsvRecordReader reader(file);
    Table t;
    t.header = reader.header().cells;
    const int headerLine = reader.header().line;
    for (size_t c = 0; c < t.header.size(); ++c) {
        if (t.header[c].empty())
            throw DataError(at(file, headerLine), "column " + std::to_string(c + 1) + " of the header has no name");
        for (size_t d = 0; d < c; ++d)
            if (t.header[d] == t.header[c]) throw DataError(at(file, headerLine), "names column '" + t.header[c] + "' twice");
    }
    CsvRecord record;
    while (reader.next(record)) {
        Row row{std::move(record.cells), record.line};
        if (row.cells.size() != t.header.size())
            throw DataError(at(file, row.line), "has " + std::to_string(row.cells.size()) + " cells, the header has " +
                                                    std::to_string(t.header.size()) + " columns");
        t.rows.push_back(std::move(row));
    }
    if (t.rows.empty()) throw DataError(file, "has a header but no data rows");
    return t;
}

std::string lower(std::string s) {
    for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

} // namespace

std::vector<std::string> readCsvHeader(const std::string& file) {
    // Only the first record, so a window can offer the columns without reading a large table.
    requireTableFile(file);
    return CsvRecordReader(file).header().cells;
}

std::string chooseLabelColumn(const std::vector<std::string>& columns, const std::string& requested, const std::string& file) {
    if (columns.size() < 2) throw DataError(file, "needs at least one feature column and one label column");
    if (!requested.empty()) {
        if (std::find(columns.begin(), columns.end(), requested) != columns.end()) return requested;
        std::string list;
        for (const auto& c : columns) list += (list.empty() ? "" : ", ") + c;
        throw DataError(file, "has no column '" + requested + "' (columns: " + list + ")");
    }
    for (const char* name : {"label", "class", "target", "y"})
        for (const auto& c : columns)
            if (lower(c) == name) return c;
    return columns.back();
}

Dataset loadCsvTable(const std::string& file, const CsvTableOptions& o) {
    if (!(o.testSplit > 0 && o.testSplit < 1)) throw ConfigError("dataset.test_split", "must lie between 0 and 1 (exclusive)");
    const Table train = readTable(file);
    const std::string labelColumn = chooseLabelColumn(train.header, o.labelColumn, file);
    const size_t labelAt = size_t(std::find(train.header.begin(), train.header.end(), labelColumn) - train.header.begin());

    Dataset ds;
    ds.id = "csv";
    for (size_t c = 0; c < train.header.size(); ++c)
        if (c != labelAt) ds.featureNames.push_back(train.header[c]);
    ds.featureDim = int(ds.featureNames.size());

    // Classes: the distinct labels, in numeric order when all are integers ("2" before "10").
    std::vector<std::string> labels;
    for (const auto& row : train.rows) {
        if (row.cells[labelAt].empty()) throw DataError(at(file, row.line), "has an empty label (column '" + labelColumn + "')");
        labels.push_back(row.cells[labelAt]);
    }
    const std::vector<std::string> names = distinctLabels(labels);
    if (names.size() < 2)
        throw DataError(file, "has only one class in column '" + labelColumn + "' ('" + names[0] + "'): a classifier needs two or more");
    ds.classNames = names;
    std::map<std::string, int64_t> classOf;
    for (size_t c = 0; c < names.size(); ++c) classOf[names[c]] = int64_t(c);

    // One table's rows as features and labels, in file order.
    auto toSplit = [&](const Table& t, const std::string& source, const std::vector<size_t>& rowIndices) {
        std::vector<size_t> columnOf;  // feature f → the table's column
        for (const auto& name : ds.featureNames) {
            const auto it = std::find(t.header.begin(), t.header.end(), name);
            if (it == t.header.end()) throw DataError(source, "has no column '" + name + "' (the training table has)");
            columnOf.push_back(size_t(it - t.header.begin()));
        }
        const auto labelIt = std::find(t.header.begin(), t.header.end(), labelColumn);
        if (labelIt == t.header.end()) throw DataError(source, "has no label column '" + labelColumn + "'");
        const size_t tLabelAt = size_t(labelIt - t.header.begin());
        DatasetSplit split;
        for (size_t r : rowIndices) {
            const Row& row = t.rows[r];
            const auto cls = classOf.find(row.cells[tLabelAt]);
            if (cls == classOf.end())
                throw DataError(at(source, row.line), "label '" + row.cells[tLabelAt] + "' is not a class of the training table " + file);
            for (size_t f = 0; f < columnOf.size(); ++f) {
                const std::string& cell = row.cells[columnOf[f]];
                const std::string where = at(source, row.line);
                if (cell.empty())
                    throw DataError(where, "column '" + ds.featureNames[f] + "' is empty (fill or drop missing values first)");
                char* end = nullptr;
                const double v = std::strtod(cell.c_str(), &end);
                if (end != cell.c_str() + cell.size())
                    throw DataError(where, "column '" + ds.featureNames[f] + "' holds '" + cell + "', not a number");
                if (!std::isfinite(v) || std::abs(v) > 3.0e38)
                    throw DataError(where, "column '" + ds.featureNames[f] + "' holds '" + cell + "', not a finite number");
                split.features.push_back(float(v));
            }
            split.labels.push_back(cls->second);
        }
        return split;
    };

    std::vector<std::vector<size_t>> rowsOfClass(names.size());
    for (size_t r = 0; r < train.rows.size(); ++r) rowsOfClass[size_t(classOf[labels[r]])].push_back(r);
    std::vector<size_t> trainRows, testRows;
    if (o.testFile.empty())
        for (size_t c = 0; c < rowsOfClass.size(); ++c) {
            const auto held = splitOffTestItems(rowsOfClass[c], o.testSplit, o.seed, c);
            testRows.insert(testRows.end(), held.begin(), held.end());
        }
    for (const auto& rows : rowsOfClass) trainRows.insert(trainRows.end(), rows.begin(), rows.end());
    std::sort(trainRows.begin(), trainRows.end());
    std::sort(testRows.begin(), testRows.end());
    ds.train = toSplit(train, file, trainRows);
    if (o.testFile.empty()) {
        ds.test = toSplit(train, file, testRows);
    } else {
        const Table test = readTable(o.testFile);
        std::vector<size_t> all(test.rows.size());
        for (size_t r = 0; r < all.size(); ++r) all[r] = r;
        ds.test = toSplit(test, o.testFile, all);
    }

    // Standardise with the training split's statistics (a constant column is only centred).
    const size_t d = size_t(ds.featureDim);
    const double n = double(ds.train.size());
    for (size_t f = 0; f < d; ++f) {
        double sum = 0, sumSq = 0;
        for (size_t i = f; i < ds.train.features.size(); i += d) sum += ds.train.features[i];
        const double mean = sum / n;
        for (size_t i = f; i < ds.train.features.size(); i += d) sumSq += (ds.train.features[i] - mean) * (ds.train.features[i] - mean);
        const double sd = std::sqrt(sumSq / n);
        const double scale = sd > 1e-12 ? 1.0 / sd : 1.0;
        for (DatasetSplit* s : {&ds.train, &ds.test})
            for (size_t i = f; i < s->features.size(); i += d) s->features[i] = float((s->features[i] - mean) * scale);
        ds.mean.push_back(mean);
        ds.std.push_back(sd > 1e-12 ? sd : 1.0);
    }
    return ds;
}

} // namespace imblab
