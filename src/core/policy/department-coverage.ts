/**
 * Which departments may receive a case (issue 9 §6): a department (条线) receives a case only if its
 * coverage contains the case's place — a street's units their street, a district bureau the district, a
 * police station its committees or streets. Region codes nest by prefix (district 6 digits → street 9 →
 * committee 12 → grid 14), so a coverage code contains a place when the place's code starts with it.
 * The district's ruling (裁定, `arbitrate`) may cross coverage, with its ruling as the reason.
 */

/** Coverage of departments: department id → the region codes it serves (`department_coverage`). */
export type DepartmentCoverage = Readonly<Record<string, readonly string[]>>;

/** The most specific known place of a case: its grid, else committee, else street. */
export const placeOfCase = (c: {
  gridCode: string | null;
  committeeCode: string | null;
  streetCode: string;
}): string => c.gridCode ?? c.committeeCode ?? c.streetCode;

/** True when one of the coverage codes contains the place (equal to it or a prefix of it). */
export const coversPlace = (coverage: readonly string[], place: string): boolean =>
  coverage.some((code) => code.length > 0 && place.startsWith(code));

/**
 * The departments among `ids` that do not cover `place`, in the given order. A department missing from
 * `coverage` covers nothing: the caller must pass the coverage of every department it names.
 */
export function departmentsOutside(
  place: string,
  ids: readonly string[],
  coverage: DepartmentCoverage,
): string[] {
  return ids.filter((id) => !coversPlace(coverage[id] ?? [], place));
}
