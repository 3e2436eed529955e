// A strip of sample images per class from the kept (imbalanced) training subset, with the
// count beside each row, so the user sees how few minority examples there are; for texts, the
// first lines of a few of each class's texts.
#pragma once

#include "data/dataset.h"

#include <QImage>
#include <QWidget>

#include <memory>

namespace imblab::ui {

// One image of a split as a QImage (grayscale or RGB), scaled ×scale.
QImage datasetImage(const Dataset& ds, const DatasetSplit& split, int64_t index, int scale = 1);
// One text of a split on one line (line breaks and runs of spaces as one space), at most
// `maxChars` characters: what the strip and tooltips show of it.
QString datasetTextLine(const DatasetSplit& split, int64_t index, int maxChars = 300);

class SampleStrip : public QWidget {
    Q_OBJECT
public:
    explicit SampleStrip(QWidget* parent = nullptr);
    // The full dataset, the kept indices into its training split and the per-class counts.
    void setSamples(std::shared_ptr<const Dataset> data, const std::vector<int64_t>& kept,
                    const std::vector<int64_t>& counts);
    void clear(const QString& message);
    int shownImages(int classIndex) const;  // thumbnails (or texts) drawn in a class's row
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent*) override;

private:
    static constexpr int kPerClass = 8;
    static constexpr int kTextsPerClass = 4;
    std::shared_ptr<const Dataset> data_;
    std::vector<std::vector<int64_t>> rows_;  // per class, up to kPerClass example indices
    std::vector<int64_t> counts_;
    QString message_;
};

} // namespace imblab::ui
