/**
 * A model's monitoring in the registry: for a forecast, the realized error of each checked
 * output over the last 24 h next to the card's (with units), and a DEGRADED warning (text and
 * shape, colour only doubling them) when it is more than 1.5 × the card's; for a classifier,
 * the predictive warnings it raised in the last 24 h and how many a conventional alarm in the
 * same area confirmed within the lead horizon. Figures come from `models.list`.
 */
import type { ModelInfoDto } from '../../preload/contract.js';
import { useText } from '../i18n/language.js';
import { formatMetric } from './registry-format.js';
import { monitoringText } from './monitoring-text.js';

type ForecastCheckDto = NonNullable<ModelInfoDto['forecastChecks']>[number];

function withUnit(v: number, unit: string): string {
  return unit ? `${formatMetric(v)} ${unit}` : formatMetric(v);
}

export function ModelMonitoring({ model }: { model: ModelInfoDto }) {
  const tr = useText(monitoringText);
  const checks = model.forecastChecks ?? [];
  const showWarnings = model.kind === 'classifier' || model.warnings24h !== undefined;
  if (model.kind !== 'forecast' && !showWarnings) return null;
  const unitOf = (c: ForecastCheckDto) => model.outputs.find((o) => o.name === c.output)?.unit ?? '';
  return (
    <section className="model-monitoring" data-testid="model-monitoring" aria-label={tr('label', { name: model.name })}>
      <h3 className="model-subtitle">{tr('title')}</h3>
      {model.kind === 'forecast' ? (
        checks.length === 0 ? (
          <p className="muted">{tr('noCheck')}</p>
        ) : (
          <table className="grid model-forecast-checks" data-testid="model-forecast-checks">
            <thead>
              <tr>
                <th scope="col">{tr('output')}</th>
                <th scope="col" className="num">
                  {tr('realized')}
                </th>
                <th scope="col" className="num">
                  {tr('card')}
                </th>
                <th scope="col">{tr('state')}</th>
              </tr>
            </thead>
            <tbody>
              {checks.map((c) => {
                const unit = unitOf(c);
                return (
                  <tr
                    key={c.output}
                    data-testid="model-forecast-check"
                    data-output={c.output}
                    data-degraded={c.degraded}
                    className={c.degraded ? 'model-stat-abnormal' : undefined}
                  >
                    <th scope="row">
                      <span className="mono">{c.output}</span>{' '}
                      <span className="muted">{tr('horizon', { n: c.horizonMin })}</span>
                    </th>
                    <td className="num mono" data-testid="model-realized-error">
                      {c.realizedMae === null ? (
                        <span className="muted">{tr('notEnoughData')}</span>
                      ) : (
                        <>
                          {withUnit(c.realizedMae, unit)}{' '}
                          <span className="muted">({tr('samples', { n: c.samples })})</span>
                        </>
                      )}
                    </td>
                    <td className="num mono" data-testid="model-card-error">
                      {c.cardMae === null ? (
                        <span className="muted">{tr('noCardFigure')}</span>
                      ) : (
                        withUnit(c.cardMae, unit)
                      )}
                    </td>
                    <td>
                      {c.degraded ? (
                        <strong className="model-degraded" data-testid="model-degraded" title={tr('degradedHint')}>
                          {tr('degraded')}
                        </strong>
                      ) : c.realizedMae === null ? (
                        '—'
                      ) : (
                        tr('withinCard')
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )
      ) : null}
      {showWarnings ? (
        <p className="model-warnings-24h">
          {tr('warnings24h')}:{' '}
          <strong className="mono" data-testid="model-warnings-24h">
            {model.warnings24h ?? '—'}
          </strong>
          {model.warningsConfirmed24h !== undefined && model.warnings24h !== undefined ? (
            <>
              {' '}
              <span data-testid="model-warnings-confirmed-24h">
                ({tr('confirmedOf', { n: model.warningsConfirmed24h, m: model.warnings24h })})
              </span>
            </>
          ) : null}
        </p>
      ) : null}
    </section>
  );
}
