// Formatting of the progress line.
#include "cli_progress.h"

#include "io/run_directory.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdio>
#include <unistd.h>

namespace imblab {

CliProgress::CliProgress(std::string label, int epochs, bool quiet)
    : label_(std::move(label)), epochs_(epochs), tty_(isatty(STDERR_FILENO) != 0), quiet_(quiet) {}

void CliProgress::onReport(const MetricsReport& r) {
    if (r.epochEnd || r.midEpochTest) lastBalanced_ = r.balancedError;
    if (!firstSeen_) {
        firstSeen_ = true;
        spdlog::debug("first metrics {:.2f} s after the run started (step {})", r.elapsedSeconds, r.step);
    }
    if (quiet_) return;
    char bal[32] = "-";
    if (lastBalanced_ >= 0) std::snprintf(bal, sizeof bal, "%.2f%%", 100 * lastBalanced_);
    // A second stage trains on feature rows and reports no img/s: left out rather than shown as 0.
    char speed[32] = "";
    if (r.imgPerSec > 0) std::snprintf(speed, sizeof speed, "%.0f %s  ", r.imgPerSec, unit_.c_str());
    if (tty_) {
        std::fprintf(stderr, "\r%s epoch %d/%d  step %lld/%lld  loss %.4f  bal.err %s  %sETA %.0fs   ",
                     label_.c_str(), r.epoch + 1, epochs_, (long long)r.step, (long long)r.totalSteps, r.trainLoss, bal,
                     speed, r.etaSeconds);
        if (r.epochEnd) std::fprintf(stderr, "\n");
        std::fflush(stderr);
    } else if (r.epochEnd) {
        spdlog::info("{} epoch {}/{}  step {}/{}  loss {:.4f}  balanced error {}  minority {:.2f}%  {}ETA {:.0f}s",
                     label_, r.epoch + 1, epochs_, r.step, r.totalSteps, r.trainLoss, bal, 100 * r.minorityError,
                     speed, r.etaSeconds);
    }
}

void CliProgress::finish(const RunSummary& s) {
    if (tty_ && !quiet_) std::fprintf(stderr, "\n");
    if (s.status != RunStatus::Finished) spdlog::warn("{}: {} — {}", label_, runStatusName(s.status), s.message);
}

void CliRunObserver::onReport(const MetricsReport& r) {
    progress.onReport(r);
    if (writer_) writer_->onReport(r);
}

LoadProgress decodeProgressOnTerminal() {
    if (!isatty(STDERR_FILENO)) return {};
    return [](int64_t done, int64_t total) {
        std::fprintf(stderr, "\rdecoding %lld / %lld files%s", (long long)done, (long long)total, done == total ? "\n" : "");
        std::fflush(stderr);
        return true;
    };
}

} // namespace imblab
