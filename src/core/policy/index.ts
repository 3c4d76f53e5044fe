/** Access policy (DESIGN §2): who may see which cases, whose personal data, and who administers. Pure. */
export * from './admin.ts';
export * from './base-info.ts';
export * from './case-scope.ts';
export * from './citizen-view.ts';
export * from './department-coverage.ts';
export * from './login-throttle.ts';
export * from './personal-data.ts';
export * from './public-follow-up.ts';
export * from './units.ts';
