// QCustomPlot's header uses Qt's keyword macros (signals, slots, emit, foreach), which we turn
// off project-wide (QT_NO_KEYWORDS, so Qt never collides with torch). Map them for this one
// header only.
#pragma once

#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef slots
#undef emit
#undef foreach
