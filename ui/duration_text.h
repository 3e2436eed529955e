// How the UI writes a duration: "0.4 s" (tenths under 10 s), "42 s", "3 min 5 s", "–" when unknown.
#pragma once

#include <QString>

namespace imblab::ui {

QString durationText(double seconds);

} // namespace imblab::ui
