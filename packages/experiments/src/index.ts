export * from './data/image-set.js';
