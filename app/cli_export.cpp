// `imblab-cli export`: a run folder's model as safetensors or ONNX, or its metrics as long-form CSV.
#include "cli_commands.h"
#include "errors.h"
#include "io/atomic_file.h"
#include "io/metrics_csv.h"
#include "io/model_export.h"
#include "io/onnx_export.h"

#include <spdlog/spdlog.h>

#include <memory>

namespace imblab {

CommandRunner addExportCommand(CLI::App& app) {
    auto* cmd = app.add_subcommand("export", "Export a run folder's model (safetensors, onnx) or metrics (csv)");
    auto run = std::make_shared<std::string>();
    auto format = std::make_shared<std::string>("safetensors");
    auto out = std::make_shared<std::string>();
    cmd->add_option("--run", *run, "Run folder written by 'train --out'")->required();
    cmd->add_option("--format", *format, "safetensors, onnx or csv")->capture_default_str();
    cmd->add_option("--out", *out, "Output file")->required();
    return [=]() {
        if (*format == "safetensors") exportRunSafetensors(*run, *out);
        else if (*format == "onnx") exportOnnx(loadRunModel(*run), *out);
        else if (*format == "csv") writeTextAtomically(*out, runFolderMetricsCsv(*run));
        else throw ConfigError("--format", "unknown format '" + *format + "' (expected safetensors, onnx or csv)");
        spdlog::info("wrote {}", *out);
        return 0;
    };
}

} // namespace imblab
