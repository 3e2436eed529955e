// The loaded dataset of a window: loads it off the GUI thread (QtConcurrent), keeps the last
// one by its source (id, folder, and for blobs the generator settings), and says when it is
// ready or why it cannot be. The main window and the teaching window use it alike.
#pragma once

#include "api/experiment_config.h"
#include "data/dataset.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace imblab::ui {

struct DatasetLoad {
    std::shared_ptr<const Dataset> data;
    QString error;
    QString key;
};

class DatasetCache : public QObject {
    Q_OBJECT
public:
    explicit DatasetCache(QObject* parent = nullptr);
    ~DatasetCache() override;  // waits for a load in flight

    // Starts loading `cfg`'s data unless it is loaded (dataFor() has it) or loading already;
    // loaded() or failed() follows.
    void request(const DatasetConfig& cfg);
    // The loaded data when it is `cfg`'s, else null.
    std::shared_ptr<const Dataset> dataFor(const DatasetConfig& cfg) const;
    std::shared_ptr<const Dataset> data() const { return data_; }
    // From request() until loaded() or failed() is emitted (progress reports queued before the
    // end still count as during the load).
    bool isLoading() const { return !loadingKey_.isEmpty(); }
    // Stops the load in flight at its next progress report (image folders and lists); failed()
    // follows with a message saying so.
    void cancel();
    static QString keyOf(const DatasetConfig& cfg);

Q_SIGNALS:
    void loading(QString datasetId);
    void loaded(std::shared_ptr<const imblab::Dataset> data);
    void failed(QString error);
    // Decoding an image folder or list: files done of total (a few times a second).
    void progress(qint64 done, qint64 total);

private:
    void onFinished();

    std::shared_ptr<const Dataset> data_;
    QString dataKey_, loadingKey_;
    DatasetConfig wanted_;
    QFutureWatcher<DatasetLoad> watcher_;
    std::shared_ptr<std::atomic<bool>> cancelled_ = std::make_shared<std::atomic<bool>>(false);
};

} // namespace imblab::ui
