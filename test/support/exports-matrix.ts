/**
 * The export and report rows of the access matrix (test/access-matrix.test.ts, issue 14): the case list
 * export answers every signed-in staff caller (their own scope; a citizen is refused: issue 11 §5); the
 * evaluation exports and the monthly report only those who see the evaluation.
 */
type Outcome = 'ok' | number | readonly ('ok' | number)[] | 'skip';
const ANONYMOUS = 'anonymous';
const GUMEI = '310112006';

// a citizen is refused the case export: its columns are the staff's (issue 11 §5)
const signedIn = (who: string): Outcome => (who === ANONYMOUS ? 401 : who === 'citizen' ? 403 : 'ok');
const evaluators = (who: string): Outcome =>
  who === ANONYMOUS ? 401 : who === 'admin' || who === 'district.leader' ? 'ok' : 403;
const get = (url: string) => () => ({ url });

export const EXPORT_CHECKS = () => [
  {
    route: 'GET /api/v1/cases/export',
    label: 'xlsx',
    request: get('/api/v1/cases/export?format=xlsx'),
    expect: signedIn,
  },
  {
    route: 'GET /api/v1/cases/export',
    label: 'csv of 古美',
    request: get(`/api/v1/cases/export?format=csv&street=${GUMEI}`),
    expect: signedIn,
  },
  {
    route: 'GET /api/v1/evaluation/export.xlsx',
    request: get('/api/v1/evaluation/export.xlsx?period=2026-03&unitKind=street'),
    expect: evaluators,
  },
  {
    route: 'GET /api/v1/evaluation/cases/export.xlsx',
    request: get(
      `/api/v1/evaluation/cases/export.xlsx?indicator=closure_rate&unit=${GUMEI}&part=denominator&period=2026-03`,
    ),
    expect: evaluators,
  },
  {
    route: 'GET /api/v1/reports/monthly',
    label: '古美 (a street)',
    request: get(`/api/v1/reports/monthly?period=2026-03&unit=${GUMEI}`),
    expect: evaluators,
  },
];
