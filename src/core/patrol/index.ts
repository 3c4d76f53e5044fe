/** Patrols and grid coverage (DESIGN §6): the pure rules. See README.md. */
export * from './access.ts';
export * from './coverage.ts';
export * from './nearest.ts';
export * from './policy.ts';
export * from './track.ts';
