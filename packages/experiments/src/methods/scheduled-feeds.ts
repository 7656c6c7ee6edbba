import { hostTensor, type Feeds } from '@ltssl/core';
import type { Method, StepProgress } from './method.js';

/** The feeds of a method's scheduled inputs at one step (none for a method without schedules). */
export function scheduledFeeds(method: Method, at: StepProgress): Feeds {
  return Object.fromEntries((method.schedules ?? []).map((s) => [s.name, hostTensor('float32', [], [s.value(at)])]));
}
