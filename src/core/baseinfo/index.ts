/** Base information (一标三实) and the one-address file (一址一档): the pure rules. See README.md. */
export * from './address.ts';
export * from './records.ts';
export * from './types.ts';
export * from './validate.ts';
export * from './risk.ts';
