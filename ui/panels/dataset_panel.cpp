// Dataset panel; see dataset_panel.h.
#include "panels/dataset_panel.h"

#include "charts/class_counts_chart.h"
#include "data/csv_table.h"
#include "data/dataset_loader.h"
#include "data/dataset_manifest.h"
#include "data/text_table.h"
#include "panels/sample_strip.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QTableWidget>
#include <QHeaderView>
#include <QDialog>
#include <QFileInfo>
#include <QLineEdit>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QScrollArea>
#include <QVBoxLayout>

#include <cmath>

namespace imblab::ui {

namespace {
// ρ slider: position p ∈ [0, 300] ↔ ρ = 10^(p/100), so 1..1000 on a log scale.
int rhoToSlider(double rho) { return int(std::lround(100 * std::log10(std::max(1.0, rho)))); }
double sliderToRho(int pos) { return std::round(std::pow(10.0, pos / 100.0) * 100) / 100; }

// A path box with its "Choose…" button beside it, as one form row.
QWidget* pathRow(QLineEdit*& edit, QPushButton*& choose) {
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    edit = new QLineEdit;
    choose = new QPushButton(QObject::tr("Choose…"));
    layout->addWidget(edit);
    layout->addWidget(choose);
    return row;
}
} // namespace

DatasetPanel::DatasetPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    auto* form = form_ = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);  // a narrow dock puts a field under its label

    dataset_ = new QComboBox;
    for (const auto& d : DatasetManifest::builtin().datasets()) {
        QString label = QString::fromStdString(d.name);
        if (d.format == "image-list" || d.format == "csv" || d.format == "inat-json") label += tr(" (choose file)");
        else if (d.format != "blobs" && d.defaultPath.empty()) label += tr(" (choose folder)");
        dataset_->addItem(label, QString::fromStdString(d.id));
    }
    folderSource_ = dataset_->currentData().toString();
    dataset_->setToolTip(tr("The dataset to make imbalanced; Fashion-MNIST is installed with the Debian package "
                            "dataset-fashion-mnist, the others are read from a folder you choose."));
    form->addRow(tr("Dataset"), dataset_);

    folderRow_ = pathRow(folder_, chooseFolder_);
    folder_->setPlaceholderText(tr("default location"));
    folder_->setToolTip(tr("Folder holding the dataset files (IDX or CIFAR binary version), or for an image folder "
                           "one folder per class of .png/.jpg/.bmp files (with train/ and test/ inside if it has its "
                           "own split). Each dataset remembers its own folder."));
    chooseFolder_->setToolTip(tr("Pick the folder that holds the dataset files."));
    form->addRow(tr("Folder"), folderRow_);

    // Own data: the test split's list or table (else a hold-out), and a table's label column.
    testRow_ = pathRow(testPath_, chooseTest_);
    testPath_->setObjectName(QStringLiteral("testPath"));
    testPath_->setPlaceholderText(tr("none: 20 % of each class held out"));
    testPath_->setToolTip(tr("A second list file or table for the test split; empty: a stratified, seeded share of "
                             "each class is held out (the same files for every run)."));
    chooseTest_->setToolTip(tr("Pick the test split's list file or table."));
    form->addRow(tr("Test split"), testRow_);
    // A list file's images folder and class names (ImageNet-LT keeps its lists apart from the images).
    listRootRow_ = pathRow(listRoot_, chooseListRoot_);
    listRoot_->setObjectName(QStringLiteral("listRoot"));
    listRoot_->setPlaceholderText(tr("the list file's folder"));
    listRoot_->setToolTip(tr("The folder the listed paths are relative to; empty: the folder holding the list file."));
    chooseListRoot_->setToolTip(tr("Pick the folder the listed paths start from."));
    form->addRow(tr("Images root"), listRootRow_);
    classNamesRow_ = pathRow(classNamesFile_, chooseClassNames_);
    classNamesFile_->setObjectName(QStringLiteral("classNamesFile"));
    classNamesFile_->setPlaceholderText(tr("none: the label numbers"));
    classNamesFile_->setToolTip(tr("A text file whose line i names label i; empty: the classes are called 0, 1, 2, …"));
    chooseClassNames_->setToolTip(tr("Pick the file naming the labels, one name per line."));
    form->addRow(tr("Class names"), classNamesRow_);
    labelColumn_ = new QComboBox;
    labelColumn_->setObjectName(QStringLiteral("labelColumn"));
    labelColumn_->setToolTip(tr("The column holding each row's class; every other column is a numeric feature. "
                                "Auto: a column named label, class, target or y, else the last one."));
    form->addRow(tr("Label column"), labelColumn_);
    textColumn_ = new QComboBox;
    textColumn_->setObjectName(QStringLiteral("textColumn"));
    textColumn_->setToolTip(tr("The column holding each row's text. Auto: a column named text, review, sentence, content, "
                               "body, message, document or description."));
    form->addRow(tr("Text column"), textColumn_);
    // What every text source shares: how many words a text keeps, and the vocabulary.
    textBox_ = new QWidget;
    auto* textForm = new QFormLayout(textBox_);
    textForm->setContentsMargins(0, 0, 0, 0);
    maxTokens_ = new QSpinBox;
    maxTokens_->setObjectName(QStringLiteral("maxTokens"));
    maxTokens_->setRange(1, 100000);
    maxTokens_->setToolTip(tr("Words kept per text, the first ones (IMDB's reviews have about 230 on average)."));
    auto* vocabRow = new QHBoxLayout;
    vocabSize_ = new QSpinBox;
    vocabSize_->setObjectName(QStringLiteral("vocabSize"));
    vocabSize_->setRange(3, 10000000);
    vocabSize_->setToolTip(tr("The vocabulary's size, <pad> and <unk> included: the most frequent words of the (imbalanced) "
                              "training split; every other word, and every test word it lacks, is <unk>."));
    minCount_ = new QSpinBox;
    minCount_->setObjectName(QStringLiteral("minCount"));
    minCount_->setRange(1, 1000000);
    minCount_->setPrefix(tr("seen ≥ "));
    minCount_->setToolTip(tr("How often a word must occur in the training split to be in the vocabulary."));
    vocabRow->addWidget(vocabSize_, 1);
    vocabRow->addWidget(minCount_);
    spamClasses_ = new QComboBox;
    spamClasses_->setObjectName(QStringLiteral("spamClasses"));
    spamClasses_->addItem(tr("ham and spam"), QStringLiteral("ham-spam"));
    spamClasses_->addItem(tr("its five folders"), QStringLiteral("groups"));
    spamClasses_->setToolTip(tr("SpamAssassin's classes: ham (easy-ham-1, easy-ham-2, hard-ham-1) against spam (spam-1, "
                                "spam-2), or each folder its own class."));
    textForm->addRow(tr("Words per text"), maxTokens_);
    textForm->addRow(tr("Vocabulary"), vocabRow);
    textForm->addRow(tr("Mail classes"), spamClasses_);
    form->addRow(textBox_);
    classOrder_ = new QLineEdit;
    classOrder_->setObjectName(QStringLiteral("classOrder"));
    classOrder_->setPlaceholderText(tr("as the source orders them"));
    classOrder_->setToolTip(tr("Your own data's classes in the order you want, comma-separated: the step profile's minority "
                               "classes are the last ones (IMDB's Table 1: pos,neg makes the negative reviews the minority)."));
    form->addRow(tr("Class order"), classOrder_);

    profile_ = new QComboBox;
    profile_->addItem(tr("exponential (long-tailed)"), QStringLiteral("exp"));
    profile_->addItem(tr("step"), QStringLiteral("step"));
    profile_->addItem(tr("none (the data as it is)"), QStringLiteral("none"));  // a folder keeps its own tail
    profile_->setToolTip(tr("exp: class i keeps n_max·ρ^(−i/(k−1)) examples; step: a fraction μ of the classes keep "
                            "n_max/ρ, the others n_max; none: balanced."));
    form->addRow(tr("Profile"), profile_);

    auto* rhoRow = new QHBoxLayout;
    rhoSlider_ = new QSlider(Qt::Horizontal);
    rhoSlider_->setRange(0, 300);
    rhoSpin_ = new QDoubleSpinBox;
    rhoSpin_->setRange(1, 10000);
    rhoSpin_->setDecimals(2);
    rhoSpin_->setMinimumWidth(80);
    const QString rhoTip = tr("Imbalance ratio ρ = n_max / n_min: how many times more examples the most frequent "
                              "class has than the rarest (1 = balanced).");
    rhoSlider_->setToolTip(rhoTip);
    rhoSpin_->setToolTip(rhoTip);
    rhoRow->addWidget(rhoSlider_);
    rhoRow->addWidget(rhoSpin_);
    form->addRow(tr("ρ (ratio)"), rhoRow);

    auto* muRow = new QHBoxLayout;
    muSlider_ = new QSlider(Qt::Horizontal);
    muSlider_->setRange(0, 100);
    muSpin_ = new QDoubleSpinBox;
    muSpin_->setRange(0, 1);
    muSpin_->setSingleStep(0.05);
    muSpin_->setMinimumWidth(80);
    const QString muTip = tr("Step profile: the fraction μ of classes that are minority classes (rounded to the nearest "
                             "number of classes).");
    muSlider_->setToolTip(muTip);
    muSpin_->setToolTip(muTip);
    muRow->addWidget(muSlider_);
    muRow->addWidget(muSpin_);
    form->addRow(tr("μ (minority share)"), muRow);

    seed_ = new QSpinBox;
    seed_->setRange(0, 1000000);
    seed_->setToolTip(tr("Seed of the random draw of which examples each class keeps."));
    shuffle_ = new QCheckBox(tr("shuffle classes"));
    shuffle_->setToolTip(tr("Off: the last classes by index are the minority ones; on: a seeded random class order."));
    auto* seedRow = new QHBoxLayout;
    seedRow->addWidget(seed_);
    seedRow->addWidget(shuffle_);
    form->addRow(tr("Seed"), seedRow);

    blobsBox_ = new QWidget;
    auto* blobsForm = new QFormLayout(blobsBox_);
    blobsForm->setContentsMargins(0, 0, 0, 0);
    blobsClasses_ = new QSpinBox;
    blobsClasses_->setRange(2, 10);
    blobsClasses_->setToolTip(tr("Number of Gaussian blobs (classes)."));
    blobsSpread_ = new QDoubleSpinBox;
    blobsSpread_->setRange(0.05, 10);
    blobsSpread_->setSingleStep(0.1);
    blobsSpread_->setToolTip(tr("Standard deviation of each blob."));
    blobsSeparation_ = new QDoubleSpinBox;
    blobsSeparation_->setRange(0, 20);
    blobsSeparation_->setSingleStep(0.25);
    blobsSeparation_->setToolTip(tr("Distance of each blob's centre from the origin."));
    blobsForm->addRow(tr("Blobs"), blobsClasses_);
    blobsForm->addRow(tr("Spread"), blobsSpread_);
    blobsForm->addRow(tr("Separation"), blobsSeparation_);
    form->addRow(blobsBox_);
    layout->addLayout(form);
    for (QComboBox* combo : {dataset_, profile_}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(10);
    }
    for (QAbstractSpinBox* spin : std::initializer_list<QAbstractSpinBox*>{rhoSpin_, muSpin_}) spin->setMinimumWidth(70);

    error_ = new QLabel;
    error_->setWordWrap(true);
    error_->setStyleSheet(QStringLiteral("color: #b00020;"));
    error_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    error_->hide();
    layout->addWidget(error_);
    skipped_ = new QPushButton;
    skipped_->setFlat(true);
    skipped_->setStyleSheet(QStringLiteral("text-align: left; color: #8a5a00;"));
    skipped_->setToolTip(tr("Files with an image extension that could not be decoded are left out of the data; "
                            "imblab-cli dataset --json lists them too"));
    skipped_->hide();
    connect(skipped_, &QPushButton::clicked, this, [this] { showSkippedFiles(); });
    layout->addWidget(skipped_);

    auto* chartBar = new QHBoxLayout;
    summary_ = new QLabel;
    summary_->setWordWrap(true);
    logScale_ = new QCheckBox(tr("log scale"));
    logScale_->setToolTip(tr("Show the counts on a logarithmic axis."));
    chartBar->addWidget(summary_, 1);
    chartBar->addWidget(logScale_);
    layout->addLayout(chartBar);
    counts_ = new ClassCountsChart;
    layout->addWidget(counts_, 2);
    strip_ = new SampleStrip;
    auto* stripScroll = new QScrollArea;  // scrolls past 20 classes; below, the strip fills it
    stripScroll->setObjectName(QStringLiteral("sampleScroll"));
    stripScroll->setWidget(strip_);
    stripScroll->setWidgetResizable(true);
    stripScroll->setFrameShape(QFrame::NoFrame);
    stripScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    layout->addWidget(stripScroll, 2);

    setConfig(DatasetConfig{});

    auto changed = [this] {
        if (updating_) return;
        refreshPreview();
        Q_EMIT configChanged();
    };
    connect(rhoSlider_, &QSlider::valueChanged, this, [this, changed](int pos) {
        if (updating_) return;
        updating_ = true;
        rhoSpin_->setValue(sliderToRho(pos));
        updating_ = false;
        changed();
    });
    connect(rhoSpin_, &QDoubleSpinBox::valueChanged, this, [this, changed](double v) {
        if (updating_) return;
        updating_ = true;
        rhoSlider_->setValue(rhoToSlider(v));
        updating_ = false;
        changed();
    });
    connect(muSlider_, &QSlider::valueChanged, this, [this, changed](int pos) {
        if (updating_) return;
        updating_ = true;
        muSpin_->setValue(pos / 100.0);
        updating_ = false;
        changed();
    });
    connect(muSpin_, &QDoubleSpinBox::valueChanged, this, [this, changed](double v) {
        if (updating_) return;
        updating_ = true;
        muSlider_->setValue(int(std::lround(v * 100)));
        updating_ = false;
        changed();
    });
    connect(profile_, &QComboBox::currentIndexChanged, this, [this, changed] {
        updateVisibility();
        changed();
    });
    connect(seed_, &QSpinBox::valueChanged, this, changed);
    connect(shuffle_, &QCheckBox::toggled, this, changed);
    auto sourceChanged = [this, changed] {
        if (updating_) return;
        const QString source = dataset_->currentData().toString();
        if (source != folderSource_) {  // each source keeps its own folder
            folderBySource_[folderSource_] = folder_->text();
            testBySource_[folderSource_] = testPath_->text();
            folder_->setText(folderBySource_.value(source));
            testPath_->setText(testBySource_.value(source));
            fillLabelColumns();
            folderSource_ = source;
        }
        updateVisibility();
        changed();
        Q_EMIT dataSourceChanged();
    };
    connect(dataset_, &QComboBox::currentIndexChanged, this, sourceChanged);
    connect(folder_, &QLineEdit::editingFinished, this, [this, sourceChanged] {
        fillLabelColumns();
        sourceChanged();
    });
    connect(testPath_, &QLineEdit::editingFinished, this, sourceChanged);
    connect(listRoot_, &QLineEdit::editingFinished, this, sourceChanged);
    connect(classNamesFile_, &QLineEdit::editingFinished, this, sourceChanged);
    connect(chooseListRoot_, &QPushButton::clicked, this, &DatasetPanel::chooseListRootRequested);
    connect(chooseClassNames_, &QPushButton::clicked, this, &DatasetPanel::chooseClassNamesRequested);
    connect(labelColumn_, &QComboBox::currentIndexChanged, this, sourceChanged);
    connect(textColumn_, &QComboBox::currentIndexChanged, this, sourceChanged);
    connect(maxTokens_, &QSpinBox::editingFinished, this, sourceChanged);  // a reload: on the finished number
    connect(spamClasses_, &QComboBox::currentIndexChanged, this, sourceChanged);
    connect(classOrder_, &QLineEdit::editingFinished, this, sourceChanged);
    connect(vocabSize_, &QSpinBox::valueChanged, this, changed);  // the trainer's, no reload
    connect(minCount_, &QSpinBox::valueChanged, this, changed);
    connect(chooseTest_, &QPushButton::clicked, this, &DatasetPanel::chooseTestFileRequested);
    connect(blobsClasses_, &QSpinBox::valueChanged, this, sourceChanged);
    connect(blobsSpread_, &QDoubleSpinBox::valueChanged, this, sourceChanged);
    connect(blobsSeparation_, &QDoubleSpinBox::valueChanged, this, sourceChanged);
    connect(chooseFolder_, &QPushButton::clicked, this, &DatasetPanel::chooseFolderRequested);
    connect(logScale_, &QCheckBox::toggled, counts_, &ClassCountsChart::setLogScale);
}

DatasetConfig DatasetPanel::config() const {
    DatasetConfig c = unshown_;
    c.id = dataset_->currentData().toString().toStdString();
    c.path = folder_->text().trimmed().toStdString();
    c.profile = profile_->currentData().toString().toStdString();
    c.rho = rhoSpin_->value();
    c.mu = muSpin_->value();
    c.seed = uint64_t(seed_->value());
    c.shuffleClasses = shuffle_->isChecked();
    c.blobsClasses = blobsClasses_->value();
    c.blobsSpread = blobsSpread_->value();
    c.blobsSeparation = blobsSeparation_->value();
    c.blobsPerClass = blobsPerClass_;
    // The rows a source shows are its settings; another source's (kept by setConfig) go with it.
    const QString format = sourceFormat();
    const bool list = format == QStringLiteral("image-list"), csv = format == QStringLiteral("csv"), table = isTextTable();
    const bool inat = format == QStringLiteral("inat-json");
    c.testPath = list || csv || table || inat ? testPath_->text().trimmed().toStdString() : std::string();
    c.labelColumn = csv || table ? labelColumn_->currentData().toString().toStdString() : std::string();
    c.textColumn = table ? textColumn_->currentData().toString().toStdString() : std::string();
    c.maxTokens = maxTokens_->value();
    c.vocabSize = vocabSize_->value();
    c.minCount = minCount_->value();
    c.spamClasses = spamClasses_->currentData().toString().toStdString();
    c.classOrder.clear();
    if (isOwnDataId(c.id))
        for (const QString& name : classOrder_->text().split(',', Qt::SkipEmptyParts))
            if (!name.trimmed().isEmpty()) c.classOrder.push_back(name.trimmed().toStdString());
    c.root = list || inat ? listRoot_->text().trimmed().toStdString() : std::string();
    c.classNamesFile = list ? classNamesFile_->text().trimmed().toStdString() : std::string();
    return c;
}

void DatasetPanel::setConfig(const DatasetConfig& c) {
    updating_ = true;
    unshown_ = c;
    const int idx = dataset_->findData(QString::fromStdString(c.id));
    dataset_->setCurrentIndex(std::max(0, idx));
    folder_->setText(QString::fromStdString(c.path));
    folderSource_ = dataset_->currentData().toString();
    profile_->setCurrentIndex(std::max(0, profile_->findData(QString::fromStdString(c.profile))));
    rhoSpin_->setValue(c.rho);
    rhoSlider_->setValue(rhoToSlider(c.rho));
    muSpin_->setValue(c.mu);
    muSlider_->setValue(int(std::lround(c.mu * 100)));
    seed_->setValue(int(c.seed));
    shuffle_->setChecked(c.shuffleClasses);
    blobsClasses_->setValue(c.blobsClasses);
    blobsSpread_->setValue(c.blobsSpread);
    blobsSeparation_->setValue(c.blobsSeparation);
    blobsPerClass_ = c.blobsPerClass;
    testPath_->setText(QString::fromStdString(c.testPath));
    listRoot_->setText(QString::fromStdString(c.root));
    classNamesFile_->setText(QString::fromStdString(c.classNamesFile));
    maxTokens_->setValue(c.maxTokens);
    vocabSize_->setValue(c.vocabSize);
    minCount_->setValue(c.minCount);
    spamClasses_->setCurrentIndex(std::max(0, spamClasses_->findData(QString::fromStdString(c.spamClasses))));
    QStringList order;
    for (const auto& name : c.classOrder) order << QString::fromStdString(name);
    classOrder_->setText(order.join(QStringLiteral(",")));
    fillLabelColumns(QString::fromStdString(c.labelColumn), QString::fromStdString(c.textColumn));
    updating_ = false;
    updateVisibility();
    refreshPreview();
}

void DatasetPanel::setFolder(const QString& folder) {
    folder_->setText(folder);
    fillLabelColumns();
    updateVisibility();
    refreshPreview();
    Q_EMIT configChanged();
    Q_EMIT dataSourceChanged();
}

void DatasetPanel::setTestPath(const QString& path) { setPathAndReload(testPath_, path); }
void DatasetPanel::setListRoot(const QString& folder) { setPathAndReload(listRoot_, folder); }
void DatasetPanel::setClassNamesFile(const QString& file) { setPathAndReload(classNamesFile_, file); }

void DatasetPanel::setPathAndReload(QLineEdit* edit, const QString& path) {
    edit->setText(path);
    refreshPreview();
    Q_EMIT configChanged();
    Q_EMIT dataSourceChanged();
}

bool DatasetPanel::isTextTable() const {
    return sourceFormat() == QStringLiteral("text") && QFileInfo(folder_->text().trimmed()).isFile();
}

QString DatasetPanel::sourceFormat() const {
    for (const auto& d : DatasetManifest::builtin().datasets())
        if (QString::fromStdString(d.id) == dataset_->currentData().toString()) return QString::fromStdString(d.format);
    return {};
}

void DatasetPanel::fillLabelColumns(const QString& wanted, const QString& wantedText) {
    const QString keep = wanted.isNull() ? labelColumn_->currentData().toString() : wanted;
    const QString keepText = wantedText.isNull() ? textColumn_->currentData().toString() : wantedText;
    const bool wasUpdating = updating_;
    updating_ = true;
    labelColumn_->clear();
    textColumn_->clear();
    const std::string file = folder_->text().trimmed().toStdString();
    const bool csv = sourceFormat() == QStringLiteral("csv") && !file.empty(), table = isTextTable();
    // The header only: a large table is read on the loader's thread, not here.
    std::vector<std::string> columns;
    QString autoLabel = tr("auto"), autoText = tr("auto");
    try {
        if (csv) {
            columns = readCsvHeader(file);
            autoLabel = tr("auto (%1)").arg(QString::fromStdString(chooseLabelColumn(columns, "", file)));
        } else if (table) {
            columns = textTableHeader(file);
            const auto [text, label] = textTableColumns(columns, {}, file);
            autoLabel = tr("auto (%1)").arg(QString::fromStdString(label));
            autoText = tr("auto (%1)").arg(QString::fromStdString(text));
        }
    } catch (const std::exception&) {
        // the loader reports what is wrong with the file; the columns read so far are offered
    }
    labelColumn_->addItem(autoLabel, QString());
    textColumn_->addItem(autoText, QString());
    for (const auto& c : columns) {
        labelColumn_->addItem(QString::fromStdString(c), QString::fromStdString(c));
        textColumn_->addItem(QString::fromStdString(c), QString::fromStdString(c));
    }
    auto select = [](QComboBox* combo, const QString& value) {
        if (combo->findData(value) < 0 && !value.isEmpty()) combo->addItem(value, value);  // a session's column, shown even if gone
        combo->setCurrentIndex(std::max(0, combo->findData(value)));
    };
    select(labelColumn_, keep);
    select(textColumn_, keepText);
    updating_ = wasUpdating;
}

void DatasetPanel::updateVisibility() {
    const bool blobs = dataset_->currentData().toString() == QStringLiteral("blobs");
    blobsBox_->setVisible(blobs);
    folderRow_->setEnabled(!blobs);
    // A list file or a table is one file; the other sources are folders.
    const QString format = sourceFormat();
    const bool list = format == QStringLiteral("image-list"), csv = format == QStringLiteral("csv");
    const bool text = format == QStringLiteral("text"), table = isTextTable();
    const bool inat = format == QStringLiteral("inat-json");
    const bool textData = isTextDatasetId(dataset_->currentData().toString().toStdString());
    if (auto* label = qobject_cast<QLabel*>(form_->labelForField(folderRow_)))
        label->setText(list ? tr("List file") : csv ? tr("Table") : text ? tr("Folder or table")
                       : inat ? tr("Annotations") : tr("Folder"));
    folder_->setPlaceholderText(list ? tr("lines 'relative/path label'") : csv ? tr("a .csv file with a header row")
                                : text ? tr("DIR/<class>/*.txt, or a .csv, .tsv or .jsonl table")
                                : inat ? tr("train2018.json (images, annotations, categories)")
                                       : tr("default location"));
    chooseFolder_->setToolTip(list ? tr("Pick the training list file.") : csv ? tr("Pick the CSV table.")
                              : text ? tr("Pick a folder of class folders of .txt files, or a table of texts.")
                              : inat ? tr("Pick iNaturalist's training annotation file (train2017/2018/2019.json, train.json).")
                                     : tr("Pick the folder that holds the dataset files."));
    form_->setRowVisible(testRow_, list || csv || table || inat);
    testPath_->setPlaceholderText(inat ? tr("val2018.json; none: 20 % of each class held out")
                                       : tr("none: 20 % of each class held out"));
    listRoot_->setPlaceholderText(inat ? tr("the annotation file's folder") : tr("the list file's folder"));
    form_->setRowVisible(labelColumn_, csv || table);
    form_->setRowVisible(textColumn_, table);
    form_->setRowVisible(textBox_, textData);
    if (auto* spamLabel = qobject_cast<QFormLayout*>(textBox_->layout()))
        spamLabel->setRowVisible(spamClasses_, dataset_->currentData().toString() == QStringLiteral("spamassassin"));
    form_->setRowVisible(classOrder_, isOwnDataId(dataset_->currentData().toString().toStdString()));
    form_->setRowVisible(listRootRow_, list || inat);
    form_->setRowVisible(classNamesRow_, list);
    const bool step = profile_->currentData().toString() == QStringLiteral("step");
    muSlider_->setEnabled(step);
    muSpin_->setEnabled(step);
    const bool none = profile_->currentData().toString() == QStringLiteral("none");
    rhoSlider_->setEnabled(!none);
    rhoSpin_->setEnabled(!none);
}

void DatasetPanel::refreshPreview() {
    const DatasetConfig cfg = config();
    try {
        const bool text = isTextDatasetId(cfg.id);
        if ((cfg.id == "csv" || text) && !(data_ && data_->id == cfg.id)) {
            // A table has no listing cheaper than reading it, and a text's counts are those that
            // could be read: they come with the data.
            summary_->setText(cfg.path.empty() && resolveDatasetFolder(cfg).empty()
                                  ? (text ? tr("choose a folder of texts or a table") : tr("choose a table"))
                                  : (text ? tr("reading the texts…") : tr("reading the table…")));
            error_->hide();
            return;
        }
        const CountPreview p = data_ && (data_->id == "csv" || data_->isText()) && data_->id == cfg.id
                                   ? CountPreview{data_->classNames, countPerClass(data_->train, data_->numClasses()), {}, 0}
                                   : previewCounts(cfg);
        std::vector<int64_t> counts = p.classCounts;
        std::vector<int64_t> kept;
        if (data_ && data_->id == cfg.id && data_->numClasses() == int(counts.size())) {
            // With the images at hand, the exact subset (also right where a folder's classes hold
            // fewer than n_max examples).
            const KeptSubset subset = keptSubset(*data_, cfg);
            counts = subset.classCounts;
            kept = subset.indices;
        }
        const auto minority = minorityClasses(counts);
        counts_->setCounts(p.classNames, counts, minority);
        int64_t total = 0;
        for (int64_t n : counts) total += n;
        const auto [lo, hi] = std::minmax_element(counts.begin(), counts.end());
        summary_->setText(tr("%1 training examples, %2–%3 per class · <span style='color:#D55E00'>■</span> minority")
                              .arg(total)
                              .arg(*lo)
                              .arg(*hi) +
                          (data_ && data_->id == cfg.id && data_->isStreamed() ? tr(" · streamed from the files") : QString()));
        summary_->setToolTip(data_ && data_->id == cfg.id ? QString::fromStdString(data_->pipelineNote) : QString());
        if (data_) strip_->setSamples(data_, kept, counts);
        error_->hide();
    } catch (const std::exception& e) {
        error_->setText(QString::fromUtf8(e.what()));
        error_->show();
    }
}

QDialog* DatasetPanel::showSkippedFiles() {
    auto* dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("skippedFilesDialog"));
    const size_t n = data_ ? data_->skipped.size() : 0;
    dialog->setWindowTitle(n == 1 ? tr("1 file left out") : tr("%1 files left out").arg(n));
    auto* layout = new QVBoxLayout(dialog);
    auto* table = new QTableWidget(int(n), 2, dialog);
    table->setHorizontalHeaderLabels({tr("file"), tr("why it was left out")});
    for (size_t i = 0; i < n; ++i) {
        table->setItem(int(i), 0, new QTableWidgetItem(QString::fromStdString(data_->skipped[i].path)));
        table->setItem(int(i), 1, new QTableWidgetItem(QString::fromStdString(data_->skipped[i].reason)));
    }
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->horizontalHeader()->setStretchLastSection(true);
    table->resizeColumnToContents(0);
    layout->addWidget(table);
    dialog->resize(720, 360);
    dialog->show();
    return dialog;
}

void DatasetPanel::setLoadedData(std::shared_ptr<const Dataset> data) {
    data_ = std::move(data);
    const size_t skipped = data_ ? data_->skipped.size() : 0;
    skipped_->setText(skipped == 1 ? tr("1 unreadable file left out — show which")
                                   : tr("%1 unreadable files left out — show which").arg(skipped));
    skipped_->setVisible(skipped > 0);
    if (!data_) strip_->clear(tr("loading images…"));
    refreshPreview();
}

void DatasetPanel::showLoadError(const QString& message) {
    data_.reset();
    strip_->clear(tr("no images: see the message above"));
    error_->setText(message);
    error_->show();
}

void DatasetPanel::setLocked(bool locked) {
    for (QWidget* w : std::initializer_list<QWidget*>{dataset_, folder_, chooseFolder_, profile_, rhoSlider_, rhoSpin_,
                                                      muSlider_, muSpin_, seed_, shuffle_, blobsBox_, testRow_, labelColumn_,
                                                      listRootRow_, classNamesRow_, textColumn_, textBox_, classOrder_})
        w->setEnabled(!locked);
    if (!locked) updateVisibility();
}

} // namespace imblab::ui
