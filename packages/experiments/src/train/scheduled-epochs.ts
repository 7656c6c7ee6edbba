import { scheduledFeeds } from '../methods/scheduled-feeds.js';
import type { Method } from '../methods/method.js';
import type { FitPlan } from './fit.js';

/**
 * A plan's epochs with the method's scheduled inputs (BYOL's target momentum,
 * SimCLR's scheduled temperature) added to every step's feeds, each the
 * schedule's value at that step of `epochs`. The epochs unchanged when the
 * method has no schedule.
 */
export function withScheduledInputs(method: Method, epochs: number, epoch: FitPlan['epoch']): FitPlan['epoch'] {
  if (!method.schedules?.length) return epoch;
  return (e) => {
    const { steps, feeds } = epoch(e);
    return { steps, feeds: (step) => ({ ...feeds(step), ...scheduledFeeds(method, { epoch: e, step, steps, epochs }) }) };
  };
}
