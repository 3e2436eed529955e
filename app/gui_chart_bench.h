// imblab-gui-bench --charts K [EPOCHS]: the run charts' cost at K classes (see gui_chart_bench.cpp).
#pragma once

namespace imblab {

int runChartBench(int classes, int epochs);

} // namespace imblab
