// Per-step summaries of profiled training steps (see op_profile.h).
#include "training/op_profile.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <utility>

namespace imblab {
namespace {

bool has(const std::string& lower, std::initializer_list<const char*> parts) {
    return std::any_of(parts.begin(), parts.end(), [&](const char* p) { return lower.find(p) != std::string::npos; });
}

// Host ops nest (a module's forward holds its convolutions): an op's self time leaves out the ops
// recorded inside it on the same thread.
void addHostSelfTimes(std::vector<ProfiledEvent> host, std::map<std::string, OpProfileRow>& rows) {
    std::sort(host.begin(), host.end(), [](const ProfiledEvent& a, const ProfiledEvent& b) {
        if (a.thread != b.thread) return a.thread < b.thread;
        if (a.startNs != b.startNs) return a.startNs < b.startNs;
        return a.durationNs > b.durationNs;  // the enclosing op first
    });
    std::vector<int64_t> self(host.size());
    std::vector<size_t> open;  // indices of the ops enclosing the current one
    for (size_t i = 0; i < host.size(); ++i) {
        const auto& e = host[i];
        self[i] = e.durationNs;
        while (!open.empty()) {
            const auto& p = host[open.back()];
            if (p.thread == e.thread && e.startNs < p.startNs + p.durationNs) break;
            open.pop_back();
        }
        if (!open.empty()) self[open.back()] -= std::min(e.durationNs, self[open.back()]);
        open.push_back(i);
    }
    for (size_t i = 0; i < host.size(); ++i) {
        auto& r = rows[host[i].name];
        r.name = host[i].name;
        r.calls += 1;
        r.selfNs += self[i];
    }
}

std::string perStepUs(int64_t ns, int steps) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", double(ns) / 1000.0 / std::max(1, steps));
    return buf;
}

std::string perStepCalls(int64_t calls, int steps) {
    char buf[32];
    std::snprintf(buf, sizeof buf, calls % std::max(1, steps) == 0 ? "%.0f" : "%.1f", double(calls) / std::max(1, steps));
    return buf;
}

std::string percent(int64_t part, int64_t whole) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f %%", whole > 0 ? 100.0 * double(part) / double(whole) : 0.0);
    return buf;
}

// Kernel names are long template instantiations: keep the start, and no '|' to break the table.
std::string cell(std::string name, size_t width = 120) {
    std::replace(name.begin(), name.end(), '|', '/');
    if (name.size() > width) name = name.substr(0, width - 1) + "…";
    return "`" + name + "`";
}

} // namespace

std::string kernelFamily(const std::string& kernelName) {
    std::string n = kernelName;
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (has(n, {"memset"})) return "memset";
    if (has(n, {"memcpy"})) return "copy / cast";
    if (has(n, {"nchwtonhwc", "nhwctonchw"})) return "layout transform";
    if (has(n, {"batch_norm", "batchnorm", "bn_fw", "bn_bw", "welford"})) return "batch norm";
    if (has(n, {"conv", "xmma", "gemm", "cutlass", "cudnn", "wgrad", "dgrad", "fprop", "cask"}))
        return "convolution (cuDNN/GEMM)";
    if (has(n, {"copy_kernel", "copy_", "cast"})) return "copy / cast";
    if (has(n, {"reduce"})) return "reduction";
    if (has(n, {"index", "gather", "scatter"})) return "gather / scatter";
    if (has(n, {"elementwise", "vectorized", "unrolled", "fill"})) return "elementwise";
    return "other";
}

OpProfile summarizeProfile(const std::vector<ProfiledEvent>& events, int steps, int64_t wallNs) {
    OpProfile p;
    p.steps = steps;
    p.wallNs = wallNs;
    std::map<std::string, OpProfileRow> deviceRows, hostRows;
    std::map<std::string, KernelFamilyRow> families;
    std::vector<ProfiledEvent> host;
    std::vector<std::pair<int64_t, int64_t>> intervals;
    for (const auto& e : events) {
        if (!e.device) {
            host.push_back(e);
            continue;
        }
        auto& r = deviceRows[e.name];
        r.name = e.name;
        r.device = true;
        r.calls += 1;
        r.selfNs += e.durationNs;
        auto& f = families[kernelFamily(e.name)];
        f.calls += 1;
        f.ns += e.durationNs;
        p.deviceKernelNs += e.durationNs;
        p.deviceCalls += 1;
        intervals.emplace_back(e.startNs, e.startNs + e.durationNs);
    }
    // Kernels on several streams may overlap: busy time is the union of their intervals.
    std::sort(intervals.begin(), intervals.end());
    int64_t end = INT64_MIN;
    for (const auto& [s, e] : intervals) {
        if (s >= end) {
            p.deviceBusyNs += e - s;
            end = e;
        } else if (e > end) {
            p.deviceBusyNs += e - end;
            end = e;
        }
    }
    addHostSelfTimes(std::move(host), hostRows);
    const auto byTime = [](const OpProfileRow& a, const OpProfileRow& b) {
        return a.selfNs != b.selfNs ? a.selfNs > b.selfNs : a.name < b.name;
    };
    std::vector<OpProfileRow> dev, hst;
    for (auto& [_, r] : deviceRows) dev.push_back(std::move(r));
    for (auto& [_, r] : hostRows) hst.push_back(std::move(r));
    std::sort(dev.begin(), dev.end(), byTime);
    std::sort(hst.begin(), hst.end(), byTime);
    p.rows = std::move(dev);
    p.rows.insert(p.rows.end(), std::make_move_iterator(hst.begin()), std::make_move_iterator(hst.end()));
    for (auto& [name, f] : families) {
        f.family = name;
        p.families.push_back(f);
    }
    std::sort(p.families.begin(), p.families.end(), [](const KernelFamilyRow& a, const KernelFamilyRow& b) {
        return a.ns != b.ns ? a.ns > b.ns : a.family < b.family;
    });
    return p;
}

std::string profileMarkdown(const OpProfile& p, const std::string& title, int topN) {
    const int s = std::max(1, p.steps);
    std::string md = "# " + title + "\n\n";
    md += std::to_string(p.steps) + " steps profiled: wall " + perStepUs(p.wallNs, s) + " µs/step";
    if (p.deviceCalls > 0) {
        md += "; device busy " + perStepUs(p.deviceBusyNs, s) + " µs/step (" + percent(p.deviceBusyNs, p.wallNs) +
              " of the wall time); " + perStepCalls(p.deviceCalls, s) + " device kernels/copies per step, " +
              perStepUs(p.deviceKernelNs, int(p.deviceCalls)) + " µs each on average";
    }
    md += ".\nTimes are per step (profiler on: host times include its overhead).\n";
    if (p.deviceCalls > 0) {
        md += "\n## Device time by kernel family (from the kernel names)\n\n"
              "| family | kernels/step | µs/step | share of kernel time |\n|---|---:|---:|---:|\n";
        for (const auto& f : p.families)
            md += "| " + f.family + " | " + perStepCalls(f.calls, s) + " | " + perStepUs(f.ns, s) + " | " +
                  percent(f.ns, p.deviceKernelNs) + " |\n";
        md += "\n## Device kernels, top " + std::to_string(topN) +
              " by time\n\n| kernel | family | calls/step | µs/step | µs/call | share |\n|---|---|---:|---:|---:|---:|\n";
        int shown = 0;
        for (const auto& r : p.rows) {
            if (!r.device || shown++ >= topN) continue;
            md += "| " + cell(r.name) + " | " + kernelFamily(r.name) + " | " + perStepCalls(r.calls, s) + " | " +
                  perStepUs(r.selfNs, s) + " | " + perStepUs(r.selfNs, int(std::max<int64_t>(1, r.calls))) + " | " +
                  percent(r.selfNs, p.deviceKernelNs) + " |\n";
        }
    }
    int64_t hostNs = 0;
    for (const auto& r : p.rows)
        if (!r.device) hostNs += r.selfNs;
    md += "\n## Host ops, top " + std::to_string(topN) +
          " by self time\n\n| op | calls/step | self µs/step | share of host time |\n|---|---:|---:|---:|\n";
    int shown = 0;
    for (const auto& r : p.rows) {
        if (r.device || shown++ >= topN) continue;
        md += "| " + cell(r.name, 80) + " | " + perStepCalls(r.calls, s) + " | " + perStepUs(r.selfNs, s) + " | " +
              percent(r.selfNs, hostNs) + " |\n";
    }
    return md;
}

} // namespace imblab
