// iNaturalist annotation files; see inat_json.h.
#include "data/inat_json.h"

#include "errors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace imblab {

namespace fs = std::filesystem;

namespace {

struct Image {
    int64_t id = -1;
    std::string file;
};
struct Annotation {
    int64_t imageId = -1, categoryId = -1;
};
struct Category {
    int64_t id = -1;
    std::string name;
};

struct InatFile {
    std::vector<Image> images;
    std::vector<Annotation> annotations;
    std::vector<Category> categories;
    bool hasImages = false, hasAnnotations = false, hasCategories = false;
};

// The three sections' fields, picked from the parser's events; everything else passes by.
class InatSax : public nlohmann::json_sax<nlohmann::json> {
public:
    explicit InatSax(InatFile& out) : out_(out) {}

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t v) override { return integer(int64_t(v)); }
    bool number_unsigned(number_unsigned_t v) override { return integer(int64_t(v)); }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool string(string_t& v) override {
        if (depth_ != 3) return true;
        if (section_ == Section::Images && key_ == "file_name") out_.images.back().file = std::move(v);
        else if (section_ == Section::Categories && key_ == "name") out_.categories.back().name = std::move(v);
        return true;
    }
    bool start_object(std::size_t) override {
        ++depth_;
        if (depth_ == 3) {  // a record of the section
            if (section_ == Section::Images) out_.images.emplace_back();
            else if (section_ == Section::Annotations) out_.annotations.emplace_back();
            else if (section_ == Section::Categories) out_.categories.emplace_back();
        }
        return true;
    }
    bool key(string_t& k) override {
        if (depth_ == 1) {
            section_ = k == "images" ? Section::Images : k == "annotations" ? Section::Annotations
                       : k == "categories" ? Section::Categories : Section::Other;
            if (section_ == Section::Images) out_.hasImages = true;
            if (section_ == Section::Annotations) out_.hasAnnotations = true;
            if (section_ == Section::Categories) out_.hasCategories = true;
        } else if (depth_ == 3) {
            key_ = k;
        }
        return true;
    }
    bool end_object() override {
        --depth_;
        return true;
    }
    bool start_array(std::size_t) override {
        ++depth_;
        return true;
    }
    bool end_array() override {
        --depth_;
        return true;
    }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
        error_ = "is not valid JSON at byte " + std::to_string(position) + " (" + e.what() + ")";
        return false;
    }
    const std::string& error() const { return error_; }

private:
    enum class Section { Other, Images, Annotations, Categories };
    bool integer(int64_t v) {
        if (depth_ != 3) return true;
        if (section_ == Section::Images && key_ == "id") out_.images.back().id = v;
        else if (section_ == Section::Annotations && key_ == "image_id") out_.annotations.back().imageId = v;
        else if (section_ == Section::Annotations && key_ == "category_id") out_.annotations.back().categoryId = v;
        else if (section_ == Section::Categories && key_ == "id") out_.categories.back().id = v;
        return true;
    }
    InatFile& out_;
    int depth_ = 0;
    Section section_ = Section::Other;
    std::string key_, error_;
};

InatFile readInatFile(const std::string& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) throw DataError(path, "no such annotation file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DataError(path, "cannot be opened for reading");
    InatFile f;
    InatSax sax(f);
    if (!nlohmann::json::sax_parse(in, &sax)) throw DataError(path, sax.error().empty() ? "is not valid JSON" : sax.error());
    if (!f.hasImages || !f.hasCategories)
        throw DataError(path, "has no \"images\" or no \"categories\" section (iNaturalist's annotation files have "
                              "images, annotations and categories)");
    return f;
}

// The class of each image of a file, by its categories' ids in `classOf`; files per class.
std::vector<std::vector<std::string>> filesByClass(const InatFile& f, const std::string& path, const fs::path& root,
                                                   const std::map<int64_t, size_t>& classOf, bool test) {
    std::unordered_map<int64_t, size_t> imageAt;
    std::unordered_map<std::string, int64_t> fileOwner;
    for (size_t i = 0; i < f.images.size(); ++i) {
        const Image& im = f.images[i];
        if (im.id < 0 || im.file.empty())
            throw DataError(path, "image record " + std::to_string(i + 1) + " has no id or no file_name");
        if (!imageAt.emplace(im.id, i).second)
            throw DataError(path, "lists image id " + std::to_string(im.id) + " twice");
        if (auto [it, added] = fileOwner.emplace(im.file, im.id); !added)
            throw DataError(path, "lists the file " + im.file + " twice (images " + std::to_string(it->second) + " and " +
                                      std::to_string(im.id) + ")");
    }
    if (!f.hasAnnotations || f.annotations.empty())
        throw DataError(path, "has no annotations: its images have no classes (iNaturalist's test files are unlabelled; "
                              "use the validation file as the test split)");
    std::vector<std::vector<std::string>> files(classOf.size());
    std::vector<bool> labelled(f.images.size(), false);
    for (size_t a = 0; a < f.annotations.size(); ++a) {
        const Annotation& an = f.annotations[a];
        const auto image = imageAt.find(an.imageId);
        if (image == imageAt.end())
            throw DataError(path, "annotation " + std::to_string(a + 1) + " names image id " + std::to_string(an.imageId) +
                                      ", which \"images\" lacks");
        const auto cls = classOf.find(an.categoryId);
        if (cls == classOf.end())
            throw DataError(path, "annotation " + std::to_string(a + 1) + " names category id " + std::to_string(an.categoryId) +
                                      (test ? ", which the training file's categories lack" : ", which \"categories\" lacks"));
        if (labelled[image->second])
            throw DataError(path, "annotates image id " + std::to_string(an.imageId) + " twice");
        labelled[image->second] = true;
        const fs::path p(f.images[image->second].file);
        files[cls->second].push_back((p.is_absolute() ? p : root / p).lexically_normal().string());
    }
    for (size_t i = 0; i < f.images.size(); ++i)
        if (!labelled[i])
            throw DataError(path, "image id " + std::to_string(f.images[i].id) + " (" + f.images[i].file + ") has no annotation");
    for (auto& list : files) std::sort(list.begin(), list.end());
    return files;
}

} // namespace

ClassFolderListing listInatJson(const InatSource& src, double testSplit, uint64_t seed) {
    if (src.trainFile.empty()) throw DataError("inat", "no annotation file given: choose train2018.json (or another year's)");
    const fs::path root = src.root.empty() ? fs::path(src.trainFile).parent_path() : fs::path(src.root);
    std::error_code ec;
    if (!src.root.empty() && !fs::is_directory(root, ec)) throw DataError(src.root, "no such folder (the root of the images' file names)");
    const InatFile train = readInatFile(src.trainFile);
    std::map<int64_t, std::string> categories;
    for (const Category& c : train.categories) {
        if (c.id < 0) throw DataError(src.trainFile, "has a category without an id");
        if (!categories.emplace(c.id, c.name.empty() ? std::to_string(c.id) : c.name).second)
            throw DataError(src.trainFile, "lists category id " + std::to_string(c.id) + " twice");
    }
    if (categories.size() < 2) throw DataError(src.trainFile, "names fewer than two categories: a classifier needs two or more");
    ClassFolderListing l;
    std::map<int64_t, size_t> classOf;
    for (const auto& [id, name] : categories) {
        classOf[id] = l.classNames.size();
        l.classNames.push_back(name);
        l.classPlaces.push_back(src.trainFile + " (category " + std::to_string(id) + ", '" + name + "')");
    }
    l.trainFiles = filesByClass(train, src.trainFile, root, classOf, false);
    for (size_t c = 0; c < l.classNames.size(); ++c)
        if (l.trainFiles[c].empty())
            throw DataError(l.classPlaces[c], "has no training image: every class needs at least one");
    l.ownSplits = !src.testFile.empty();
    if (l.ownSplits) l.testFiles = filesByClass(readInatFile(src.testFile), src.testFile, root, classOf, true);
    else holdOutTestFiles(l, testSplit, seed);
    return l;
}

} // namespace imblab
