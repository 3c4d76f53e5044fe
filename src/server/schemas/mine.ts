import { Type, type Static } from 'typebox';
import type { MyReport, MyReports } from '../../app/cases/list-my-reports.ts';
import { CaseSummarySchema, DeadlineViewSchema } from './cases.ts';
import { Nullable, StringEnum, type SameKeys } from './common.ts';

/** 我的上报 (issue 11 §4): the cases one reported, with their clock and result. */
export const MyReportSchema = Type.Object(
  {
    case: CaseSummarySchema,
    clock: Nullable(DeadlineViewSchema),
    satisfaction: Nullable(StringEnum(['satisfied', 'basically_satisfied', 'unsatisfied'] as const)),
  },
  {
    $id: 'MyReport',
    description:
      'a case you reported: its state and result; `clock` is the running stage clock on the working calendar (null when none runs, and for citizens, who get the public view)',
  },
);

export const MyReportsSchema = Type.Object(
  {
    items: Type.Array(MyReportSchema),
    nextCursor: Nullable(Type.String({ description: 'pass as `cursor` for the next page' })),
  },
  { $id: 'MyReports' },
);

export const mineChecks: [
  SameKeys<MyReport, Static<typeof MyReportSchema>>,
  SameKeys<MyReports, Static<typeof MyReportsSchema>>,
] = [true, true];
