/**
 * The registry's monitoring of a model as markup: a forecast's realized 24-h error next to
 * the card's with units, the DEGRADED warning only when degraded, "not enough data yet"
 * before any outcome is known; a classifier's warnings of the last 24 h.
 */
import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import type { ModelInfoDto } from '../../preload/contract.js';
import { ModelMonitoring } from '../../renderer/predictions/model-monitoring.js';
import { renderInStation } from '../support/station-render.js';

type Check = NonNullable<ModelInfoDto['forecastChecks']>[number];

function model(kind: ModelInfoDto['kind'], extra: Partial<ModelInfoDto>): ModelInfoDto {
  return {
    name: 'SS01_TEST',
    kind,
    description: null,
    activeVersion: '1.0.0',
    everyS: 60,
    inputs: ['SS01.HX.T_SEC_SUP'],
    outputs: [
      {
        tag: 'SS01.TEST.T_SUP_20M_P50',
        name: 'T_SUP_20M_P50',
        description: { en: 'Supply temperature in 20 min' },
        unit: '°C',
        horizonMin: 20,
        quantile: 0.5,
        label: null,
      },
    ],
    versions: [],
    stats: null,
    loadError: null,
    ...extra,
  };
}

const check = (c: Partial<Check>): Check => ({
  output: 'T_SUP_20M_P50',
  target: 'SS01.HX.T_SEC_SUP',
  horizonMin: 20,
  samples: 1440,
  realizedMae: 0.42,
  cardMae: 0.35,
  degraded: false,
  ...c,
});

const render = (m: ModelInfoDto) => renderInStation(createElement(ModelMonitoring, { model: m }), [], []);
const cell = (html: string, testId: string) =>
  new RegExp(`data-testid="${testId}"[^>]*>(.*?)</td>`).exec(html)?.[1]?.replace(/<[^>]+>/g, '') ?? null;

describe('model monitoring in the registry', () => {
  it('shows the realized 24-h error next to the card figure, with units, and no warning within the card', () => {
    const html = render(model('forecast', { forecastChecks: [check({})] }));
    expect(cell(html, 'model-realized-error')).toContain('0.42 °C');
    expect(cell(html, 'model-realized-error')).toContain('1440 forecasts checked');
    expect(cell(html, 'model-card-error')).toBe('0.35 °C');
    expect(html).toContain('data-degraded="false"');
    expect(html).not.toContain('data-testid="model-degraded"');
    expect(html).not.toContain('DEGRADED');
    expect(html).toContain('within the card');
  });

  it('shows DEGRADED in words and shape only when the check is degraded', () => {
    const html = render(
      model('forecast', {
        forecastChecks: [
          check({ realizedMae: 0.9, degraded: true }),
          check({ output: 'T_SUP_60M_P50', horizonMin: 60 }),
        ],
      }),
    );
    expect(html.match(/data-testid="model-degraded"/g)).toHaveLength(1);
    const degradedRow = /<tr[^>]*data-output="T_SUP_20M_P50"[^>]*>.*?<\/tr>/.exec(html)![0];
    expect(degradedRow).toContain('data-degraded="true"');
    expect(degradedRow).toContain('▲ DEGRADED');
    expect(degradedRow).toContain('0.9 °C');
    const fineRow = /<tr[^>]*data-output="T_SUP_60M_P50"[^>]*>.*?<\/tr>/.exec(html)![0];
    expect(fineRow).not.toContain('DEGRADED');
  });

  it('says "not enough data yet" before any outcome is known', () => {
    const html = render(model('forecast', { forecastChecks: [check({ samples: 0, realizedMae: null })] }));
    expect(cell(html, 'model-realized-error')).toBe('not enough data yet');
    expect(cell(html, 'model-card-error')).toBe('0.35 °C');
    expect(html).not.toContain('data-testid="model-degraded"');
  });

  it('shows the warnings a classifier raised in the last 24 h', () => {
    const html = render(model('classifier', { warnings24h: 3 }));
    expect(html).toMatch(/data-testid="model-warnings-24h"[^>]*>3</);
    expect(html).toContain('Warnings raised (24 h)');
    expect(html).not.toContain('model-forecast-checks');
    expect(html).not.toContain('model-warnings-confirmed-24h');
  });

  it('shows how many of those warnings a conventional alarm confirmed', () => {
    const html = render(model('classifier', { warnings24h: 3, warningsConfirmed24h: 2 }));
    const shown = /data-testid="model-warnings-confirmed-24h"[^>]*>(.*?)<\/span>/.exec(html)?.[1];
    expect(shown?.replace(/<[^>]+>/g, '')).toBe('(confirmed 2 of 3 by an alarm in the same area within the lead time)');
    expect(html).toMatch(/data-testid="model-warnings-24h"[^>]*>3</);
  });
});
