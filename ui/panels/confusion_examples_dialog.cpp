// A grid of up to 60 thumbnails of the chosen confusion cell, or for texts a list of up to 60
// texts with where each comes from.
#include "panels/confusion_examples_dialog.h"

#include "panels/sample_strip.h"

#include <QGridLayout>
#include <QLabel>
#include <QTextBrowser>
#include <QScrollArea>
#include <QVBoxLayout>

namespace imblab::ui {

ConfusionExamplesDialog::ConfusionExamplesDialog(std::shared_ptr<const Dataset> data, const std::vector<int32_t>& predictions,
                                                 int trueClass, int predictedClass, QWidget* parent)
    : QDialog(parent) {
    const QString tName = QString::fromStdString(data->classNames[size_t(trueClass)]);
    const QString pName = QString::fromStdString(data->classNames[size_t(predictedClass)]);
    const bool text = data->isText();
    setWindowTitle(text ? tr("Test texts: true %1, predicted %2").arg(tName, pName)
                        : tr("Test images: true %1, predicted %2").arg(tName, pName));
    auto* layout = new QVBoxLayout(this);
    auto* grid = new QGridLayout;
    QString texts;  // texts: one paragraph each, its source in bold above it
    constexpr int kMax = 60;
    for (size_t i = 0; i < predictions.size() && i < size_t(data->test.size()); ++i) {
        if (data->test.labels[i] != trueClass || predictions[i] != predictedClass) continue;
        ++matches_;
        if (shown_ >= kMax || (!data->isImage() && !text)) continue;
        if (text) {
            texts += QStringLiteral("<p><b>%1</b><br>%2</p>")
                         .arg(QString::fromStdString(data->test.textSources[i]).toHtmlEscaped(),
                              QString::fromStdString(data->test.texts[i]).toHtmlEscaped().replace('\n', QStringLiteral("<br>")));
            ++shown_;
            continue;
        }
        auto* img = new QLabel;
        img->setPixmap(QPixmap::fromImage(datasetImage(*data, data->test, int64_t(i), 2)));
        img->setToolTip(tr("test example %1").arg(i));
        grid->addWidget(img, shown_ / 10, shown_ % 10);
        ++shown_;
    }
    auto* header = new QLabel(tr("%1 test examples of <b>%2</b> were predicted as <b>%3</b>%4")
                                  .arg(matches_)
                                  .arg(tName, pName, matches_ > shown_ ? tr(" (first %1 shown)").arg(shown_) : QString()));
    layout->addWidget(header);
    if (text) {
        auto* browser = new QTextBrowser;
        browser->setObjectName(QStringLiteral("confusionTexts"));
        browser->setHtml(texts);
        layout->addWidget(browser);
        resize(720, 480);
        return;
    }
    auto* inner = new QWidget;
    inner->setLayout(grid);
    auto* scroll = new QScrollArea;
    scroll->setWidget(inner);
    scroll->setWidgetResizable(true);
    layout->addWidget(scroll);
    resize(640, 420);
}

} // namespace imblab::ui
