// runJob (api/run_job.h): a Trainer from start to the plain trained model.
#include "api/run_job.h"

#include "training/second_stage.h"
#include "training/trainer.h"

namespace imblab {

namespace {

// Forwards reports, and adds the decision grid at each evaluation (on this thread, between steps).
class GridObserver : public TrainingObserver {
public:
    GridObserver(RunJobObserver& out, const Trainer& trainer, const std::optional<DecisionGrid>& spec)
        : out_(out), trainer_(trainer), spec_(spec) {}
    void onReport(const MetricsReport& r) override {
        if (r.epochEnd && spec_) {
            const DecisionGrid& s = *spec_;
            out_.onGrid(r.epoch, trainer_.predictGrid(s.x0, s.x1, s.y0, s.y1, s.nx, s.ny));
        }
        out_.onReport(r);
    }

private:
    RunJobObserver& out_;
    const Trainer& trainer_;
    const std::optional<DecisionGrid>& spec_;
};

} // namespace

RunJobResult runJob(const RunJob& job, RunJobObserver& observer, RunControl& control) {
    if (job.continues) {
        SecondStage stage(*job.continues, "the run's model", secondStageConfigOf(job.config.train), job.data);
        observer.onStarted(stage.info());
        RunJobResult result;
        result.summary = stage.run(observer, control);
        result.model = std::make_shared<const TrainedModel>(stage.trainedModel());
        return result;
    }
    Trainer trainer(job.config, job.data);
    trainer.setCheckpointPath(job.checkpoint);
    if (job.resume) trainer.resumeFrom(job.checkpoint);
    observer.onStarted(trainer.prepare(&control));
    GridObserver reports(observer, trainer, job.gridSpec);
    RunJobResult result;
    result.summary = trainer.run(reports, control);
    trainer.releaseData();
    result.model = std::make_shared<const TrainedModel>(trainer.trainedModel());
    return result;
}

} // namespace imblab
