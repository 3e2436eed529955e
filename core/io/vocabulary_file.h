// A text model's vocabulary as a JSON file beside its weights (vocabulary.json in a run folder,
// <name>.vocabulary.json beside an exported .safetensors): the words in id order and how texts
// became words, so that another program (docs/imblab_text_pytorch.py) feeds the model exactly the
// ids it was trained on.
#pragma once

#include <string>
#include <vector>

namespace imblab {

std::string vocabularyJson(const std::vector<std::string>& words, int maxTokens);

// The words of a vocabulary file. DataError naming the file when it is missing, not JSON, not
// this format, or its specials are not <pad> and <unk> at ids 0 and 1.
std::vector<std::string> readVocabularyFile(const std::string& path);

// Where an exported .safetensors keeps its vocabulary: model.safetensors → model.vocabulary.json.
std::string vocabularyPathBeside(const std::string& weightsPath);

} // namespace imblab
