// A strip of sample images per class from the kept (imbalanced) training subset, with the
// count beside each row, so the user sees how few minority examples there are; for texts, the
// first lines of a few of each class's texts. Past 20 classes of images the rows follow the
// training counts, most first, at a fixed height in a scrolled strip, and only the rows in view
// are painted. A streamed set's thumbnails are decoded from their files off the GUI thread as
// their rows come into view, and kept.
#pragma once

#include "data/dataset.h"

#include <QFutureWatcher>
#include <QHash>
#include <QImage>
#include <QWidget>

#include <memory>
#include <utility>
#include <vector>

namespace imblab::ui {

// One image of a split as a QImage (grayscale or RGB), scaled ×scale. A streamed set's is
// decoded from its file here (its centre, at most kStreamedPreviewSize px; grey when the file
// does not decode): call it off the GUI thread for many.
QImage datasetImage(const Dataset& ds, const DatasetSplit& split, int64_t index, int scale = 1);
constexpr int kStreamedPreviewSize = 96;
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
    bool scrolls() const;                    // past kRowsFitted classes of images
    int rowClass(int row) const { return row >= 0 && size_t(row) < order_.size() && scrolls() ? order_[size_t(row)] : row; }
    int64_t paintedImages() const { return painted_; }  // thumbnails painted so far (for tests)
    static constexpr int kRowsFitted = 20;
    static constexpr int kScrollRowHeight = 22;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    static constexpr int kPerClass = 8;
    static constexpr int kTextsPerClass = 4;
    std::shared_ptr<const Dataset> data_;
    std::vector<std::vector<int64_t>> rows_;  // per class, up to kPerClass example indices
    std::vector<int64_t> counts_;
    std::vector<int> order_;  // classes by training count, most first
    int64_t painted_ = 0;
    QString message_;
    // Streamed sets: thumbnails by training index, decoded off the GUI thread as rows are painted.
    void decodeWantedThumbnails();
    QHash<int64_t, QImage> thumbnails_;
    std::vector<int64_t> wanted_;
    bool decoding_ = false;
    std::shared_ptr<const Dataset> decodingFor_;
    QFutureWatcher<std::vector<std::pair<int64_t, QImage>>> thumbnailWatcher_;
};

} // namespace imblab::ui
