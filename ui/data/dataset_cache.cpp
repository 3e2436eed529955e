// The dataset cache; see dataset_cache.h.
#include "data/dataset_cache.h"

#include "data/dataset_loader.h"
#include "data/dataset_manifest.h"

#include <QtConcurrent/QtConcurrent>

namespace imblab::ui {

DatasetCache::DatasetCache(QObject* parent) : QObject(parent) {
    qRegisterMetaType<std::shared_ptr<const imblab::Dataset>>("std::shared_ptr<const imblab::Dataset>");
    connect(&watcher_, &QFutureWatcher<DatasetLoad>::finished, this, &DatasetCache::onFinished);
}

DatasetCache::~DatasetCache() {
    cancel();  // a long decode stops at its next report instead of holding the window's close
    watcher_.waitForFinished();
}

QString DatasetCache::keyOf(const DatasetConfig& c) {
    QString key = QString::fromStdString(c.id + "|" + c.path);
    if (c.id == "blobs")
        key += QStringLiteral("|%1|%2|%3|%4|%5").arg(c.blobsClasses).arg(c.blobsPerClass).arg(c.blobsSpread).arg(c.blobsSeparation).arg(c.seed);
    if (isOwnDataId(c.id))  // the decode and split settings; the hold-out does not depend on the run's seed
        key += QStringLiteral("|%1|%2|%3|%4").arg(c.imageSize).arg(c.channels).arg(c.testSplit).arg(c.strict) +
               QString::fromStdString("|" + c.root + "|" + c.testPath + "|" + c.classNamesFile + "|" + c.labelColumn);
    if (isOwnDataId(c.id))  // the order classes are loaded in
        for (const auto& name : c.classOrder) key += QString::fromStdString("|order " + name);
    if (isTextDatasetId(c.id))  // what changes a text's words (the vocabulary is the trainer's)
        key += QStringLiteral("|text %1|").arg(c.maxTokens) + QString::fromStdString(c.textColumn + "|" + c.spamClasses);
    return key;
}

std::shared_ptr<const Dataset> DatasetCache::dataFor(const DatasetConfig& cfg) const {
    return data_ && dataKey_ == keyOf(cfg) ? data_ : nullptr;
}

void DatasetCache::request(const DatasetConfig& cfg) {
    const QString key = keyOf(cfg);
    wanted_ = cfg;
    if (key == dataKey_ && data_) return;
    if (key == loadingKey_ && watcher_.isRunning()) return;
    if (watcher_.isRunning()) return;  // onFinished() starts the wanted load when this one ends
    data_.reset();
    dataKey_.clear();
    loadingKey_ = key;
    Q_EMIT loading(QString::fromStdString(cfg.id));
    cancelled_ = std::make_shared<std::atomic<bool>>(false);
    watcher_.setFuture(QtConcurrent::run([this, cfg, key, cancelled = cancelled_]() {
        DatasetLoad r;
        r.key = key;
        // The destructor waits for this load, so `this` outlives the reports queued to it.
        const LoadProgress progress = [this, cancelled](int64_t done, int64_t total) {
            QMetaObject::invokeMethod(this, [this, done, total] { Q_EMIT this->progress(done, total); }, Qt::QueuedConnection);
            return !cancelled->load();
        };
        try {
            r.data = std::make_shared<const Dataset>(loadDataset(cfg, progress));
        } catch (const std::exception& e) {
            r.error = cancelled->load() ? tr("loading was cancelled: choose the data again to load it") : QString::fromUtf8(e.what());
        }
        return r;
    }));
}

void DatasetCache::cancel() { cancelled_->store(true); }

void DatasetCache::onFinished() {
    const DatasetLoad r = watcher_.result();
    loadingKey_.clear();
    if (r.key != keyOf(wanted_)) {  // the user moved on meanwhile
        request(wanted_);
        return;
    }
    if (!r.error.isEmpty()) {
        Q_EMIT failed(r.error);
        return;
    }
    data_ = r.data;
    dataKey_ = r.key;
    Q_EMIT loaded(data_);
}

} // namespace imblab::ui
