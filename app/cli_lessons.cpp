// `imblab-cli lessons`: trains every teaching lesson's two sides over seeds and prints whether
// each lesson's claim holds (the README's lesson table comes from here).
#include "cli_commands.h"
#include "api/experiment_grid.h"
#include "api/methods.h"
#include "errors.h"
#include "teaching/lessons.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

namespace imblab {

CommandRunner addLessonsCommand(CLI::App& app) {
    auto* cmd = app.add_subcommand("lessons", "Check each teaching lesson's claim over seeds; prints a Markdown table");
    auto seeds = std::make_shared<std::string>("0,1,2,3,4,5,6,7,8,9");
    auto only = std::make_shared<std::string>();
    cmd->add_option("--seeds", *seeds, "Comma-separated seeds (data and model)")->capture_default_str();
    cmd->add_option("--lesson", *only, "Only this lesson id (erm-vs-rw, ce-vs-ldam, rw-vs-drw)");
    return [=]() {
        const auto seedList = parseSeedList(*seeds, "--seeds");
        bool found = only->empty();
        std::cout << "| Lesson | Claim | Left | Right | Gap (left − right) | Holds in | Convincing | Rare γ left → right |\n"
                     "|---|---|---:|---:|---:|---:|:---:|---:|\n";
        int index = 0;
        for (const LessonSetup& l : lessonSetups()) {
            ++index;
            if (!only->empty() && l.id != *only) continue;
            if (l.theory) {
                if (!only->empty()) throw ConfigError("--lesson", "'" + l.id + "' is the margin theory explorer: it has no runs to measure");
                continue;
            }
            found = true;
            RunControl control;
            const auto outcomes = measureLesson(l, seedList, control);
            const LessonStats st = lessonStats(outcomes);
            // The rarest class's γ (input units), mean over the seeds that have a boundary.
            double gl = 0, gr = 0;
            int nl = 0, nr = 0;
            for (const auto& o : outcomes) {
                if (std::isfinite(o.leftGamma)) gl += o.leftGamma, ++nl;
                if (std::isfinite(o.rightGamma)) gr += o.rightGamma, ++nr;
            }
            char row[512];
            std::snprintf(row, sizeof row,
                          "| %d. %s | %s %s < %s | %.1f ± %.1f %% | %.1f ± %.1f %% | %.2f ± %.2f | %d/%d | %s | %.2f → %.2f |\n",
                          index, l.id.c_str(), lessonMetricName(l.metric).c_str(), findMethod(l.right).label.c_str(),
                          findMethod(l.left).label.c_str(), 100 * st.leftMean, 100 * st.leftStd, 100 * st.rightMean,
                          100 * st.rightStd, 100 * st.gapMean, 100 * st.gapStd, st.holds, st.seeds,
                          st.convincing() ? "yes" : "no", nl ? gl / nl : NAN, nr ? gr / nr : NAN);
            std::cout << row << std::flush;
        }
        if (!found) throw ConfigError("--lesson", "unknown lesson '" + *only + "'");
        return 0;
    };
}

} // namespace imblab
