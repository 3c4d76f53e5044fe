export * from './themes.ts';
export * from './targets.ts';
export * from './tasks.ts';
export * from './access.ts';
