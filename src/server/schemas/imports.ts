import { Type, type Static } from 'typebox';
import type { ImportPreview } from '../../app/imports/create-import-run.ts';
import type { ImportRowErrorView, ImportRunView } from '../../app/imports/query-imports.ts';
import { IMPORT_KINDS } from '../../core/imports/fields.ts';
import { IMPORT_ROW_REASONS } from '../../core/imports/rows.ts';
import { DateTime, Nullable, StringEnum, type SameKeys } from './common.ts';

/** Base-information imports (issue 12 §4) as published. */

export const ImportKindSchema = StringEnum(IMPORT_KINDS, {
  $id: 'ImportKind',
  description: 'addresses 标准地址 · dwellings 实有房屋 · people 实有人口 · units 实有单位',
});

/** The same, unnamed: a query parameter's schema is inlined by the OpenAPI generator. */
export const ImportKindQuery = StringEnum(IMPORT_KINDS, {
  description: 'addresses 标准地址 · dwellings 实有房屋 · people 实有人口 · units 实有单位',
});

export const ImportRunSchema = Type.Object(
  {
    id: Type.String(),
    kind: ImportKindSchema,
    fileName: Type.String(),
    format: StringEnum(['csv', 'xlsx'] as const),
    fileSize: Type.Integer({ description: 'bytes' }),
    streetCode: Nullable(Type.String({ description: 'the street the rows are for; null = the district' })),
    createdBy: Nullable(Type.String()),
    dryRun: Type.Boolean({ description: 'validates and matches every row, writes nothing' }),
    status: StringEnum(['uploaded', 'running', 'done', 'failed'] as const),
    rowsRead: Type.Integer(),
    inserted: Type.Integer({ description: 'new records (would be, in a dry run)' }),
    updated: Type.Integer(),
    unchanged: Type.Integer(),
    refused: Type.Integer({ description: 'rows refused (see the row report)' }),
    progress: Type.Number({ minimum: 0, maximum: 1, description: 'share of the file read' }),
    error: Nullable(Type.String({ description: 'why a failed run failed (e.g. missing columns)' })),
    createdAt: DateTime,
    startedAt: Nullable(DateTime),
    finishedAt: Nullable(DateTime),
  },
  { $id: 'ImportRun' },
);

export const ImportPreviewSchema = Type.Object(
  {
    headers: Type.Array(Type.String(), { description: "the file's header row" }),
    mapping: Type.Record(Type.String(), Type.String(), { description: 'field → the header mapped to it' }),
    ignored: Type.Array(Type.String(), { description: 'headers that name no field (not imported)' }),
    missing: Type.Array(Type.String(), {
      description: 'required fields without a column: the run will fail',
    }),
    duplicates: Type.Array(Type.String()),
    rows: Type.Array(
      Type.Object({
        row: Type.Integer(),
        values: Type.Record(Type.String(), Type.String(), { description: 'field → value; ID/phone masked' }),
      }),
    ),
  },
  { $id: 'ImportPreview' },
);

export const ImportUploadSchema = Type.Object(
  { run: ImportRunSchema, preview: ImportPreviewSchema },
  { $id: 'ImportUpload' },
);

export const ImportRunListSchema = Type.Object(
  { items: Type.Array(ImportRunSchema) },
  { $id: 'ImportRunList' },
);

export const ImportRowErrorSchema = Type.Object(
  {
    row: Type.Integer({ description: 'the row as the spreadsheet numbers it (header = 1)' }),
    column: Nullable(Type.String({ description: 'the header of the offending column' })),
    value: Nullable(Type.String({ description: 'the value (ID and phone numbers masked)' })),
    reason: StringEnum(IMPORT_ROW_REASONS),
  },
  { $id: 'ImportRowError' },
);

export const ImportRowErrorPageSchema = Type.Object(
  { total: Type.Integer(), items: Type.Array(ImportRowErrorSchema) },
  { $id: 'ImportRowErrorPage' },
);

export const ImportStartSchema = Type.Object(
  { dryRun: Type.Boolean({ description: 'validate and match only; write nothing' }) },
  { $id: 'ImportStart' },
);

// a field added to a use case's answer must be added here too (or it would be dropped on the way out)
export const importChecks: [
  SameKeys<ImportRunView, Static<typeof ImportRunSchema>>,
  SameKeys<ImportPreview, Static<typeof ImportPreviewSchema>>,
  SameKeys<ImportRowErrorView, Static<typeof ImportRowErrorSchema>>,
] = [true, true, true];
