export { runConformance, allChecks, type ConformanceOptions } from './run-conformance.js';
export type { Check, CheckContext, CheckResult, ConformanceReport } from './check.js';
export { OP_TOLERANCE, MODULE_TOLERANCE, STEP_TOLERANCE, VJP_TOLERANCE } from './tolerances.js';
export { generatedCases, type GeneratedCase } from './cases/generated-cases.js';
export { supervisedStep, type SupervisedStepOptions } from './programs/supervised-step.js';
export { simsiamStep, type SimSiamStepOptions } from './programs/simsiam-step.js';
export { mocov2Step, type MocoV2StepOptions } from './programs/mocov2-step.js';
export { movedFraction, norm, seededLabels, seededNormal, stepFeeds, STEPS, trainSteps, updateDifference, type StepCase, type TrainedSteps } from './steps/step-case.js';
export { STEP_CASES } from './steps/step-cases.js';
