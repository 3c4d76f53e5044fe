import { lazy, Suspense, useMemo, useState } from 'react';
import { useI18n } from '../../i18n';
import { client } from '../../api/client';
import { useCall, useThrottled } from '../../api/hooks';
import { useLiveEvents } from '../../api/live';
import { Link } from '../../router';
import { useMe, useReference } from '../../session';
import { byUrgency, caseLonLat } from '../../lib/format';
import { useNow } from '../../lib/useNow';
import { categoryName, placeName } from '../../components/CaseTable';
import { DeadlineChip, Empty, ErrorBox, Loading, StateBadge } from '../../components/ui';

const PointMap = lazy(() => import('../../map/PointMap'));

/** 我的任务: the verifications (核实) and checks (核查) assigned to me, most urgent first. */
export function TasksPage() {
  const { t, pick } = useI18n();
  const ref = useReference();
  const me = useMe();
  const now = useNow();
  const list = useCall('my tasks', (signal) =>
    client.GET('/api/v1/cases', {
      params: { query: { state: ['verifying', 'checking'], sort: 'deadline', limit: 200 } },
      signal,
    }),
  );
  const [shown, setShown] = useState<string | null>(null);
  const refresh = useThrottled(() => list.reload(true), 800);
  useLiveEvents(() => refresh());
  // the list holds every verification/check in my grid; my tasks are the ones assigned to me
  const items = useMemo(
    () =>
      (list.data?.items ?? [])
        .filter((c) => !c.assigneeUserId || c.assigneeUserId === me.id)
        .sort((a, b) => byUrgency(a, b)),
    [list.data, me.id],
  );
  const groups = [
    { state: 'verifying', title: t('mobile.tasks.verify') },
    { state: 'checking', title: t('mobile.tasks.check') },
  ];

  if (list.error) return <ErrorBox error={list.error} onRetry={() => list.reload()} />;
  if (!list.data) return <Loading />;
  return (
    <div className="mobile-page">
      <h1>{t('mobile.tasks.title')}</h1>
      {items.length === 0 && <Empty>{t('mobile.tasks.empty')}</Empty>}
      {groups.map((g) => {
        const rows = items.filter((c) => c.state === g.state);
        if (!rows.length) return null;
        return (
          <section key={g.state} className="task-group">
            <h2>
              {g.title} <span className="queue-count">{rows.length}</span>
            </h2>
            {rows.map((c) => {
              const point = caseLonLat(c);
              return (
                <article key={c.id} className="task-card" data-case-number={c.caseNo}>
                  <div className="task-top">
                    <Link to={`/cases/${c.id}`} className="mono task-number">
                      {c.caseNo}
                    </Link>
                    <StateBadge state={c.state} />
                  </div>
                  <div className="task-cat">{categoryName(c, pick, ref?.categoryByCode)}</div>
                  <div className="muted small">{placeName(c, ref?.regionName)}</div>
                  {c.description && <p className="task-desc">{c.description}</p>}
                  <div className="task-bottom">
                    <DeadlineChip c={c} now={now} />
                    {point && (
                      <button
                        type="button"
                        className="btn btn-small"
                        aria-expanded={shown === c.id}
                        onClick={() => setShown(shown === c.id ? null : c.id)}
                      >
                        {t('mobile.tasks.navigate')}
                      </button>
                    )}
                    <Link to={`/cases/${c.id}`} className="btn btn-small btn-primary">
                      {t('common.open')}
                    </Link>
                  </div>
                  {shown === c.id && point && (
                    <Suspense fallback={<Loading />}>
                      <PointMap point={point} height={200} />
                    </Suspense>
                  )}
                </article>
              );
            })}
          </section>
        );
      })}
    </div>
  );
}
