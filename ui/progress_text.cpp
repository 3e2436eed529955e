// A run's progress as text; see progress_text.h.
#include "progress_text.h"

#include "duration_text.h"

#include <QCoreApplication>

namespace imblab::ui {

QString progressText(int runId, int plannedEpochs, const MetricsReport& r, const QString& unit) {
    auto tr = [](const char* text) { return QCoreApplication::translate("MainWindow", text); };
    return tr("Run #%1 · epoch %2/%3 · step %4/%5%6 · ETA %7")
        .arg(runId)
        .arg(r.epoch + 1)
        .arg(plannedEpochs)
        .arg(r.step)
        .arg(r.totalSteps)
        .arg(r.imgPerSec > 0 ? QStringLiteral(" · %1 %2").arg(r.imgPerSec, 0, 'f', 0).arg(unit) : QString())
        .arg(durationText(r.etaSeconds));
}

} // namespace imblab::ui
