export * from './load-golden.js';
