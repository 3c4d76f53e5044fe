/** The working calendar and deadline arithmetic (DESIGN §5): pure, Beijing time, no clock reads. */
export * from './time.ts';
export * from './official.ts';
export * from './working-calendar.ts';
export * from './deadline.ts';
export * from './status.ts';
