import { lazy, Suspense, useState } from 'react';
import { hasMessage, useI18n, type Translate } from '../i18n';
import { call, client } from '../api/client';
import { useCall } from '../api/hooks';
import type { BasePerson, BaseUnit } from '../api/models';
import { Link } from '../router';
import { dateTime } from '../lib/format';
import { errorMessage, stateLabel } from '../lib/labels';
import { Empty, ErrorBox, Loading, Panel } from '../components/ui';
import '../styles/baseinfo.css';

const PointMap = lazy(() => import('../map/PointMap'));

/** A server word (a warning rule, a visit outcome…) in the reader's language; an unknown one as it is. */
const word = (t: Translate, prefix: string, value: string | null): string => {
  if (!value) return '—';
  const key = `${prefix}.${value}`;
  return hasMessage(key) ? t(key) : value;
};

/** 一址一档: everything known at one standard address, cut by the server to the viewer's role. */
export function AddressFilePage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const file = useCall(`address ${id}`, (signal) =>
    client.GET('/api/v1/base/addresses/{id}', { params: { path: { id } }, signal }),
  );
  const [shown, setShown] = useState<Record<string, BasePerson | BaseUnit>>({});
  const [problem, setProblem] = useState<string | null>(null);

  if (file.error) return <ErrorBox error={file.error} onRetry={() => file.reload()} />;
  if (!file.data) return <Loading />;
  const f = file.data;

  const unmask = async (kind: 'people' | 'units', recordId: string) => {
    const reason = window.prompt(t('base.unmask.reason'));
    if (!reason) return;
    try {
      const options = { params: { path: { id: recordId } }, body: { reason } };
      const record: BasePerson | BaseUnit =
        kind === 'people'
          ? await call(client.POST('/api/v1/base/people/{id}/unmask', options))
          : await call(client.POST('/api/v1/base/units/{id}/unmask', options));
      setShown((s) => ({ ...s, [recordId]: record }));
      setProblem(null);
    } catch (e) {
      setProblem(errorMessage(t, e));
    }
  };

  return (
    <div className="address-file" data-testid="address-file">
      <div className="wb-head">
        <h1>{f.address.fullText}</h1>
        <span className="muted">
          {t(`base.level.${f.address.level}`)} · <span className="mono">{f.address.code}</span>
        </span>
      </div>
      <p className="muted">
        {[f.regions.street, f.regions.committee, f.regions.grid].filter(Boolean).join(' › ')}
        {f.address.lon !== null && f.address.lat !== null && (
          <span className="mono small"> · {`${f.address.lon.toFixed(5)}, ${f.address.lat.toFixed(5)}`}</span>
        )}
      </p>
      {f.ancestors.length > 0 && (
        <nav className="addr-path" aria-label={t('base.file.path')}>
          {f.ancestors.map((a) => (
            <Link key={a.id} to={`/addresses/${encodeURIComponent(a.id)}`}>
              {a.name}
            </Link>
          ))}
        </nav>
      )}
      {problem && (
        <div className="error-box" role="alert">
          {problem}
        </div>
      )}

      <div className="addr-grid">
        {f.address.lon !== null && f.address.lat !== null && (
          <Panel title={t('base.file.map')}>
            <div data-testid="address-map">
              <Suspense fallback={<Loading />}>
                <PointMap point={[f.address.lon, f.address.lat]} height={220} zoom={17} />
              </Suspense>
            </div>
          </Panel>
        )}

        {f.slice.dwellings && (
          <Panel title={t('base.file.dwelling')}>
            {f.dwelling ? (
              <dl className="kv">
                <dt>{t('base.dwelling.use')}</dt>
                <dd>{t(`base.use.${f.dwelling.use}`)}</dd>
                <dt>{t('base.dwelling.occupancy')}</dt>
                <dd>{t(`base.occupancy.${f.dwelling.occupancy}`)}</dd>
                <dt>{t('base.dwelling.area')}</dt>
                <dd>{f.dwelling.areaM2 === null ? '—' : `${f.dwelling.areaM2} m²`}</dd>
                <dt>{t('base.dwelling.occupants')}</dt>
                <dd>{f.dwelling.occupants}</dd>
              </dl>
            ) : (
              <Empty>{t('base.file.noDwelling')}</Empty>
            )}
            {f.occupantCount !== null && (
              <p className="muted small">{t('base.file.occupantCount', { n: f.occupantCount })}</p>
            )}
          </Panel>
        )}

        {f.children.length > 0 && (
          <Panel title={t('base.file.children', { n: f.children.length })}>
            <ul className="addr-children">
              {f.children.map((c) => (
                <li key={c.id}>
                  <Link to={`/addresses/${encodeURIComponent(c.id)}`}>{c.name}</Link>
                  {c.dwelling && (
                    <span className="muted small">
                      {' '}
                      {t(`base.occupancy.${c.dwelling.occupancy}`)} · {c.dwelling.occupants}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </Panel>
        )}
      </div>

      {f.occupants && (
        <Panel title={t('base.file.occupants', { n: f.occupants.length })}>
          {f.occupants.length === 0 ? (
            <Empty>{t('base.file.noOccupants')}</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="occupants">
                <thead>
                  <tr>
                    <th>{t('base.person.name')}</th>
                    <th>{t('base.person.idNumber')}</th>
                    <th>{t('base.person.phone')}</th>
                    <th>{t('base.person.hukou')}</th>
                    <th>{t('base.person.status')}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {f.occupants.map((o) => {
                    const p = (shown[o.id] as BasePerson | undefined) ?? o;
                    return (
                      <tr key={o.id}>
                        <td>{p.name}</td>
                        <td className="mono">{p.idNumber ?? '—'}</td>
                        <td className="mono">{p.phone ?? '—'}</td>
                        <td>{t(`base.hukou.${p.hukou}`)}</td>
                        <td>{t(`base.status.${p.status}`)}</td>
                        <td>
                          {o.canUnmask && !shown[o.id] && (
                            <button
                              type="button"
                              className="btn btn-small"
                              onClick={() => void unmask('people', o.id)}
                            >
                              {t('base.unmask.show')}
                            </button>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
      )}

      {f.units && (
        <Panel title={t('base.file.units', { n: f.units.length })}>
          {f.units.length === 0 ? (
            <Empty>{t('base.file.noUnits')}</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="units">
                <thead>
                  <tr>
                    <th>{t('base.unit.name')}</th>
                    <th>{t('base.unit.industry')}</th>
                    <th>{t('base.unit.licence')}</th>
                    <th>{t('base.unit.responsible')}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {f.units.map((u) => {
                    const v = (shown[u.id] as BaseUnit | undefined) ?? u;
                    return (
                      <tr key={u.id}>
                        <td>{v.name}</td>
                        <td>{t(`base.industry.${v.industry}`)}</td>
                        <td className={v.licenceStatus === 'valid' ? '' : 'warn'}>
                          {t(`base.licence.${v.licenceStatus}`)}
                        </td>
                        <td>{[v.responsiblePerson, v.phone].filter(Boolean).join(' · ') || '—'}</td>
                        <td>
                          {u.canUnmask && !shown[u.id] && (
                            <button
                              type="button"
                              className="btn btn-small"
                              onClick={() => void unmask('units', u.id)}
                            >
                              {t('base.unmask.show')}
                            </button>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
      )}

      <Panel title={t('base.file.timeline')}>
        {f.timeline.length === 0 ? (
          <Empty>{t('base.file.noTimeline')}</Empty>
        ) : (
          <ol className="addr-timeline" data-testid="timeline">
            {f.timeline.map((e, i) => (
              <li key={`${e.kind}-${e.ref ?? i}-${e.at}`}>
                <time className="muted small mono" dateTime={e.at}>
                  {dateTime(e.at, lang)}
                </time>{' '}
                <span className="tag">{t(`base.timeline.${e.kind}`)}</span>{' '}
                {e.kind === 'case' && e.ref ? (
                  <>
                    <Link to={`/cases/${e.ref}`} className="mono">
                      {e.title}
                    </Link>{' '}
                    {stateLabel(t, e.status)} {e.detail}
                  </>
                ) : e.kind === 'visit' ? (
                  <>
                    {e.title} · {word(t, 'screening.outcome', e.status)}{' '}
                    <span className="muted small">{e.detail}</span>
                  </>
                ) : e.kind === 'warning' ? (
                  <>
                    {word(t, 'warnings.rule', e.title)} · {word(t, 'warnings.state', e.status)}
                  </>
                ) : e.kind === 'checkin' ? (
                  <>
                    {e.title} <span className="muted small">{e.detail}</span>
                  </>
                ) : (
                  <>
                    {word(t, 'base.entity', e.title)} · {word(t, 'base.change', e.status)}{' '}
                    <span className="muted small">{e.detail}</span>
                  </>
                )}
                {e.distanceM !== null && (
                  <span className="muted small"> · {t('base.file.metres', { n: e.distanceM })}</span>
                )}
              </li>
            ))}
          </ol>
        )}
      </Panel>
    </div>
  );
}
