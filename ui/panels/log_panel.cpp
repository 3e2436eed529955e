// Log panel; see log_panel.h.
#include "panels/log_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace imblab::ui {

namespace {
constexpr int kMaxLines = 5000;
}

LogPanel::LogPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Show:")));
    level_ = new QComboBox;
    level_->addItem(tr("debug and above"), 1);
    level_->addItem(tr("info and above"), 2);
    level_->addItem(tr("warnings and errors"), 3);
    level_->addItem(tr("errors only"), 4);
    level_->setCurrentIndex(1);
    level_->setToolTip(tr("Hide log lines below this level."));
    bar->addWidget(level_);
    bar->addStretch();
    layout->addLayout(bar);
    view_ = new QPlainTextEdit;
    view_->setReadOnly(true);
    view_->setMaximumBlockCount(kMaxLines);
    view_->setFont(QFont(QStringLiteral("monospace"), 9));
    layout->addWidget(view_);
    connect(level_, &QComboBox::currentIndexChanged, this, &LogPanel::refilter);
}

void LogPanel::append(int level, const QString& text) {
    lines_.push_back({level, text});
    if (lines_.size() > kMaxLines) lines_.pop_front();
    if (level >= level_->currentData().toInt()) view_->appendPlainText(text);
}

void LogPanel::refilter() {
    view_->clear();
    const int min = level_->currentData().toInt();
    for (const auto& [lvl, text] : lines_)
        if (lvl >= min) view_->appendPlainText(text);
}

void LogPanel::setMinimumLevel(int level) {
    for (int i = 0; i < level_->count(); ++i)
        if (level_->itemData(i).toInt() == level) level_->setCurrentIndex(i);
}

QString LogPanel::text() const { return view_->toPlainText(); }

} // namespace imblab::ui
