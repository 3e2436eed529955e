// CSV-table datasets: a header row, numeric feature columns and one label column (labels may be
// strings). Features are standardised with the training split's mean and standard deviation;
// the rows are trained as feature vectors (the MLP). A second table is the test split, else the
// stratified hold-out of image folders.
#pragma once

#include "data/dataset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace imblab {

struct CsvTableOptions {
    std::string labelColumn;  // empty = a column named label, class, target or y, else the last
    std::string testFile;     // a table with the same columns for the test split; empty = hold-out
    double testSplit = 0.2;   // held-out fraction per class without a test table
    uint64_t seed = 0;        // which rows are held out
};

// The column names of the header row. DataError naming the file when it is missing or empty.
std::vector<std::string> readCsvHeader(const std::string& file);

// The label column `requested` names, or the default; DataError naming the file and listing
// the columns when it does not exist.
std::string chooseLabelColumn(const std::vector<std::string>& columns, const std::string& requested,
                              const std::string& file);

// The table as a dataset with id "csv": featureDim = the other columns, featureNames their names,
// classNames the distinct labels (numeric order when every label is a number). DataError naming
// file:line for a ragged row, an empty cell, a feature that is not a finite number, an unterminated
// quote, a test label the training table lacks; and for fewer than two classes.
Dataset loadCsvTable(const std::string& file, const CsvTableOptions& options);

} // namespace imblab
