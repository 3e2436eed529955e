// RunRecord helpers.
#include "runs/run_record.h"

#include "api/methods.h"
#include "api/planned_epochs.h"
#include "data/dataset_manifest.h"

#include <QStringList>

namespace imblab::ui {

QString RunRecord::title() const {
    const QString label = QString::fromStdString(methodLabelOf(config));
    QString setting = QString::fromStdString(config.dataset.profile) + QStringLiteral(" ρ=") +
                      QString::number(config.dataset.rho, 'g', 4);
    if (config.dataset.profile == "none")  // the data as it is: a folder's own long tail
        setting = isOwnDataId(config.dataset.id) ? QStringLiteral("as is") : QStringLiteral("balanced");
    return QStringLiteral("#%1 %2 · %3 · %4").arg(id).arg(label, QString::fromStdString(config.dataset.id), setting);
}

QString RunRecord::fileStem() const {
    QString setting = config.dataset.profile == "none" ? QStringLiteral("as-is")
                                                        : QString::fromStdString(config.dataset.profile) + QStringLiteral("-rho") +
                                                              QString::number(config.dataset.rho, 'g', 4);
    QString stem = QStringLiteral("run%1_%2_%3_%4")
                       .arg(id)
                       .arg(QString::fromStdString(methodLabelOf(config)), QString::fromStdString(config.dataset.id), setting)
                       .toLower();
    // Only letters, digits, '-', '_' and '.' in file names; anything else becomes '-'.
    for (QChar& c : stem)
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != '-' && c != '_' && c != '.') c = '-';
    return stem;
}

int RunRecord::plannedEpochs() const { return imblab::plannedEpochs(config.train); }

QString RunRecord::computeText() const {
    if (!hasInfo) return {};
    QString where = QString::fromStdString(info.device);
    QStringList detail;
    if (info.cpuThreads > 0) detail << QStringLiteral("%1 thread%2").arg(info.cpuThreads).arg(info.cpuThreads == 1 ? "" : "s");
    if (!info.libtorchVersion.empty()) detail << QStringLiteral("LibTorch ") + QString::fromStdString(info.libtorchVersion);
    if (!info.blasLibrary.empty()) detail << QString::fromStdString(info.blasLibrary);
    if (!detail.isEmpty()) where += QStringLiteral(" (") + detail.join(QStringLiteral(", ")) + QStringLiteral(")");
    return where + QStringLiteral(", ") + QString::fromStdString(info.pipeline) + QStringLiteral(" pipeline, ") +
           QString::fromStdString(info.precision) + (info.channelsLast ? QStringLiteral(", channels-last") : QString()) +
           (config.train.precision == "auto" ? QStringLiteral(" (auto)") : QString()) +
           (info.dataPipeline == "stream" ? QStringLiteral(", images streamed from their files") : QString());
}

QString RunRecord::statusText() const {
    if (queued) return QStringLiteral("queued");
    if (!error.isEmpty() && !finished) return QStringLiteral("failed");
    if (!finished) return folder.isEmpty() ? QStringLiteral("running") : QStringLiteral("following");
    switch (summary.status) {
    case RunStatus::Finished: return summary.warning.empty() ? QStringLiteral("finished") : QStringLiteral("collapsed");
    case RunStatus::Cancelled: return QStringLiteral("stopped");
    case RunStatus::Failed: return QStringLiteral("failed");
    }
    return {};
}

void RunRecord::add(const MetricsReport& r) {
    if (r.epochEnd) {
        if (!epochReports.empty()) {
            epochReports.back().testPredictions.clear();
            epochReports.back().testPredictions.shrink_to_fit();
        }
        epochReports.push_back(r);
        return;
    }
    stepReports.push_back(r);
    if (stepReports.size() > kMaxStepReports) {
        std::vector<MetricsReport> thinned;
        thinned.reserve(stepReports.size() / 2 + 1);
        for (size_t i = 0; i < stepReports.size(); ++i)  // every other one, and every test point
            if (i % 2 == 0 || stepReports[i].midEpochTest) thinned.push_back(std::move(stepReports[i]));
        stepReports = std::move(thinned);
        ++stepThinnings;
    }
}

} // namespace imblab::ui
