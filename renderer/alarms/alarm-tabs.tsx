/** The three alarm places: summary, journal, KPIs (`#/alarms`, `#/alarms/journal`, `#/alarms/kpis`). */
import { useText } from '../i18n/language.js';
import { alarmText } from './alarm-text.js';

const tabs = [
  { id: 'summary', href: '#/alarms', label: 'tabSummary' },
  { id: 'journal', href: '#/alarms/journal', label: 'tabJournal' },
  { id: 'kpis', href: '#/alarms/kpis', label: 'tabKpis' },
] as const;

export function AlarmTabs({ current }: { current: (typeof tabs)[number]['id'] }) {
  const tr = useText(alarmText);
  return (
    <nav className="alarm-tabs" aria-label={tr('alarmViews')}>
      {tabs.map((t) => (
        <a
          key={t.id}
          href={t.href}
          className={t.id === current ? 'alarm-tab alarm-tab-active' : 'alarm-tab'}
          aria-current={t.id === current ? 'page' : undefined}
          data-testid={`alarm-tab-${t.id}`}
        >
          {tr(t.label)}
        </a>
      ))}
    </nav>
  );
}
