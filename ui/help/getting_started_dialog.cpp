// The getting-started page; see getting_started_dialog.h.
#include "help/getting_started_dialog.h"

#include <QDialogButtonBox>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace imblab::ui {

GettingStartedDialog::GettingStartedDialog(QWidget* parent) : QDialog(parent), page_(new QTextBrowser(this)) {
    setWindowTitle(tr("Getting started"));
    page_->setOpenExternalLinks(false);
    page_->setHtml(tr(
        "<h3>Imbalance Lab in five steps</h3>"
        "<ol>"
        "<li><b>Make the data imbalanced.</b> In the <i>Dataset</i> panel pick a dataset (Fashion-MNIST is built "
        "in) and move <b>ρ</b> (largest ÷ smallest class) and <b>μ</b> (share of minority classes for the step "
        "profile). The counts chart shows the long tail you made; minority classes are marked.</li>"
        "<li><b>Pick a method.</b> In the <i>Training</i> panel choose a preset (<i>fmnist-lt-quick</i>, 8 epochs "
        "of a small CNN, takes a few minutes on a laptop CPU), a loss (CE, LDAM, …) and a re-balancing schedule (DRW defers "
        "re-weighting to the first LR decay). Only the parameters of your choice are shown.</li>"
        "<li><b>Train and watch.</b> <b>Ctrl+R</b> trains in the background; <b>Space</b> pauses, <b>Esc</b> "
        "stops. The error chart draws each class's test error (solid) and training error (dotted) with the LR "
        "decays and the DRW switch marked; the margin chart shows each class's training margins and LDAM's "
        "target Δ_j. Click a confusion cell to see the images behind it.</li>"
        "<li><b>Change one thing and compare.</b> <b>Ctrl+D</b> copies the selected run's settings; change one "
        "setting and train again. Select two runs and press <b>Ctrl+B</b> for the A/B view (per-class "
        "differences, margins, what changed); the Runs dock's <i>Table</i> tab groups the seeds of one setting. "
        "<b>Ctrl+G</b> queues methods × seeds × ρ.</li>"
        "<li><b>Keep the results.</b> <i>File</i> exports the model (safetensors, TorchScript, ONNX), the metrics "
        "CSV and the PDF report; <b>Ctrl+E</b> exports every chart; <b>Ctrl+S</b> saves the session. <b>Ctrl+T</b> opens teaching mode: "
        "2-D lessons with decision boundaries and the margin theory.</li>"
        "</ol>"
        "<p>The same runs work headless: <code>imblab-cli train --preset fmnist-lt-quick --method ldam-drw "
        "--out runs/x</code>. The README and <code>docs/</code> hold the reference.</p>"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(page_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(640, 560);
}

} // namespace imblab::ui
