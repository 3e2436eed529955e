// Each lesson as the teaching window shows it: a title and a caption (what to set, what to
// watch, what it shows) around the engine's setup (teaching/lessons.h), in the same order.
#pragma once

#include "teaching/lessons.h"

#include <QString>

#include <vector>

namespace imblab::ui {

struct Lesson {
    QString title, caption;
    LessonSetup setup;
};

const std::vector<Lesson>& lessons();

} // namespace imblab::ui
