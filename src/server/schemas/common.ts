import { Type, type TSchema } from 'typebox';
import { ProblemSchema } from '../problem.ts';

/**
 * Building blocks of the published contract. A schema with an `$id` is a named schema: the OpenAPI
 * document lists it once under `components.schemas` and refers to it everywhere (see ../openapi.ts).
 */

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A string enum from a constant list (published as `enum`, typed as the union of its values). */
export const StringEnum = <const T extends string[]>(
  values: readonly [...T],
  options: Record<string, unknown> = {},
) => Type.Enum<T>(values, options);

export const DateTime = Type.String({ format: 'date-time' });

/** problem+json answers of a route, one entry per status (RFC 9457; see ../problem.ts). */
export function errorResponses<const S extends readonly number[]>(...statuses: S) {
  return Object.fromEntries(statuses.map((s) => [s, ProblemSchema])) as {
    [K in S[number]]: typeof ProblemSchema;
  };
}

export const HealthSchema = Type.Object(
  {
    status: Type.Literal('ok'),
    database: StringEnum(['pglite', 'postgresql'] as const),
    seeding: Type.Optional(Type.Boolean({ description: 'the demo history is still being played' })),
  },
  { $id: 'Health' },
);

/** The answer of a route that answers nothing (204). */
export const NoContent = Type.Null({ description: 'no content' });

/** Compile-time check that a use case's answer and its published schema name the same fields. */
export type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never]
  ? true
  : { missingInSchema: Exclude<keyof A, keyof B>; missingInResult: Exclude<keyof B, keyof A> };
