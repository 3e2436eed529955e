// Clamping spin boxes; see clamping_spin_box.h.
#include "panels/clamping_spin_box.h"

#include <QLineEdit>

#include <algorithm>
#include <functional>

namespace imblab::ui {
namespace {

// A number the box would refuse only for its range (not for its form) passes as unfinished.
template <class Box>
QValidator::State letRangeThrough(const Box* box, QValidator::State state, const QString& input) {
    if (state != QValidator::Invalid) return state;
    bool ok = false;
    box->locale().toDouble(input.trimmed(), &ok);
    return ok ? QValidator::Intermediate : state;
}

// After editing: if the last typed number was outside [lo, hi], the box now holds the nearest
// limit; say which number became which.
template <class Box>
void reportOnFinish(Box* box, QString& typed, double lo, double hi, const std::function<QString(double)>& write) {
    const QString text = typed.trimmed();
    typed.clear();
    bool ok = false;
    const double wanted = box->locale().toDouble(text, &ok);
    if (!ok || (wanted >= lo && wanted <= hi)) return;
    Q_EMIT box->clamped(QObject::tr("%1 is %2 the allowed %3 … %4, so it was set to %5.")
                            .arg(text, wanted > hi ? QObject::tr("above") : QObject::tr("below"), write(lo), write(hi),
                                 write(double(box->value()))));
}

} // namespace

ClampingDoubleSpinBox::ClampingDoubleSpinBox(QWidget* parent) : QDoubleSpinBox(parent) {
    setCorrectionMode(QAbstractSpinBox::CorrectToNearestValue);
    connect(lineEdit(), &QLineEdit::textEdited, this, [this](const QString& t) { typed_ = t; });
    connect(this, &QAbstractSpinBox::editingFinished, this, [this] {
        reportOnFinish(this, typed_, minimum(), maximum(), [this](double v) { return plainText(v); });
    });
}

QValidator::State ClampingDoubleSpinBox::validate(QString& input, int& pos) const {
    return letRangeThrough(this, QDoubleSpinBox::validate(input, pos), input);
}

void ClampingDoubleSpinBox::fixup(QString& input) const {
    bool ok = false;
    const double v = locale().toDouble(input.trimmed(), &ok);
    if (ok) input = textFromValue(std::clamp(v, minimum(), maximum()));
    else QDoubleSpinBox::fixup(input);
}

QString ClampingDoubleSpinBox::plainText(double v) const {
    QString t = locale().toString(v, 'f', decimals());
    const QString point = locale().decimalPoint();
    if (t.contains(point)) {
        while (t.endsWith('0')) t.chop(1);
        if (t.endsWith(point)) t.chop(point.size());
    }
    return t;
}

ClampingSpinBox::ClampingSpinBox(QWidget* parent) : QSpinBox(parent) {
    setCorrectionMode(QAbstractSpinBox::CorrectToNearestValue);
    connect(lineEdit(), &QLineEdit::textEdited, this, [this](const QString& t) { typed_ = t; });
    connect(this, &QAbstractSpinBox::editingFinished, this, [this] {
        reportOnFinish(this, typed_, minimum(), maximum(), [this](double v) { return locale().toString(qint64(v)); });
    });
}

void ClampingSpinBox::fixup(QString& input) const {
    bool ok = false;
    const double v = locale().toDouble(input.trimmed(), &ok);
    if (ok) input = textFromValue(int(std::clamp(v, double(minimum()), double(maximum()))));
    else QSpinBox::fixup(input);
}

QValidator::State ClampingSpinBox::validate(QString& input, int& pos) const {
    return letRangeThrough(this, QSpinBox::validate(input, pos), input);
}

} // namespace imblab::ui
