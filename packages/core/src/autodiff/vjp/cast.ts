import { isFloatDType } from '../../ir/dtype.js';
import type { VjpRule } from './vjp-rule.js';

/** Between float dtypes the gradient is cast back; integers carry no gradient. */
export const castVjp: VjpRule<'cast'> = ({ g, inputs: [x], attrs }) =>
  isFloatDType(x!.dtype) && isFloatDType(attrs.to) ? [g.cast(x!.dtype)] : [undefined];
