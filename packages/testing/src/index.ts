export * from './system-requirements.js';
export * from './needs.js';
