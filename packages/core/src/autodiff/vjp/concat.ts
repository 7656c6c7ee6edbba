import type { VjpRule } from './vjp-rule.js';

/** Each input gets its own extent of the cotangent along the axis. */
export const concatVjp: VjpRule<'concat'> = ({ g, inputs, attrs }) => {
  let offset = 0;
  return inputs.map((x) => {
    const begin = g.shape.map((_, i) => (i === attrs.axis ? offset : 0));
    offset += x.shape[attrs.axis]!;
    return g.slice(begin, x.shape);
  });
};
