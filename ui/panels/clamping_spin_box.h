// Spin boxes that say when they clamp. Qt's boxes refuse keystrokes that leave the range, so
// typing 1000 into a box whose maximum is 10 silently leaves 10; these let the typed number
// through to the end of editing, set the nearest limit, and emit clamped() for the window to
// say so.
#pragma once

#include <QDoubleSpinBox>
#include <QSpinBox>

namespace imblab::ui {

class ClampingDoubleSpinBox : public QDoubleSpinBox {
    Q_OBJECT
public:
    explicit ClampingDoubleSpinBox(QWidget* parent = nullptr);
    QValidator::State validate(QString& input, int& pos) const override;
    void fixup(QString& input) const override;  // a number outside the range: the nearest limit
    // The limit as the box writes it, without trailing zeros ("10", "0.00001").
    QString plainText(double value) const;

Q_SIGNALS:
    // "1000 is above the allowed 0.00001 … 10, so it was set to 10."
    void clamped(const QString& what);

private:
    QString typed_;
};

class ClampingSpinBox : public QSpinBox {
    Q_OBJECT
public:
    explicit ClampingSpinBox(QWidget* parent = nullptr);
    QValidator::State validate(QString& input, int& pos) const override;
    void fixup(QString& input) const override;

Q_SIGNALS:
    void clamped(const QString& what);

private:
    QString typed_;
};

} // namespace imblab::ui
