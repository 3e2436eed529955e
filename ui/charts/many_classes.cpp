// Many-class chart helpers; see many_classes.h.
#include "charts/many_classes.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace imblab::ui {

QColor shotGroupColor(ShotGroup g) {
    switch (g) {
    case ShotGroup::Many: return QColor(0, 95, 115);
    case ShotGroup::Medium: return QColor(190, 120, 0);
    case ShotGroup::Few: return QColor(170, 30, 30);
    }
    return Qt::black;
}

QString shotGroupName(ShotGroup g, size_t classes) {
    return QStringLiteral("%1: %2 %3")
        .arg(QString::fromUtf8(shotGroupLabel(g)))
        .arg(classes)
        .arg(classes == 1 ? QStringLiteral("class") : QStringLiteral("classes"));
}

std::vector<int> classesByCount(const std::vector<int64_t>& counts) {
    std::vector<int> order(counts.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return counts[size_t(a)] > counts[size_t(b)]; });
    return order;
}

std::vector<int> highestClasses(const std::vector<double>& perClass, int n) {
    std::vector<int> order;
    for (size_t c = 0; c < perClass.size(); ++c)
        if (!std::isnan(perClass[c])) order.push_back(int(c));
    const size_t keep = std::min(order.size(), size_t(std::max(0, n)));
    std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(keep), order.end(), [&](int a, int b) {
        return perClass[size_t(a)] != perClass[size_t(b)] ? perClass[size_t(a)] > perClass[size_t(b)] : a < b;
    });
    order.resize(keep);
    return order;
}

double quantileOver(const std::vector<double>& perClass, const std::vector<int>& classes, double q) {
    std::vector<double> v;
    v.reserve(classes.size());
    for (int c : classes)
        if (size_t(c) < perClass.size() && !std::isnan(perClass[size_t(c)])) v.push_back(perClass[size_t(c)]);
    if (v.empty()) return std::nan("");
    const double pos = q * double(v.size() - 1);
    const size_t i = size_t(std::floor(pos));
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(i), v.end());
    const double lo = v[i];
    if (i + 1 >= v.size()) return lo;
    const double hi = *std::min_element(v.begin() + std::ptrdiff_t(i) + 1, v.end());
    return lo + (pos - double(i)) * (hi - lo);
}

int findClass(const std::vector<std::string>& names, const QString& query) {
    const QString q = query.trimmed();
    if (q.isEmpty()) return -1;
    bool isIndex = false;
    const int index = (q.startsWith('#') ? q.mid(1) : q).toInt(&isIndex);
    int exact = -1, containing = -1, containingCount = 0;
    for (size_t c = 0; c < names.size(); ++c) {
        const QString name = QString::fromStdString(names[c]);
        if (name.compare(q, Qt::CaseInsensitive) == 0) exact = exact < 0 ? int(c) : exact;
        else if (name.contains(q, Qt::CaseInsensitive)) containing = int(c), ++containingCount;
    }
    if (exact >= 0) return exact;  // a class named "42" is that class, not class 42
    if (isIndex) return index >= 0 && size_t(index) < names.size() ? index : -1;
    return containingCount == 1 ? containing : -1;
}

} // namespace imblab::ui
