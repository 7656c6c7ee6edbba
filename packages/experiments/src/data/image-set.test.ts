import { describe, expect, it } from 'vitest';
import { imageSize } from './image-set.js';

describe('ImageSet', () => {
  it('measures one image in bytes (channels x height x width)', () => {
    expect(imageSize({ channels: 1, height: 28, width: 28 })).toBe(784);
    expect(imageSize({ channels: 3, height: 32, width: 32 })).toBe(3072);
  });
});
