import type { Method, MethodName } from './method.js';
import { simsiam } from './simsiam.js';
import { supervised } from './supervised.js';

/**
 * Every pre-training method, by name, with its default options: one explicit
 * list (solo-learn's METHODS map). A method with options takes them through its
 * factory (simsiam({ projectorDim })).
 */
export const METHODS: Partial<Record<MethodName, () => Method>> = {
  supervised,
  simsiam: () => simsiam(),
};
