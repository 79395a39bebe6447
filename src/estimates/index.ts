export { estimateAt, estimateFromEvents, estimateFromRuns } from './estimate-at.ts';
export { estimateRun, DEFAULT_ESTIMATOR_OPTIONS, type EstimatorOptions } from './estimate-run.ts';
export { estimateJson, type Estimate, type NoEstimate, type RunEstimate, type StepRef } from './estimate.ts';
export { EstimatorHistory } from './estimator-history.ts';
export { MIN_RUNS } from './history-groups.ts';
export { RunTimelineCollector, timelineAt } from './run-timeline-collector.ts';
export { RunTimelineReader, replayTimelines } from './run-timeline-reader.ts';
export { ranToEnd, type RunTimeline, type StepMark, type UserWait } from './run-timeline.ts';
