// Help ▸ Getting Started: the first five minutes on one page — make the data imbalanced, pick a
// method, train and read the curves, compare two runs, export — with the keys for each step.
#pragma once

#include <QDialog>

class QTextBrowser;

namespace imblab::ui {

class GettingStartedDialog : public QDialog {
    Q_OBJECT
public:
    explicit GettingStartedDialog(QWidget* parent = nullptr);
    QTextBrowser* page() const { return page_; }

private:
    QTextBrowser* page_;
};

} // namespace imblab::ui
