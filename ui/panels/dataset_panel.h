// Shapes the imbalanced dataset: dataset choice, profile, ρ (log slider), μ, seed; previews
// the per-class counts instantly (no image loaded) and shows sample images per class.
#pragma once

#include "api/experiment_config.h"
#include "data/dataset.h"

#include <QWidget>

#include <QHash>

#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QSpinBox;

namespace imblab::ui {

class ClassCountsChart;
class SampleStrip;

class DatasetPanel : public QWidget {
    Q_OBJECT
public:
    explicit DatasetPanel(QWidget* parent = nullptr);

    DatasetConfig config() const;
    void setConfig(const DatasetConfig& cfg);
    // The full dataset once loaded (or null while loading / after an error).
    void setLoadedData(std::shared_ptr<const Dataset> data);
    void showLoadError(const QString& message);
    void setLocked(bool locked);  // while a run trains

    ClassCountsChart* countsChart() const { return counts_; }
    SampleStrip* sampleStrip() const { return strip_; }
    QSlider* rhoSlider() const { return rhoSlider_; }
    QDoubleSpinBox* rhoSpin() const { return rhoSpin_; }
    QSlider* muSlider() const { return muSlider_; }
    QComboBox* profileCombo() const { return profile_; }
    QComboBox* datasetCombo() const { return dataset_; }
    QLineEdit* folderEdit() const { return folder_; }
    QLineEdit* testPathEdit() const { return testPath_; }
    QComboBox* labelColumnCombo() const { return labelColumn_; }
    QLineEdit* listRootEdit() const { return listRoot_; }
    QLineEdit* classNamesFileEdit() const { return classNamesFile_; }
    // Texts: a table's text column, the words kept per text, the vocabulary's size and minimum
    // count, SpamAssassin's classes; own data: the class order.
    QComboBox* textColumnCombo() const { return textColumn_; }
    QSpinBox* maxTokensSpin() const { return maxTokens_; }
    QSpinBox* vocabSizeSpin() const { return vocabSize_; }
    QSpinBox* minCountSpin() const { return minCount_; }
    QComboBox* spamClassesCombo() const { return spamClasses_; }
    QLineEdit* classOrderEdit() const { return classOrder_; }
    QLabel* errorLabel() const { return error_; }
    // "N unreadable files left out — show which": shown when the loaded folder skipped files.
    QPushButton* skippedButton() const { return skipped_; }
    // The skipped files with the reason for each (the button opens it).
    QDialog* showSkippedFiles();

Q_SIGNALS:
    void configChanged();          // any setting (counts already redrawn)
    void dataSourceChanged();      // dataset id, folder or blobs shape: data must be (re)loaded
    void chooseFolderRequested();  // the "Choose…" button (the window opens the dialog)
    void chooseTestFileRequested();  // the test split's "Choose…" (list files and tables)
    void chooseListRootRequested();    // a list file's images root "Choose…"
    void chooseClassNamesRequested();  // a list file's class names "Choose…"

public Q_SLOTS:
    void setFolder(const QString& folder);  // the folder, list file or table of the current source
    void setTestPath(const QString& path);
    void setListRoot(const QString& folder);
    void setClassNamesFile(const QString& file);

private:
    void refreshPreview();
    void updateVisibility();
    // The manifest format of the chosen source (idx, image-folder, image-list, csv, text, ...).
    QString sourceFormat() const;
    // A text source whose path is a table (not a folder): it has columns and a test table.
    bool isTextTable() const;
    // The label- and text-column choices from the table's header; keeps `wanted` and
    // `wantedText` (null: the current ones).
    void fillLabelColumns(const QString& wanted = QString(), const QString& wantedText = QString());
    // Sets one of the source's path boxes and asks for the data to be loaded again.
    void setPathAndReload(QLineEdit* edit, const QString& path);

    QComboBox* dataset_;
    QLineEdit* folder_;
    QPushButton* chooseFolder_;
    QComboBox* profile_;
    QSlider* rhoSlider_;
    QDoubleSpinBox* rhoSpin_;
    QSlider* muSlider_;
    QDoubleSpinBox* muSpin_;
    QSpinBox* seed_;
    QCheckBox* shuffle_;
    QSpinBox* blobsClasses_;
    QDoubleSpinBox* blobsSpread_;
    QDoubleSpinBox* blobsSeparation_;
    QWidget* blobsBox_;
    QWidget* folderRow_;
    QFormLayout* form_;
    QWidget* testRow_;
    QLineEdit* testPath_;
    QPushButton* chooseTest_;
    QComboBox* labelColumn_;
    QComboBox* textColumn_;
    QWidget* textBox_;
    QSpinBox* maxTokens_;
    QSpinBox* vocabSize_;
    QSpinBox* minCount_;
    QComboBox* spamClasses_;
    QLineEdit* classOrder_;
    QWidget* listRootRow_;
    QLineEdit* listRoot_;
    QPushButton* chooseListRoot_;
    QWidget* classNamesRow_;
    QLineEdit* classNamesFile_;
    QPushButton* chooseClassNames_;
    QCheckBox* logScale_;
    QLabel* summary_;
    QLabel* error_;
    QPushButton* skipped_;
    ClassCountsChart* counts_;
    SampleStrip* strip_;
    std::shared_ptr<const Dataset> data_;
    int64_t blobsPerClass_ = 500;
    // Settings this panel does not show (an image folder's size, channels, hold-out, strictness)
    // kept from setConfig, so a session's values survive a round trip through the panel.
    DatasetConfig unshown_;
    // The folder chosen for each source: switching from CIFAR-10 back to Fashion-MNIST must not
    // take CIFAR's folder along.
    QHash<QString, QString> folderBySource_, testBySource_;
    QString folderSource_;
    bool updating_ = false;
};

} // namespace imblab::ui
