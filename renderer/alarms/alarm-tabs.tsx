/** The three alarm places: summary, journal, KPIs (`#/alarms`, `#/alarms/journal`, `#/alarms/kpis`). */
const tabs = [
  { id: 'summary', href: '#/alarms', label: 'Summary' },
  { id: 'journal', href: '#/alarms/journal', label: 'Journal' },
  { id: 'kpis', href: '#/alarms/kpis', label: 'Performance (KPIs)' },
] as const;

export function AlarmTabs({ current }: { current: (typeof tabs)[number]['id'] }) {
  return (
    <nav className="alarm-tabs" aria-label="Alarm views">
      {tabs.map((t) => (
        <a key={t.id} href={t.href} className={t.id === current ? 'alarm-tab alarm-tab-active' : 'alarm-tab'} aria-current={t.id === current ? 'page' : undefined} data-testid={`alarm-tab-${t.id}`}>
          {t.label}
        </a>
      ))}
    </nav>
  );
}
