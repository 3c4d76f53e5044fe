import { useState } from 'react';
import { useI18n } from '../i18n';
import { client, withoutEmpty } from '../api/client';
import { useCall } from '../api/hooks';
import {
  HUKOU_CATEGORIES,
  INDUSTRIES,
  LICENCE_STATUSES,
  type HukouCategory,
  type Industry,
  type LicenceStatus,
} from '../api/models';
import { Link } from '../router';
import { Empty, ErrorBox, Loading } from '../components/ui';
import { BaseExport } from '../components/BaseExport';
import '../styles/baseinfo.css';

/** 基础信息: people (实有人口, masked) and businesses (实有单位) of the caller's territory, with filters. */
export function BaseInfoPage() {
  const { t } = useI18n();
  const [tab, setTab] = useState<'people' | 'units'>('people');
  return (
    <div className="base-info">
      <div className="wb-head">
        <h1>{t('base.list.title')}</h1>
      </div>
      <div className="tabs" role="tablist">
        {(['people', 'units'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={tab === k}
            className={`btn ${tab === k ? 'btn-primary' : ''}`}
            onClick={() => setTab(k)}
          >
            {t(`base.list.${k}`)}
          </button>
        ))}
      </div>
      {tab === 'people' ? <PeopleList /> : <UnitsList />}
    </div>
  );
}

function PeopleList() {
  const { t } = useI18n();
  const [form, setForm] = useState({ name: '', idNumber: '', phone: '', hukou: '' as HukouCategory | '' });
  const [filter, setFilter] = useState(form);
  const [offset, setOffset] = useState(0);
  const listQuery = { ...withoutEmpty(filter), offset, limit: 50 };
  const list = useCall(`people ${JSON.stringify(listQuery)}`, (signal) =>
    client.GET('/api/v1/base/people', { params: { query: listQuery }, signal }),
  );
  return (
    <>
      <form
        className="base-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setFilter(form);
        }}
      >
        <input
          aria-label={t('base.person.name')}
          placeholder={t('base.person.name')}
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
        <input
          aria-label={t('base.person.idNumber')}
          placeholder={t('base.filter.wholeId')}
          value={form.idNumber}
          onChange={(e) => setForm({ ...form, idNumber: e.target.value })}
        />
        <input
          aria-label={t('base.person.phone')}
          placeholder={t('base.filter.wholePhone')}
          value={form.phone}
          onChange={(e) => setForm({ ...form, phone: e.target.value })}
        />
        <select
          aria-label={t('base.person.hukou')}
          value={form.hukou}
          onChange={(e) => setForm({ ...form, hukou: e.target.value as HukouCategory | '' })}
        >
          <option value="">{t('base.filter.anyHukou')}</option>
          {HUKOU_CATEGORIES.map((h) => (
            <option key={h} value={h}>
              {t(`base.hukou.${h}`)}
            </option>
          ))}
        </select>
        <button type="submit" className="btn btn-primary">
          {t('base.filter.search')}
        </button>
      </form>
      <BaseExport list="people" filter={filter} />
      {list.error ? (
        <ErrorBox error={list.error} onRetry={() => list.reload()} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.items.length === 0 ? (
        <Empty>{t('base.list.empty')}</Empty>
      ) : (
        <>
          <p className="muted small">{t('base.list.total', { n: list.data.total })}</p>
          <div className="table-wrap">
            <table className="table" data-testid="people">
              <thead>
                <tr>
                  <th>{t('base.person.name')}</th>
                  <th>{t('base.person.idNumber')}</th>
                  <th>{t('base.person.phone')}</th>
                  <th>{t('base.person.hukou')}</th>
                  <th>{t('base.person.address')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((p) => (
                  <tr key={p.id}>
                    <td>{p.name}</td>
                    <td className="mono">{p.idNumber ?? '—'}</td>
                    <td className="mono">{p.phone ?? '—'}</td>
                    <td>{t(`base.hukou.${p.hukou}`)}</td>
                    <td>
                      {p.addressId ? (
                        <Link to={`/addresses/${encodeURIComponent(p.addressId)}`}>{p.address}</Link>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager offset={offset} total={list.data.total} limit={50} onChange={setOffset} />
        </>
      )}
    </>
  );
}

function UnitsList() {
  const { t } = useI18n();
  const [form, setForm] = useState({
    q: '',
    industry: '' as Industry | '',
    licenceStatus: '' as LicenceStatus | '',
  });
  const [filter, setFilter] = useState(form);
  const [offset, setOffset] = useState(0);
  const listQuery = { ...withoutEmpty(filter), offset, limit: 50 };
  const list = useCall(`units ${JSON.stringify(listQuery)}`, (signal) =>
    client.GET('/api/v1/base/units', { params: { query: listQuery }, signal }),
  );
  return (
    <>
      <form
        className="base-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setFilter(form);
        }}
      >
        <input
          aria-label={t('base.unit.name')}
          placeholder={t('base.filter.unitQuery')}
          value={form.q}
          onChange={(e) => setForm({ ...form, q: e.target.value })}
        />
        <select
          aria-label={t('base.unit.industry')}
          value={form.industry}
          onChange={(e) => setForm({ ...form, industry: e.target.value as Industry | '' })}
        >
          <option value="">{t('base.filter.anyIndustry')}</option>
          {INDUSTRIES.map((i) => (
            <option key={i} value={i}>
              {t(`base.industry.${i}`)}
            </option>
          ))}
        </select>
        <select
          aria-label={t('base.unit.licence')}
          value={form.licenceStatus}
          onChange={(e) => setForm({ ...form, licenceStatus: e.target.value as LicenceStatus | '' })}
        >
          <option value="">{t('base.filter.anyLicence')}</option>
          {LICENCE_STATUSES.map((l) => (
            <option key={l} value={l}>
              {t(`base.licence.${l}`)}
            </option>
          ))}
        </select>
        <button type="submit" className="btn btn-primary">
          {t('base.filter.search')}
        </button>
      </form>
      <BaseExport list="units" filter={filter} />
      {list.error ? (
        <ErrorBox error={list.error} onRetry={() => list.reload()} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.items.length === 0 ? (
        <Empty>{t('base.list.empty')}</Empty>
      ) : (
        <>
          <p className="muted small">{t('base.list.total', { n: list.data.total })}</p>
          <div className="table-wrap">
            <table className="table" data-testid="units">
              <thead>
                <tr>
                  <th>{t('base.unit.name')}</th>
                  <th>{t('base.unit.industry')}</th>
                  <th>{t('base.unit.licence')}</th>
                  <th>{t('base.person.address')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((u) => (
                  <tr key={u.id}>
                    <td>{u.name}</td>
                    <td>{t(`base.industry.${u.industry}`)}</td>
                    <td className={u.licenceStatus === 'valid' ? '' : 'warn'}>
                      {t(`base.licence.${u.licenceStatus}`)}
                    </td>
                    <td>
                      {u.addressId ? (
                        <Link to={`/addresses/${encodeURIComponent(u.addressId)}`}>{u.address}</Link>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager offset={offset} total={list.data.total} limit={50} onChange={setOffset} />
        </>
      )}
    </>
  );
}

function Pager({
  offset,
  total,
  limit,
  onChange,
}: {
  offset: number;
  total: number;
  limit: number;
  onChange: (o: number) => void;
}) {
  const { t } = useI18n();
  if (total <= limit) return null;
  return (
    <div className="base-filters">
      <button
        type="button"
        className="btn"
        disabled={offset === 0}
        onClick={() => onChange(Math.max(0, offset - limit))}
      >
        {t('base.list.prev')}
      </button>
      <span className="muted small">
        {offset + 1}–{Math.min(offset + limit, total)} / {total}
      </span>
      <button
        type="button"
        className="btn"
        disabled={offset + limit >= total}
        onClick={() => onChange(offset + limit)}
      >
        {t('base.list.next')}
      </button>
    </div>
  );
}
