import {
  DWELLING_USES,
  HUKOU_CATEGORIES,
  ID_TYPES,
  INDUSTRIES,
  LICENCE_STATUSES,
  OCCUPANCIES,
  PERSON_STATUSES,
  SEXES,
  UNIT_KINDS,
  UNIT_STATUSES,
  type BaseUnit,
  type Dwelling,
  type Person,
} from './types.ts';
import {
  normalizeIdNumber,
  validateCreditCode,
  validateDate,
  validateEnum,
  validateMobile,
  validateNumber,
  validateResidentId,
  validateText,
  type FieldError,
} from './validate.ts';

/**
 * Validation of whole records as they arrive (an import row, an API body): every field is a string or
 * missing; the result is the clean record or EVERY field error of the row (not just the first), so a
 * row report can list them all. Ids and links (dwellingId, addressId) are resolved by the caller.
 */
export type Draft<T> = { [K in keyof T]?: string | number | null | undefined };
export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

type Check<T> = { ok: true; value: T } | { ok: false; error: FieldError };

class Collector {
  readonly errors: FieldError[] = [];
  take<T>(check: Check<T>, fallback: T): T {
    if (check.ok) return check.value;
    this.errors.push(check.error);
    return fallback;
  }
}

const str = (v: string | number | null | undefined): string =>
  v === null || v === undefined ? '' : String(v);

export type PersonFields = Omit<Person, 'id' | 'dwellingId'>;

/**
 * A person (实有人口). A resident ID number must pass GB 11643; its birth date and sex win over the
 * columns (a mismatch is reported, not silently fixed). Other ID types: 1–40 letters/digits.
 */
export function validatePerson(draft: Draft<PersonFields>, today: string): Validated<PersonFields> {
  const c = new Collector();
  const name = c.take(validateText(str(draft.name), 'name', { required: true, max: 60 }), null) ?? '';
  const idType = c.take(validateEnum(str(draft.idType) || 'resident_id', ID_TYPES, 'idType'), 'resident_id');
  let idNumber = normalizeIdNumber(str(draft.idNumber));
  let sex = c.take(validateOptionalEnum(draft.sex, SEXES, 'sex'), null);
  let birthDate = c.take(validateDate(str(draft.birthDate), 'birthDate'), null);
  if (idType === 'resident_id') {
    const id = validateResidentId(idNumber, today);
    if (!id.ok) c.errors.push(id.error);
    else {
      idNumber = id.value.number;
      if (birthDate !== null && birthDate !== id.value.birthDate)
        c.errors.push({ field: 'birthDate', code: 'out_of_range', value: birthDate });
      if (sex !== null && sex !== id.value.sex)
        c.errors.push({ field: 'sex', code: 'out_of_range', value: sex });
      birthDate = id.value.birthDate;
      sex = id.value.sex;
    }
  } else if (idNumber === '') c.errors.push({ field: 'idNumber', code: 'required' });
  else if (!/^[0-9A-Z]{4,40}$/.test(idNumber)) c.errors.push({ field: 'idNumber', code: 'bad_format' });
  if (birthDate !== null && birthDate > today)
    c.errors.push({ field: 'birthDate', code: 'out_of_range', value: birthDate });
  const phoneText = str(draft.phone).trim();
  const phone = phoneText === '' ? null : c.take(validateMobile(phoneText), null);
  const hukou = c.take(validateEnum(str(draft.hukou), HUKOU_CATEGORIES, 'hukou'), 'local');
  const movedInOn = c.take(validateDate(str(draft.movedInOn), 'movedInOn'), null);
  const leftOn = c.take(validateDate(str(draft.leftOn), 'leftOn'), null);
  if (movedInOn !== null && leftOn !== null && leftOn < movedInOn)
    c.errors.push({ field: 'leftOn', code: 'date_order', value: leftOn });
  const status = c.take(
    validateEnum(str(draft.status) || (leftOn === null ? 'present' : 'left'), PERSON_STATUSES, 'status'),
    'present',
  );
  if (c.errors.length > 0) return { ok: false, errors: c.errors };
  return {
    ok: true,
    value: { name, idType, idNumber, sex, birthDate, phone, hukou, movedInOn, leftOn, status },
  };
}

export type DwellingFields = Omit<Dwelling, 'id' | 'addressId'>;

/** A dwelling (实有房屋): use, occupancy, area (0 < m² < 1,000,000), rooms. */
export function validateDwelling(draft: Draft<DwellingFields>): Validated<DwellingFields> {
  const c = new Collector();
  const use = c.take(validateEnum(str(draft.use), DWELLING_USES, 'use'), 'other');
  const occupancy = c.take(validateEnum(str(draft.occupancy), OCCUPANCIES, 'occupancy'), 'vacant');
  const areaM2 = c.take(
    validateNumber(draft.areaM2, 'areaM2', { min: 0.1, max: 999_999, integer: false }),
    null,
  );
  const rooms = c.take(validateNumber(draft.rooms, 'rooms', { min: 0, max: 999, integer: true }), null);
  const note = c.take(validateText(str(draft.note), 'note', { required: false, max: 500 }), null);
  if (c.errors.length > 0) return { ok: false, errors: c.errors };
  return { ok: true, value: { use, occupancy, areaM2, rooms, note } };
}

export type UnitFields = Omit<BaseUnit, 'id' | 'addressId'>;

/** A business or organisation (实有单位); a `valid` licence needs an expiry date that is not past. */
export function validateUnit(draft: Draft<UnitFields>, today: string): Validated<UnitFields> {
  const c = new Collector();
  const name = c.take(validateText(str(draft.name), 'name', { required: true, max: 120 }), null) ?? '';
  const codeText = str(draft.creditCode).trim();
  const creditCode = codeText === '' ? null : c.take(validateCreditCode(codeText), null);
  const kind = c.take(validateEnum(str(draft.kind), UNIT_KINDS, 'kind'), 'company');
  const industry = c.take(validateEnum(str(draft.industry) || 'other', INDUSTRIES, 'industry'), 'other');
  const licenceStatus = c.take(
    validateEnum(str(draft.licenceStatus) || 'none', LICENCE_STATUSES, 'licenceStatus'),
    'none',
  );
  const licenceNo = c.take(
    validateText(str(draft.licenceNo), 'licenceNo', { required: false, max: 60 }),
    null,
  );
  const licenceExpiresOn = c.take(validateDate(str(draft.licenceExpiresOn), 'licenceExpiresOn'), null);
  if (licenceStatus === 'valid' && licenceExpiresOn !== null && licenceExpiresOn < today)
    c.errors.push({ field: 'licenceExpiresOn', code: 'out_of_range', value: licenceExpiresOn });
  const responsiblePerson = c.take(
    validateText(str(draft.responsiblePerson), 'responsiblePerson', { required: false, max: 60 }),
    null,
  );
  const phoneText = str(draft.phone).trim();
  const phone = phoneText === '' ? null : c.take(validateMobile(phoneText), null);
  const employees = c.take(
    validateNumber(draft.employees, 'employees', { min: 0, max: 999_999, integer: true }),
    null,
  );
  const status = c.take(validateEnum(str(draft.status) || 'active', UNIT_STATUSES, 'status'), 'active');
  if (c.errors.length > 0) return { ok: false, errors: c.errors };
  return {
    ok: true,
    value: {
      name,
      creditCode,
      kind,
      industry,
      licenceStatus,
      licenceNo,
      licenceExpiresOn,
      responsiblePerson,
      phone,
      employees,
      status,
    },
  };
}

function validateOptionalEnum<T extends string>(
  v: string | number | null | undefined,
  allowed: readonly T[],
  field: string,
): Check<T | null> {
  const text = str(v).trim();
  if (text === '') return { ok: true, value: null };
  return validateEnum(text, allowed, field);
}
