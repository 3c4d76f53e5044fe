import { useI18n } from '../../i18n';
import { useReference } from '../../session';
import { Loading } from '../../components/ui';

/** Categories as large touch targets grouped by 大类; native radios, so it works with a keyboard too. */
export function CategoryPicker({
  value,
  onChange,
  name = 'category',
  citizen = false,
}: {
  value: string;
  onChange: (code: string) => void;
  name?: string;
  /** a citizen's report: no 维稳 (stability) categories — those are reported by staff on site */
  citizen?: boolean;
}) {
  const { pick } = useI18n();
  const ref = useReference();
  if (!ref) return <Loading />;
  const parents = ref.categories.filter((c) => !c.parentCode);
  return (
    <div className="category-picker" data-citizen={citizen ? 'true' : undefined}>
      {parents.map((p) => {
        const children = ref.categories.filter(
          (c) => c.parentCode === p.code && !(citizen && (c.stability || p.stability)),
        );
        if (!children.length) return null;
        return (
          <div key={p.code} className="cat-group">
            <div className="cat-group-name">{pick(p.nameZh, p.nameEn)}</div>
            <div className="cat-chips">
              {children.map((c) => (
                <label
                  key={c.code}
                  className={`cat-chip ${value === c.code ? 'active' : ''} ${c.urgency === 'urgent' ? 'cat-urgent' : ''}`}
                >
                  <input
                    type="radio"
                    name={name}
                    value={c.code}
                    checked={value === c.code}
                    onChange={() => onChange(c.code)}
                  />
                  {pick(c.nameZh, c.nameEn)}
                </label>
              ))}
            </div>
          </div>
        );
      })}
    </div>
  );
}
