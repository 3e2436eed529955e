// Aggregation and formatting of run results.
#include "io/results_table.h"

#include "api/methods.h"
#include "api/metrics_report.h"
#include "data/dataset_manifest.h"
#include "io/config_json.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <sstream>

namespace imblab {

namespace {

std::string fmt(const char* f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

std::string rhoText(double rho) { return fmt("%g", rho); }

struct Pivot {
    std::vector<std::string> methods, labels, settings;
    std::map<std::pair<std::string, std::string>, AggregateRow> cells;
};

Pivot pivot(const std::vector<RunResultRow>& rows) {
    Pivot p;
    for (const auto& a : aggregateRuns(rows)) {
        bool seen = false;
        for (const auto& m : p.labels) seen = seen || m == a.label;
        if (!seen) {
            p.methods.push_back(a.method);
            p.labels.push_back(a.label);
        }
        seen = false;
        for (const auto& s : p.settings) seen = seen || s == a.setting;
        if (!seen) p.settings.push_back(a.setting);
        p.cells[{a.label, a.setting}] = a;
    }
    return p;
}

std::string cell(const AggregateRow& a, const char* pm, const char* dagger) {
    const std::string mark = a.collapsedRuns > 0 ? dagger : "";
    if (a.runs > 1) return fmt("%.2f", 100 * a.meanError) + pm + fmt("%.2f", 100 * a.stdError) + mark;
    return fmt("%.2f", 100 * a.meanError) + mark;
}

// "† 2 of the 9 runs collapsed: …", or nothing when none did.
std::string collapsedNote(const Pivot& p) {
    int collapsed = 0, runs = 0;
    for (const auto& kv : p.cells) collapsed += kv.second.collapsedRuns, runs += kv.second.runs;
    if (collapsed == 0) return {};
    return "\n† " + std::to_string(collapsed) + " of the " + std::to_string(runs) +
           " runs collapsed: they learned to predict only a few classes, so the marked numbers say little about the "
           "method (runs.csv's collapsed column names them).\n";
}

std::string num(double v) { return std::isfinite(v) ? fmt("%.6f", v) : std::string(); }

} // namespace

RunResultRow resultRowFor(const ExperimentConfig& c) {
    RunResultRow row;
    row.method = methodIdOf(c);
    row.label = methodLabelOf(c);
    if (row.method == "custom") row.method = row.label;
    row.profile = c.dataset.profile;
    row.rho = c.dataset.rho;
    row.mu = c.dataset.mu;
    row.seed = c.train.seed;
    row.ownData = isOwnDataId(c.dataset.id);
    for (auto& kv : comparableSettings(c))
        if (kv.first != "dataset.profile" && kv.first != "dataset.rho" && kv.first != "dataset.mu")
            row.settings.push_back(std::move(kv));
    return row;
}

std::string settingName(const RunResultRow& r) {
    // Profile none keeps the data as it is: balanced for the benchmarks, a folder's own long tail.
    if (r.profile == "none") return r.ownData ? "as is" : "balanced";
    if (r.rho == 1) return "balanced";
    std::string s = r.profile + " ρ=" + rhoText(r.rho);
    if (r.profile == "step" && r.mu != 0.5) s += " μ=" + fmt("%g", r.mu);
    return s;
}

namespace {

// "epochs 2, lr 0.05": the settings of `mine` whose values differ among `all` (one method's groups).
std::string variantText(const std::vector<std::pair<std::string, std::string>>& mine,
                        const std::vector<const std::vector<std::pair<std::string, std::string>>*>& all) {
    std::string text;
    for (size_t k = 0; k < mine.size(); ++k) {
        bool differs = false;
        for (const auto* other : all) differs = differs || k >= other->size() || (*other)[k] != mine[k];
        if (!differs) continue;
        const std::string& key = mine[k].first;
        text += (text.empty() ? "" : ", ") + key.substr(key.find('.') + 1) + ' ' + mine[k].second;
    }
    return text;
}

} // namespace

std::vector<AggregateRow> aggregateRuns(const std::vector<RunResultRow>& rows) {
    std::vector<AggregateRow> out;
    std::vector<std::vector<const RunResultRow*>> members;
    for (const auto& r : rows) {
        const std::string setting = settingName(r);
        size_t i = 0;
        while (i < out.size() && !(out[i].method == r.method && out[i].setting == setting &&
                                   members[i].front()->settings == r.settings))
            ++i;
        if (i == out.size()) {
            AggregateRow row;
            row.method = r.method;
            row.label = r.label;
            row.setting = setting;
            out.push_back(std::move(row));
            members.emplace_back();
        }
        members[i].push_back(&r);
    }
    // A method run with different settings gets one row per setting combination, named by what differs.
    for (size_t i = 0; i < out.size(); ++i) {
        std::vector<const std::vector<std::pair<std::string, std::string>>*> sameMethod;
        for (size_t j = 0; j < out.size(); ++j)
            if (out[j].method == out[i].method) sameMethod.push_back(&members[j].front()->settings);
        out[i].variant = variantText(members[i].front()->settings, sameMethod);
        if (!out[i].variant.empty()) out[i].label += " (" + out[i].variant + ")";
    }
    for (size_t i = 0; i < out.size(); ++i) {
        const auto& m = members[i];
        double sum = 0, sumMin = 0, sumFreq = 0;
        int nMin = 0, nFreq = 0;
        auto finiteMean = [&](double RunResultRow::*field) {
            double total = 0;
            int n = 0;
            for (const auto* r : m)
                if (std::isfinite(r->*field)) total += r->*field, ++n;
            return n ? total / n : kNoValue;
        };
        out[i].meanManyShot = finiteMean(&RunResultRow::manyShot);
        out[i].meanMediumShot = finiteMean(&RunResultRow::mediumShot);
        out[i].meanFewShot = finiteMean(&RunResultRow::fewShot);
        out[i].meanTop5 = finiteMean(&RunResultRow::top5Error);
        out[i].meanWorstClass = finiteMean(&RunResultRow::worstClassError);
        out[i].meanGeometricRecall = finiteMean(&RunResultRow::geometricMeanRecall);
        out[i].meanMacroF1 = finiteMean(&RunResultRow::macroF1);
        if (std::isfinite(out[i].meanTop5)) {
            double s2 = 0;
            int n = 0;
            for (const auto* r : m)
                if (std::isfinite(r->top5Error)) s2 += (r->top5Error - out[i].meanTop5) * (r->top5Error - out[i].meanTop5), ++n;
            out[i].stdTop5 = n > 1 ? std::sqrt(s2 / (n - 1)) : 0.0;
        }
        for (const auto* r : m) {
            out[i].collapsedRuns += r->collapsed ? 1 : 0;
            sum += r->balancedError;
            if (std::isfinite(r->minorityError)) sumMin += r->minorityError, ++nMin;
            if (std::isfinite(r->frequentError)) sumFreq += r->frequentError, ++nFreq;
        }
        AggregateRow& a = out[i];
        a.runs = int(m.size());
        a.meanError = sum / a.runs;
        double ss = 0;
        for (const auto* r : m) ss += (r->balancedError - a.meanError) * (r->balancedError - a.meanError);
        a.stdError = a.runs > 1 ? std::sqrt(ss / (a.runs - 1)) : 0.0;
        a.meanMinority = nMin ? sumMin / nMin : std::nan("");
        a.meanFrequent = nFreq ? sumFreq / nFreq : std::nan("");
        const size_t k = m.front()->classErrors.size();
        if (k > 0 && std::all_of(m.begin(), m.end(), [&](const RunResultRow* r) { return r->classErrors.size() == k; })) {
            a.meanClassErrors.assign(k, 0.0);
            a.stdClassErrors.assign(k, 0.0);
            for (size_t c = 0; c < k; ++c) {
                for (const auto* r : m) a.meanClassErrors[c] += r->classErrors[c] / a.runs;
                double s2 = 0;
                for (const auto* r : m) s2 += (r->classErrors[c] - a.meanClassErrors[c]) * (r->classErrors[c] - a.meanClassErrors[c]);
                a.stdClassErrors[c] = a.runs > 1 ? std::sqrt(s2 / (a.runs - 1)) : 0.0;
            }
        }
    }
    return out;
}

namespace {

// A Markdown pivot of methods × settings with `text` in each cell ("–" where a method lacks a setting).
void markdownPivot(std::ostringstream& o, const Pivot& p, const std::function<std::string(const AggregateRow&)>& text) {
    o << "| Method |";
    for (const auto& s : p.settings) o << ' ' << s << " |";
    o << "\n|---|";
    for (size_t i = 0; i < p.settings.size(); ++i) o << "---:|";
    o << '\n';
    for (size_t m = 0; m < p.methods.size(); ++m) {
        o << "| " << p.labels[m] << " |";
        for (const auto& s : p.settings) {
            auto it = p.cells.find({p.labels[m], s});
            o << ' ' << (it == p.cells.end() ? std::string("–") : text(it->second)) << " |";
        }
        o << '\n';
    }
}

} // namespace

namespace {

// The paper's Table 1 layout: the error on each class, and their mean, per method and setting;
// only for a few classes with the same names in every run.
std::string perClassMarkdown(const std::vector<RunResultRow>& rows) {
    if (rows.empty()) return {};
    const auto& names = rows.front().classNames;
    if (names.empty() || names.size() > kPerClassTableClasses) return {};
    for (const auto& r : rows)
        if (r.classNames != names || r.classErrors.size() != names.size()) return {};
    const auto groups = aggregateRuns(rows);
    const bool severalSettings = std::any_of(groups.begin(), groups.end(), [&](const auto& a) { return a.setting != groups.front().setting; });
    std::ostringstream o;
    o << "\nTest error per class (%), mean ± std over seeds (the layout of the paper's Table 1):\n\n| Method |";
    if (severalSettings) o << " setting |";
    for (const auto& n : names) o << " error on " << n << " |";
    o << " mean |\n|---|" << (severalSettings ? "---|" : "");
    for (size_t c = 0; c <= names.size(); ++c) o << "---:|";
    o << '\n';
    for (const auto& a : groups) {
        if (a.meanClassErrors.size() != names.size()) continue;
        o << "| " << a.label << " |";
        if (severalSettings) o << ' ' << a.setting << " |";
        for (size_t c = 0; c < names.size(); ++c) {
            o << ' ' << fmt("%.2f", 100 * a.meanClassErrors[c]);
            if (a.runs > 1) o << " ± " << fmt("%.2f", 100 * a.stdClassErrors[c]);
            o << " |";
        }
        o << ' ' << cell(a, " ± ", " †") << " |\n";
    }
    return o.str();
}

} // namespace

std::string resultsMarkdown(const std::vector<RunResultRow>& rows) {
    const Pivot p = pivot(rows);
    std::ostringstream o;
    markdownPivot(o, p, [](const AggregateRow& a) { return cell(a, " ± ", " †"); });
    o << collapsedNote(p);
    // Many / medium / few-shot accuracy, when any run reports it.
    const bool shots = std::any_of(p.cells.begin(), p.cells.end(), [](const auto& kv) {
        const AggregateRow& a = kv.second;
        return std::isfinite(a.meanManyShot) || std::isfinite(a.meanMediumShot) || std::isfinite(a.meanFewShot);
    });
    o << perClassMarkdown(rows);
    const bool top5 = std::any_of(rows.begin(), rows.end(), [](const RunResultRow& r) {
        return MetricsReport::showsTop5(int(r.classNames.size())) && std::isfinite(r.top5Error);
    });
    if (top5) {
        o << "\nTop-5 test error (%), mean ± std over seeds (the label not among the five largest logits, averaged over "
             "the classes):\n\n";
        markdownPivot(o, p, [](const AggregateRow& a) {
            if (!std::isfinite(a.meanTop5)) return std::string("–");
            return fmt("%.2f", 100 * a.meanTop5) + (a.runs > 1 ? " ± " + fmt("%.2f", 100 * a.stdTop5) : std::string());
        });
    }
    auto pct = [](double v) { return std::isfinite(v) ? fmt("%.1f", 100 * v) : std::string("–"); };
    const bool measures = std::any_of(p.cells.begin(), p.cells.end(),
                                      [](const auto& kv) { return std::isfinite(kv.second.meanWorstClass); });
    if (measures) {
        o << "\nWorst-class error / geometric mean of the recalls / macro-F1 (%), mean over seeds (docs/science.md):\n\n";
        markdownPivot(o, p, [&](const AggregateRow& a) {
            return pct(a.meanWorstClass) + " / " + pct(a.meanGeometricRecall) + " / " + pct(a.meanMacroF1);
        });
    }
    if (!shots) return o.str();
    o << "\nMany / medium / few-shot test accuracy (%), mean over seeds (many > 100, medium 20–100, few < 20 "
         "training examples; – when no class is in the group):\n\n";
    markdownPivot(o, p, [&](const AggregateRow& a) {
        return pct(a.meanManyShot) + " / " + pct(a.meanMediumShot) + " / " + pct(a.meanFewShot);
    });
    return o.str();
}

std::string resultsLatex(const std::vector<RunResultRow>& rows) {
    const Pivot p = pivot(rows);
    std::ostringstream o;
    o << "\\begin{tabular}{l" << std::string(p.settings.size(), 'r') << "}\n\\hline\nMethod";
    for (const auto& s : p.settings) o << " & " << s;
    o << " \\\\\n\\hline\n";
    for (size_t m = 0; m < p.methods.size(); ++m) {
        o << p.labels[m];
        for (const auto& s : p.settings) {
            auto it = p.cells.find({p.labels[m], s});
            o << " & " << (it == p.cells.end() ? std::string("--") : cell(it->second, " $\\pm$ ", "$^\\dagger$"));
        }
        o << " \\\\\n";
    }
    o << "\\hline\n\\end{tabular}\n";
    if (const std::string note = collapsedNote(p); !note.empty())
        o << "\\par\\footnotesize $^\\dagger$" << note.substr(note.find("† ") + std::string("† ").size());
    std::string text = o.str();
    for (size_t pos; (pos = text.find("ρ")) != std::string::npos;) text.replace(pos, std::string("ρ").size(), "$\\rho$");
    for (size_t pos; (pos = text.find("μ")) != std::string::npos;) text.replace(pos, std::string("μ").size(), "$\\mu$");
    return text;
}

std::string resultsCsv(const std::vector<RunResultRow>& rows) {
    std::ostringstream o;
    o << "method,label,setting,runs,balanced_error_mean,balanced_error_std,minority_error_mean,frequent_error_mean,"
         "many_shot_accuracy_mean,medium_shot_accuracy_mean,few_shot_accuracy_mean,collapsed_runs,top5_error_mean,"
         "worst_class_error_mean,gmean_recall_mean,macro_f1_mean\n";
    for (const auto& a : aggregateRuns(rows))
        o << a.method << ',' << a.label << ",\"" << a.setting << "\"," << a.runs << ',' << num(a.meanError) << ','
          << num(a.stdError) << ',' << num(a.meanMinority) << ',' << num(a.meanFrequent) << ',' << num(a.meanManyShot) << ','
          << num(a.meanMediumShot) << ',' << num(a.meanFewShot) << ',' << a.collapsedRuns << ',' << num(a.meanTop5) << ','
          << num(a.meanWorstClass) << ',' << num(a.meanGeometricRecall) << ',' << num(a.meanMacroF1) << '\n';
    return o.str();
}

std::string runsCsv(const std::vector<RunResultRow>& rows) {
    std::ostringstream o;
    o << "method,label,profile,rho,mu,seed,balanced_error,minority_error,frequent_error,many_shot_accuracy,"
         "medium_shot_accuracy,few_shot_accuracy,wall_seconds,collapsed,top5_error,worst_class_error,gmean_recall,macro_f1\n";
    for (const auto& r : rows)
        o << r.method << ',' << r.label << ',' << r.profile << ',' << fmt("%g", r.rho) << ',' << fmt("%g", r.mu) << ','
          << r.seed << ',' << num(r.balancedError) << ',' << num(r.minorityError) << ',' << num(r.frequentError) << ','
          << num(r.manyShot) << ',' << num(r.mediumShot) << ',' << num(r.fewShot) << ',' << num(r.wallSeconds) << ','
          << (r.collapsed ? 1 : 0) << ',' << num(r.top5Error) << ',' << num(r.worstClassError) << ','
          << num(r.geometricMeanRecall) << ',' << num(r.macroF1) << '\n';
    return o.str();
}

} // namespace imblab
