export * from './policy.ts';
export * from './poisson.ts';
export * from './rules.ts';
export * from './lifecycle.ts';
export * from './access.ts';
