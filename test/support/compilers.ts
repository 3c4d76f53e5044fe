import AjvCompiler from '@fastify/ajv-compiler';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';
import { buildApp } from '../../src/server/app.ts';

/**
 * Route validators and response serialisers shared by every app a test process builds.
 *
 * A test file builds one or more full apps (~200 routes); Fastify compiles each route's request
 * validators (Ajv) and response serialisers (fast-json-stringify) again for each app, about 1.3 s of CPU
 * per app, the same code every time. These factories are Fastify's own (`@fastify/ajv-compiler`,
 * `@fastify/fast-json-stringify-compiler`) with a cache in front, keyed by the exact schema text and
 * by the compiler's configuration (external schemas and options, as Fastify's own pool keys them), so an
 * app gets the same functions it would have compiled itself. The compiled functions are pure (Ajv keeps
 * the last call's `errors` on the function, read synchronously right after the call), so sharing them
 * across apps shares no state between test files.
 *
 * Tests only (`caseApp`, `useCaseApi` and the files that call `buildApp` pass it as `schemaCompilers`);
 * the server builds one app per process and uses Fastify's defaults.
 */
export type SchemaCompilers = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;
type BuildValidator = NonNullable<SchemaCompilers['buildValidator']>;
type BuildSerializer = NonNullable<SchemaCompilers['buildSerializer']>;
type Json = Record<string, unknown>;

const validatorPool = AjvCompiler();
const validators = new Map<string, unknown>();
const serializerPool = SerializerSelector();
const serializers = new Map<string, unknown>();

/**
 * Header names are case-insensitive and Node gives them in lower case: Fastify lowercases a headers
 * schema's property names before compiling it with its default compiler, and leaves the schema alone for
 * a custom one. The cache is a custom compiler, so it does what the default path does.
 */
function lowerCaseHeaders(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema;
  const s = schema as Json;
  const out: Json = { ...s };
  if (s.properties && typeof s.properties === 'object')
    out.properties = Object.fromEntries(
      Object.entries(s.properties as Json).map(([k, v]) => [k.toLowerCase(), v]),
    );
  if (Array.isArray(s.required))
    out.required = s.required.map((k) => (typeof k === 'string' ? k.toLowerCase() : k));
  return out;
}

// the pools' published types and Fastify's factory types disagree on optionality; the functions are the
// ones Fastify itself would call, so they are passed through untyped
type RouteArg = { schema: unknown; httpPart?: string };
const buildValidator = ((externalSchemas: unknown, options?: { customOptions?: unknown; mode?: unknown }) => {
  const config = JSON.stringify([externalSchemas, options?.customOptions, options?.mode]);
  const compile = (validatorPool as unknown as (e: unknown, o: unknown) => (route: RouteArg) => unknown)(
    externalSchemas,
    options,
  );
  return (route: RouteArg) => {
    const schema = route.httpPart === 'headers' ? lowerCaseHeaders(route.schema) : route.schema;
    const key = `${config}\0${route.httpPart ?? ''}\0${JSON.stringify(schema)}`;
    let validate = validators.get(key);
    if (!validate) {
      validate = compile({ ...route, schema: schema as typeof route.schema });
      validators.set(key, validate);
    }
    return validate;
  };
}) as unknown as BuildValidator;

const buildSerializer = ((externalSchemas: unknown, serializerOptions: unknown) => {
  const config = JSON.stringify([externalSchemas, serializerOptions]);
  const compile = (serializerPool as unknown as (e: unknown, o: unknown) => (route: RouteArg) => unknown)(
    externalSchemas,
    serializerOptions,
  );
  return (route: RouteArg) => {
    const key = `${config}\0${JSON.stringify(route.schema)}`;
    let serialize = serializers.get(key);
    if (!serialize) {
      serialize = compile(route);
      serializers.set(key, serialize);
    }
    return serialize;
  };
}) as unknown as BuildSerializer;

export const sharedSchemaCompilers: SchemaCompilers = { buildValidator, buildSerializer };

/** How many distinct validators and serialisers this process compiled (for the cache's own test). */
export const compiledCounts = (): { validators: number; serializers: number } => ({
  validators: validators.size,
  serializers: serializers.size,
});

/** `buildApp` with the shared compilers: what a test calls to build the HTTP server. */
export function buildTestApp(
  ...[context, options]: Parameters<typeof buildApp>
): ReturnType<typeof buildApp> {
  return buildApp(context, { schemaCompilers: sharedSchemaCompilers, ...options });
}
