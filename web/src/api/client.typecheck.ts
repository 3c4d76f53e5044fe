/**
 * Never imported: checked by `npm run typecheck` only. Each call below breaks the contract on purpose,
 * and `@ts-expect-error` fails the typecheck the day the typed client stops refusing it — so a path, a
 * query parameter or a body the contract does not have can never again pass unnoticed.
 */
import { client, postAction } from './client';

export async function contractMismatchesFailTypecheck(): Promise<void> {
  // @ts-expect-error a path the contract does not have
  await client.GET('/api/v1/casez');
  // @ts-expect-error a query parameter the operation does not declare
  await client.GET('/api/v1/cases', { params: { query: { colour: 'purple' } } });
  // @ts-expect-error a path parameter missing
  await client.GET('/api/v1/cases/{id}', { params: { path: {} } });
  // @ts-expect-error a body of the wrong shape (the location is required)
  await client.POST('/api/v1/cases', { body: { category: '0101', description: 'x' } });
  // @ts-expect-error an action body without the case version
  await postAction('case-id', 'dispatch', { leadDepartmentId: 'housing-310112006' });
  // and the right ones pass
  await client.GET('/api/v1/cases', { params: { query: { state: ['registered'], limit: 10 } } });
  await postAction('case-id', 'reject', { version: 1, reasonCode: 'invalid', reason: '重复上报' });
}
