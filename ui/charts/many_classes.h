// What the run charts draw past 20 classes. Up to 20 every chart draws every class; beyond, a
// class-by-class chart piles up (100 overlapping labels, a tangle of 100 curves), so the charts
// change form: the many / medium / few-shot groups (api/shot_groups.h), the classes of highest
// test error, and the classes the user picked, with the classes in training-count order.
#pragma once

#include "api/shot_groups.h"

#include <QColor>
#include <QString>

#include <cstdint>
#include <string>
#include <vector>

namespace imblab::ui {

constexpr int kClassesDrawnOneByOne = 20;
inline bool drawsEveryClass(int classes) { return classes <= kClassesDrawnOneByOne; }
constexpr int kWorstClassesDrawn = 5;  // the error curves' "worst" classes
constexpr int kPickedClassesMax = 8;   // more picked classes would tangle again

// The shot groups' colours: neither a class colour nor a run colour.
QColor shotGroupColor(ShotGroup g);
// "few-shot (< 20): 612 classes"
QString shotGroupName(ShotGroup g, size_t classes);

// Class indices by training examples, most first (ties by index): the long tail's order.
std::vector<int> classesByCount(const std::vector<int64_t>& counts);
// The n classes of highest value, highest first (ties by index; NaN never chosen).
std::vector<int> highestClasses(const std::vector<double>& perClass, int n);
// The values at the q-quantile (0–1, linear between order statistics) of perClass over
// `classes`, skipping NaN; NaN when none is finite.
double quantileOver(const std::vector<double>& perClass, const std::vector<int>& classes, double q);

// The class a search names: an index ("42" or "#42"), or a name (exact, ignoring case, else
// the only name that contains it); -1 when none or several do.
int findClass(const std::vector<std::string>& names, const QString& query);

} // namespace imblab::ui
