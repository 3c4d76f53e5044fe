import { useState, type FormEvent } from 'react';
import { call, client } from '../../api/client';
import { useCall } from '../../api/hooks';
import type { components } from '../../api/schema';
import { Empty, ErrorBox, Field, Loading, Panel } from '../../components/ui';
import '../../styles/screening.css';
import { useI18n, type MessageKey } from '../../i18n';
import { Link, navigate } from '../../router';
import { useSession } from '../../session';

type Theme = components['schemas']['ScreeningTheme'];
const THEMES: Theme[] = [
  'group_renting',
  'unlicensed_business',
  'fire_hazards',
  'underground_workshops',
  'newcomer_registration',
];
const inDays = (n: number) =>
  new Date(Date.now() + 8 * 3_600_000 + n * 86_400_000).toISOString().slice(0, 10);
const today = () => inDays(0);

/** 滚动排摸: the campaigns reaching into the centre's territory, and (for its staff) a form to start one. */
export function CampaignsPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const list = useCall('screening campaigns', (signal) =>
    client.GET('/api/v1/screening/campaigns', { signal }),
  );
  const manager =
    !!me &&
    (me.role === 'dispatcher' || me.role === 'shift_lead') &&
    me.unit.kind === 'region' &&
    (me.unit.level === 'street' || me.unit.level === 'district');

  return (
    <div className="screening-page">
      <div className="wb-head">
        <h1>{t('screening.title')}</h1>
      </div>
      <p className="muted">{t('screening.intro')}</p>
      {manager && me.unit.code && <NewCampaign unitCode={me.unit.code} />}
      {list.error ? (
        <ErrorBox error={list.error} onRetry={() => list.reload()} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.items.length === 0 ? (
        <Empty>{t('screening.empty')}</Empty>
      ) : (
        list.data.items.map((c) => (
          <Panel key={c.id} title={<Link to={`/screening/${c.id}`}>{c.name}</Link>}>
            <div data-campaign={c.id} style={{ overflowWrap: 'anywhere' }}>
              <span className="tag">{t(`screening.theme.${c.theme}` as MessageKey)}</span>{' '}
              <span className="tag">{t(`screening.state.${c.state}` as MessageKey)}</span>{' '}
              <span className="muted">
                {t('screening.roundOf', { round: c.currentRound, rounds: c.rounds })} · {c.startsOn} –{' '}
                {c.endsOn}
              </span>
              <div>
                {t('screening.figures', { tasks: c.tasks, visited: c.visited, findings: c.findings })}
              </div>
            </div>
          </Panel>
        ))
      )}
    </div>
  );
}

function NewCampaign({ unitCode }: { unitCode: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [theme, setTheme] = useState<Theme>('group_renting');
  const [areas, setAreas] = useState<string[]>([]);
  const [minOccupants, setMinOccupants] = useState(5);
  const [rounds, setRounds] = useState(2);
  const [days, setDays] = useState(5);
  const [role, setRole] = useState<'coordinator' | 'patroller'>('coordinator');
  const [startsOn, setStartsOn] = useState(today());
  const [endsOn, setEndsOn] = useState(inDays(30));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const level = unitCode.length === 9 ? 'committee' : 'street';
  const children = useCall(`regions ${unitCode}`, (signal) =>
    client.GET('/api/v1/regions', { params: { query: { level, parent: unitCode } }, signal }),
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await call(
        client.POST('/api/v1/screening/campaigns', {
          body: {
            name,
            theme,
            territory: areas.length > 0 ? areas : [unitCode],
            ...(theme === 'group_renting' || theme === 'newcomer_registration'
              ? { target: { rule: 'rented_dwellings' as const, minOccupants } }
              : {}),
            assigneeRole: role,
            rounds,
            roundWorkDays: days,
            startsOn,
            endsOn,
          },
        }),
      );
      navigate(`/screening/${created.id}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (!open)
    return (
      <p>
        <button type="button" className="btn btn-primary" onClick={() => setOpen(true)} data-new-campaign>
          {t('screening.new')}
        </button>
      </p>
    );
  return (
    <Panel title={t('screening.new')}>
      <form onSubmit={(e) => void submit(e)} className="screening-form" data-campaign-form>
        <Field label={t('screening.name')} htmlFor="sc-name" required>
          <input
            id="sc-name"
            required
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </Field>
        <Field label={t('screening.theme')} htmlFor="sc-theme" required>
          <select id="sc-theme" value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
            {THEMES.map((th) => (
              <option key={th} value={th}>
                {t(`screening.theme.${th}` as MessageKey)}
              </option>
            ))}
          </select>
        </Field>
        {(theme === 'group_renting' || theme === 'newcomer_registration') && (
          <Field label={t('screening.minOccupants')} htmlFor="sc-min">
            <input
              id="sc-min"
              type="number"
              min={1}
              max={100}
              value={minOccupants}
              onChange={(e) => setMinOccupants(Number(e.target.value))}
            />
          </Field>
        )}
        <div className="screening-wide">
          <Field label={t('screening.territory')}>
            <div className="screening-areas">
              {(children.data?.items ?? []).map((r) => (
                <label key={r.code} className="screening-area">
                  <input
                    type="checkbox"
                    checked={areas.includes(r.code)}
                    onChange={(e) =>
                      setAreas(e.target.checked ? [...areas, r.code] : areas.filter((a) => a !== r.code))
                    }
                  />{' '}
                  {r.name}
                </label>
              ))}
              {areas.length === 0 && <span className="muted">{t('screening.territory.all')}</span>}
            </div>
          </Field>
        </div>
        <Field label={t('screening.assigneeRole')} htmlFor="sc-role">
          <select id="sc-role" value={role} onChange={(e) => setRole(e.target.value as typeof role)}>
            <option value="coordinator">{t('screening.role.coordinator')}</option>
            <option value="patroller">{t('screening.role.patroller')}</option>
          </select>
        </Field>
        <Field label={t('screening.rounds')} htmlFor="sc-rounds">
          <input
            id="sc-rounds"
            type="number"
            min={1}
            max={24}
            value={rounds}
            onChange={(e) => setRounds(Number(e.target.value))}
          />
        </Field>
        <Field label={t('screening.roundWorkDays')} htmlFor="sc-days">
          <input
            id="sc-days"
            type="number"
            min={1}
            max={120}
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
          />
        </Field>
        <Field label={t('screening.startsOn')} htmlFor="sc-start">
          <input id="sc-start" type="date" value={startsOn} onChange={(e) => setStartsOn(e.target.value)} />
        </Field>
        <Field label={t('screening.endsOn')} htmlFor="sc-end">
          <input id="sc-end" type="date" value={endsOn} onChange={(e) => setEndsOn(e.target.value)} />
        </Field>
        {error ? <ErrorBox error={error} /> : null}
        <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()}>
          {t('screening.create')}
        </button>
      </form>
    </Panel>
  );
}
