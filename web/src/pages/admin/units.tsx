import { client } from '../../api/client';
import { useCall } from '../../api/hooks';
import type { Unit } from '../../api/models';

/** A unit as the API takes it in forms: a region code, a department id, or "none". */
export const formatUnitInput = (unit: Unit): string =>
  unit.kind === 'region' ? (unit.code ?? '') : unit.kind === 'department' ? (unit.id ?? '') : 'none';

/** The streets, committees and departments, as a <datalist id="admin-units"> for the unit inputs. */
export function UnitOptions() {
  const streets = useCall('admin unit streets', (signal) =>
    client.GET('/api/v1/regions', { params: { query: { level: 'street' } }, signal }),
  );
  const committees = useCall('admin unit committees', (signal) =>
    client.GET('/api/v1/regions', { params: { query: { level: 'committee' } }, signal }),
  );
  const district = useCall('admin unit district', (signal) =>
    client.GET('/api/v1/regions', { params: { query: { level: 'district' } }, signal }),
  );
  const regions = [
    ...(district.data?.items ?? []),
    ...(streets.data?.items ?? []),
    ...(committees.data?.items ?? []),
  ];
  const departments = useCall('admin unit departments', (signal) =>
    client.GET('/api/v1/departments', { signal }),
  );
  return (
    <datalist id="admin-units">
      <option value="none" />
      {regions.map((r) => (
        <option key={r.code} value={r.code}>
          {r.name}
        </option>
      ))}
      {(departments.data?.items ?? []).map((d) => (
        <option key={d.id} value={d.id}>
          {d.name}
        </option>
      ))}
    </datalist>
  );
}
