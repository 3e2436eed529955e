// The typed errors the engine throws; app/ and the UI catch them at the edge and show them.
#pragma once

#include <stdexcept>
#include <string>

namespace imblab {

// A file or folder that cannot be used: `file` names it, the message says what was expected.
class DataError : public std::runtime_error {
public:
    DataError(std::string file, const std::string& what)
        : std::runtime_error(file + ": " + what), file_(std::move(file)) {}
    const std::string& file() const { return file_; }

private:
    std::string file_;
};

// A setting out of range or unknown: `field` is its name in the config / CLI / GUI.
class ConfigError : public std::runtime_error {
public:
    ConfigError(std::string field, const std::string& what)
        : std::runtime_error(field + ": " + what), field_(std::move(field)) {}
    const std::string& field() const { return field_; }

private:
    std::string field_;
};

// A run that cannot go on (divergence, device trouble); the message says step, lr and loss.
class TrainingError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A data-parallel group that cannot go on: a rank was lost, stopped answering within the
// timeout, or the rendezvous failed; the message names the ranks.
class GroupError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace imblab
