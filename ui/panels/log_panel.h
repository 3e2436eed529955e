// The log: spdlog lines from every thread, filterable by level, bounded in length.
#pragma once

#include <QWidget>

class QComboBox;
class QPlainTextEdit;

namespace imblab::ui {

class LogPanel : public QWidget {
    Q_OBJECT
public:
    explicit LogPanel(QWidget* parent = nullptr);
    void append(int level, const QString& text);
    QString text() const;
    void setMinimumLevel(int level);

private:
    void refilter();
    QComboBox* level_;
    QPlainTextEdit* view_;
    QList<QPair<int, QString>> lines_;
};

} // namespace imblab::ui
