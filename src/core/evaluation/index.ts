export * from './compute.ts';
export * from './definitions.ts';
export * from './period.ts';
export * from './scope.ts';
export * from './follow-up.ts';
export * from './segments.ts';
