/**
 * Text no part of the system can store or compare: NUL (PostgreSQL text cannot hold it) and unpaired
 * UTF-16 surrogates (no UTF-8 encoding exists; JSON.parse turns `"\ud800"` into one). Every string that
 * comes in — path, query, headers, JSON keys and values, multipart names — is checked once at the edge,
 * so no route or use case has to remember it.
 */
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a string can be stored as PostgreSQL text (no NUL, no unpaired surrogate). */
export const isStorableText = (text: string): boolean => !UNSTORABLE.test(text);

/** What is wrong with a value found in a request, with its JSON-pointer-like path. */
export interface InputFault {
  path: string;
  message: string;
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * The first unstorable string or non-finite/unsafe number in a parsed value (keys included). Iterative, so
 * a deeply nested body cannot overflow the stack; `numbers` also refuses numbers JSON can write but no
 * column can hold (`1e400` parses as Infinity, `9223372036854775807` loses its digits).
 */
export function findInputFault(
  value: unknown,
  root: string,
  options: { numbers?: boolean } = {},
): InputFault | null {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0) {
    const [item, path] = stack.pop()!;
    if (typeof item === 'string') {
      if (!isStorableText(item)) return { path, message: 'must not contain NUL or unpaired surrogates' };
    } else if (typeof item === 'number') {
      if (options.numbers && (!Number.isFinite(item) || Math.abs(item) > Number.MAX_SAFE_INTEGER))
        return { path, message: 'must be a finite number within ±2^53' };
    } else if (Array.isArray(item)) {
      item.forEach((v, i) => stack.push([v, `${path}/${i}`]));
    } else if (item !== null && typeof item === 'object') {
      for (const [k, v] of Object.entries(item)) {
        const at = `${path}/${escapePointer(k)}`;
        if (!isStorableText(k))
          return { path: at, message: 'name must not contain NUL or unpaired surrogates' };
        stack.push([v, at]);
      }
    }
  }
  return null;
}
