// Thumbnails painted directly from the uint8 images, or decoded from a streamed set's files.
#include "panels/sample_strip.h"

#include "charts/many_classes.h"
#include "data/example_decode.h"
#include "data/image_crops.h"
#include "errors.h"

#include <QPaintEvent>
#include <QPainter>
#include <QtConcurrent/QtConcurrent>

#include <algorithm>
#include <cmath>

namespace imblab::ui {

namespace {

// A table row as a small bar chart: one bar per feature, up from the middle for values above
// the training mean, down for below, full height at ±3 standard deviations.
QImage featureBars(const Dataset& ds, const DatasetSplit& split, int64_t index, int scale) {
    const int d = ds.featureDim, barW = std::max(1, 24 / std::max(1, d)), w = std::max(8, d * barW), h = 24;
    QImage img(w, h, QImage::Format_RGB32);
    img.fill(qRgb(250, 250, 250));
    const float* row = split.features.data() + index * d;
    for (int f = 0; f < d && f * barW < w; ++f) {
        const int len = int(std::lround(std::clamp(double(row[f]) / 3.0, -1.0, 1.0) * (h / 2 - 1)));
        const QRgb colour = len >= 0 ? qRgb(0, 114, 178) : qRgb(213, 94, 0);
        for (int x = f * barW; x < (f + 1) * barW - (barW > 2 ? 1 : 0); ++x)
            for (int y = std::min(h / 2, h / 2 - len); y <= std::max(h / 2, h / 2 - len); ++y) img.setPixel(x, y, colour);
    }
    return scale == 1 ? img : img.scaled(w * scale, h * scale, Qt::IgnoreAspectRatio, Qt::FastTransformation);
}

} // namespace

QImage datasetImage(const Dataset& ds, const DatasetSplit& split, int64_t index, int scale) {
    if (index < 0 || index >= split.size()) return {};
    if (!ds.isImage()) return ds.featureNames.empty() ? QImage() : featureBars(ds, split, index, scale);
    int h = ds.height, w = ds.width;
    const int c = ds.channels;
    std::vector<uint8_t> decoded;
    const uint8_t* px = nullptr;
    if (!split.files.empty()) {
        h = w = std::min(ds.height, kStreamedPreviewSize);
        decoded.assign(size_t(c) * size_t(h) * size_t(w), 160);
        try {
            decodeExample(split.files[size_t(index)], [&](const ImageSize& s) { return centreCropAfterResize(s.width, s.height, w, w); },
                          w, c, decoded.data());
        } catch (const DataError&) {  // left grey: the file went bad after the set was opened
        }
        px = decoded.data();
    } else {
        px = split.images.data() + index * ds.sampleSize();
    }
    QImage img(w, h, QImage::Format_RGB32);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const int r = px[(0 * h + y) * w + x];
            const int g = c == 3 ? px[(1 * h + y) * w + x] : r;
            const int b = c == 3 ? px[(2 * h + y) * w + x] : r;
            img.setPixel(x, y, qRgb(r, g, b));
        }
    return scale == 1 ? img : img.scaled(w * scale, h * scale, Qt::KeepAspectRatio, Qt::FastTransformation);
}

QString datasetTextLine(const DatasetSplit& split, int64_t index, int maxChars) {
    if (index < 0 || index >= int64_t(split.texts.size())) return {};
    QString line = QString::fromStdString(split.texts[size_t(index)]).simplified();
    if (line.size() > maxChars) line = line.left(maxChars - 1) + QChar(0x2026);
    return line;
}

SampleStrip::SampleStrip(QWidget* parent) : QWidget(parent) {
    setToolTip(tr("Sample training images of each class after the imbalance is applied; the number is how many the class keeps."));
    setMinimumHeight(120);
    connect(&thumbnailWatcher_, &QFutureWatcher<std::vector<std::pair<int64_t, QImage>>>::finished, this, [this] {
        decoding_ = false;
        if (decodingFor_ != data_) {  // another set opened meanwhile
            update();
            return;
        }
        if (thumbnails_.size() > 4096) thumbnails_.clear();  // bounded: a long scroll through 8 142 classes
        for (auto& [index, image] : thumbnailWatcher_.result()) thumbnails_.insert(index, std::move(image));
        update();
    });
}

void SampleStrip::decodeWantedThumbnails() {
    if (decoding_ || wanted_.empty() || !data_) return;
    decoding_ = true;
    decodingFor_ = data_;
    thumbnailWatcher_.setFuture(QtConcurrent::run([data = data_, indices = std::move(wanted_)] {
        std::vector<std::pair<int64_t, QImage>> out;
        for (int64_t i : indices) out.emplace_back(i, datasetImage(*data, data->train, i));
        return out;
    }));
    wanted_.clear();
}

void SampleStrip::setSamples(std::shared_ptr<const Dataset> data, const std::vector<int64_t>& kept,
                             const std::vector<int64_t>& counts) {
    if (data != data_) thumbnails_.clear();
    data_ = std::move(data);
    counts_ = counts;
    message_.clear();
    rows_.assign(counts.size(), {});
    if (!data_ || (!data_->isImage() && !data_->isText() && data_->featureNames.empty())) {
        clear(data_ ? tr("2-D data: see the decision view in teaching mode") : tr("loading images…"));
        return;
    }
    setToolTip(data_->isText()    ? tr("A few training texts of each class after the imbalance is applied, their first words "
                                       "on one line; the number is how many texts the class keeps.")
               : data_->isImage() ? tr("Sample training images of each class after the imbalance is applied; the number is "
                                     "how many the class keeps.")
                                : tr("Sample rows of each class after the imbalance is applied, one bar per feature (%1): "
                                     "blue above the training mean, orange below, full height at ±3 standard deviations; "
                                     "the number is how many rows the class keeps.")
                                      .arg(QString::fromStdString([&] {
                                          std::string names;
                                          for (const auto& n : data_->featureNames) names += (names.empty() ? "" : ", ") + n;
                                          return names;
                                      }())));
    order_ = classesByCount(counts_);
    const size_t perClass = data_->isText() ? size_t(kTextsPerClass) : size_t(kPerClass);
    for (int64_t i : kept) {
        auto& row = rows_[size_t(data_->train.labels[size_t(i)])];
        if (row.size() < perClass) row.push_back(i);
    }
    // Past 20 classes the strip is as tall as its rows, inside the panel's scroll area.
    setMinimumHeight(scrolls() ? sizeHint().height() : 120);
    updateGeometry();
    update();
}

void SampleStrip::clear(const QString& message) {
    rows_.clear();
    setMinimumHeight(120);
    message_ = message;
    update();
}

int SampleStrip::shownImages(int c) const { return c >= 0 && c < int(rows_.size()) ? int(rows_[size_t(c)].size()) : 0; }

QSize SampleStrip::sizeHint() const {
    if (scrolls()) return QSize(300, int(rows_.size()) * kScrollRowHeight + 4);
    return QSize(300, std::max(120, int(std::min<size_t>(rows_.size(), 10)) * 24 + 8));
}

bool SampleStrip::scrolls() const { return data_ && data_->isImage() && int(rows_.size()) > kRowsFitted; }

void SampleStrip::paintEvent(QPaintEvent* event) {
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    if (!message_.isEmpty() || !data_) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, message_);
        return;
    }
    const int k = int(rows_.size());
    const int labelW = 92;
    if (data_->isText()) {
        // One text a line, its first words; a class gets as many lines as the height allows (up
        // to kTextsPerClass), its count and name on the first.
        const int lineH = fontMetrics().height() + 2;
        const int shown = std::min(k, 20);
        const int lines = std::clamp((height() - 4) / std::max(1, shown * lineH), 1, int(kTextsPerClass));
        int y = 2;
        for (int c = 0; c < shown; ++c) {
            const auto& texts = rows_[size_t(c)];
            p.setPen(palette().color(QPalette::Text));
            p.drawText(QRect(2, y, labelW - 4, lineH), Qt::AlignVCenter | Qt::AlignLeft,
                       fontMetrics().elidedText(QStringLiteral("%1 %2").arg(counts_[size_t(c)]).arg(QString::fromStdString(data_->classNames[size_t(c)])),
                                                Qt::ElideRight, labelW - 4));
            for (int j = 0; j < std::max(1, std::min(lines, int(texts.size()))); ++j) {
                if (j < int(texts.size()))
                    p.drawText(QRect(labelW, y, width() - labelW - 4, lineH), Qt::AlignVCenter | Qt::AlignLeft,
                               fontMetrics().elidedText(datasetTextLine(data_->train, texts[size_t(j)]), Qt::ElideRight,
                                                        width() - labelW - 4));
                y += lineH;
            }
            p.setPen(palette().color(QPalette::Midlight));
            p.drawLine(2, y - 1, width() - 2, y - 1);
        }
        return;
    }
    // Up to 20 classes, rows share the height; past that, rows of kScrollRowHeight in training-
    // count order in a strip as tall as all of them (the panel scrolls it), only the rows in view
    // painted: 8 142 classes cost what the visible ones do.
    const bool scrolls = k > kRowsFitted;
    const int rowH = scrolls ? kScrollRowHeight : std::max(12, std::min(28, (height() - 4) / std::max(1, k)));
    QFont f = font();
    f.setPointSizeF(std::max(6.0, rowH * 0.38));
    p.setFont(f);
    wanted_.clear();
    const int first = std::max(0, (event->rect().top() - 2) / rowH);
    const int last = std::min(scrolls ? k : std::min(k, kRowsFitted), event->rect().bottom() / rowH + 1);
    for (int row = first; row < last; ++row) {
        const int c = scrolls ? order_[size_t(row)] : row;
        const int y = 2 + row * rowH;
        const QString name = QString::fromStdString(data_->classNames[size_t(c)]);
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRect(2, y, labelW - 4, rowH), Qt::AlignVCenter | Qt::AlignLeft,
                   p.fontMetrics().elidedText(QStringLiteral("%1 %2").arg(counts_[size_t(c)]).arg(name), Qt::ElideRight, labelW - 4));
        for (size_t j = 0; j < rows_[size_t(c)].size(); ++j) {
            const QRect cell(labelW + int(j) * (rowH + 2), y, rowH - 1, rowH - 1);
            const int64_t index = rows_[size_t(c)][j];
            if (data_->isStreamed()) {  // decoded off the GUI thread; a placeholder meanwhile
                const auto cached = thumbnails_.constFind(index);
                if (cached == thumbnails_.constEnd()) {
                    p.fillRect(cell, palette().color(QPalette::Midlight));
                    wanted_.push_back(index);
                    continue;
                }
                p.drawImage(cell, *cached);
            } else {
                p.drawImage(cell, datasetImage(*data_, data_->train, index));
            }
            ++painted_;
        }
    }
    decodeWantedThumbnails();
}

} // namespace imblab::ui
