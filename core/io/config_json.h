// The versioned JSON schema of an experiment (CLI --config, presets, GUI sessions). Unknown
// fields and wrong types are rejected with a ConfigError naming the field ("loss.max_m").
#pragma once

#include "api/experiment_config.h"
#include "api/run_info.h"

#include <string>
#include <vector>

namespace imblab {

// Reads a config; fields not given keep the values of `base` (the defaults, or a preset).
ExperimentConfig parseConfig(const std::string& jsonText, const std::string& source,
                             const ExperimentConfig& base = ExperimentConfig{});
ExperimentConfig loadConfigFile(const std::string& path, const ExperimentConfig& base = ExperimentConfig{});

// Pretty JSON of every field (stable key order), version 1.
std::string configToJson(const ExperimentConfig& cfg);
// The config plus what the run resolved: class_counts, margins (Δ_j), class_weights (w_j),
// schedule epochs, device.
std::string resolvedConfigToJson(const ExperimentConfig& cfg, const RunInfo& info);

// The settings that make two runs the same experiment, as (dotted key, value text) in schema
// order: every field but the seeds and how the run executes (name, device, pipeline, threads,
// channels-last, determinism, report/margin/checkpoint cadence). Runs with equal lists differ
// only in their seed, so a table may pool them as seeds.
std::vector<std::pair<std::string, std::string>> comparableSettings(const ExperimentConfig& cfg);

// Presets compiled in from resources/presets/<name>.json.
std::vector<std::string> presetNames();
ExperimentConfig loadPreset(const std::string& name);  // ConfigError("preset") if unknown
// The methods a preset's table compares ("sweep_methods": the paper's rows for its protocol,
// e.g. imdb-table1's ERM, RS, RW, LDAM-DRW); empty when the preset names none.
std::vector<std::string> presetSweepMethods(const std::string& name);

} // namespace imblab
