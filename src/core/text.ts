/**
 * Free text that must say something (issue 9 finding 11): a reason for unmasking, rejecting, cancelling…
 * must contain at least one visible character. Whitespace, zero-width and other format characters
 * (U+200B, U+200D, U+2060, U+FEFF…), controls and lone combining marks do not count.
 *
 * A JSON Schema `pattern` (compiled with the `u` flag by TypeBox and Ajv alike), so the same rule checks
 * request bodies at the edge and payloads in the core.
 */
export const VISIBLE_TEXT_PATTERN = '[^\\s\\p{C}\\p{Z}\\p{M}]';

const visible = new RegExp(VISIBLE_TEXT_PATTERN, 'u');

/** Whether `text` has at least one visible character. */
export const hasVisibleText = (text: string): boolean => visible.test(text);
