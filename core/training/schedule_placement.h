// Where a run's LR decays and re-balancing switch fall: by epoch, or by step when the run is too
// short for the epoch schedule to reach them (lr_schedule.h), written into RunInfo in epochs
// (fractional when placed by step) for the charts and the report.
#pragma once

#include "api/experiment_config.h"
#include "api/run_info.h"
#include "training/lr_schedule.h"
#include "training/rebalancing.h"

#include <memory>
#include <vector>

namespace imblab {

struct PlacedSchedule {
    RunSchedule lr;
    std::unique_ptr<RebalanceSchedule> rebalance;
};

// Needs info.stepsPerEpoch; fills the schedule fields of `info` and its class weights.
PlacedSchedule placeRunSchedule(const ExperimentConfig& cfg, const std::vector<int64_t>& counts, RunInfo& info);

} // namespace imblab
