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

DatasetCache::~DatasetCache() { watcher_.waitForFinished(); }

QString DatasetCache::keyOf(const DatasetConfig& c) {
    QString key = QString::fromStdString(c.id + "|" + c.path);
    if (c.id == "blobs")
        key += QStringLiteral("|%1|%2|%3|%4|%5").arg(c.blobsClasses).arg(c.blobsPerClass).arg(c.blobsSpread).arg(c.blobsSeparation).arg(c.seed);
    if (isOwnDataId(c.id))  // the decode and split settings; the hold-out does not depend on the run's seed
        key += QStringLiteral("|%1|%2|%3|%4").arg(c.imageSize).arg(c.channels).arg(c.testSplit).arg(c.strict) +
               QString::fromStdString("|" + c.root + "|" + c.testPath + "|" + c.classNamesFile + "|" + c.labelColumn);
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
    watcher_.setFuture(QtConcurrent::run([cfg, key]() {
        DatasetLoad r;
        r.key = key;
        try {
            r.data = std::make_shared<const Dataset>(loadDataset(cfg));
        } catch (const std::exception& e) {
            r.error = QString::fromUtf8(e.what());
        }
        return r;
    }));
}

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
