/**
 * The prediction service for other systems on the plant network: the station server
 * with a model imported into its data folder, `GET /api/v1/predictions` and
 * `POST /api/v1/models/{name}/predict` — authentication, malformed windows, the quality
 * gate, the size limit and the content type.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationRuntime } from '../../main/runtime/station.js';
import type { StationServer } from '../../main/server/station-server.js';
import type { InProcessStation } from '../support/in-process-station.js';
import { startPredictionStation } from '../support/prediction-station.js';
import { windowMeanOutputs } from '../support/test-model.js';

let station: InProcessStation;
let runtime: StationRuntime;
let server: StationServer;
let cookie: string;

/* eslint-disable @typescript-eslint/no-explicit-any -- REST bodies are checked field by field below */
async function post(
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: cookie, ...headers },
    body,
  });
  return { status: res.status, body: await res.json() };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

beforeAll(async () => {
  ({ station, viewerCookie: cookie } = await startPredictionStation('predict', [
    windowMeanOutputs.tMean,
    windowMeanOutputs.tLast,
  ]));
  ({ runtime, server } = station);
}, 60_000);

afterAll(async () => {
  await station?.stop();
});

const window = (t: Array<number | null>, p: Array<number | null>, end?: string) => ({
  ...(end ? { end } : {}),
  inputs: { 'SS01.HX.T_SEC_SUP': t, 'SS01.HM.POWER': p },
});

describe('POST /api/v1/models/{name}/predict', () => {
  it('runs the model on the windows sent, each through the quality gate', async () => {
    const res = await post(
      '/api/v1/models/SS01_MEAN/predict',
      JSON.stringify({
        windows: [
          window([70, 72, 74, 76], [500, 510, 520, 530], '2026-11-30T06:00:00Z'),
          window([70, null, 74, 76], [500, 510, 520, 530]),
          window([70, 72, 140, 76], [500, 510, 520, 530]),
          window([null, null, 74, 76], [500, 510, 520, 530]),
        ],
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body.model).toBe('SS01_MEAN');
    expect(res.body.windows[0]).toMatchObject({
      ok: true,
      end: '2026-11-30T06:00:00.000Z',
      outputs: [
        { name: 'T_MEAN', tag: 'SS01.MEAN.T_MEAN', value: 73, unit: '°C' },
        { name: 'T_LAST', value: 76 },
      ],
    });
    // One missing value of four is allowed (25 %) and carried forward: 70, 70, 74, 76.
    expect(res.body.windows[1].outputs[0].value).toBe(72.5);
    expect(res.body.windows[2]).toEqual({
      ok: false,
      reason: 'input SS01.HX.T_SEC_SUP = 140 is outside the range the model was trained on [20, 100]',
    });
    expect(res.body.windows[3]).toEqual({
      ok: false,
      reason: 'input SS01.HX.T_SEC_SUP: 50 % of the window is missing (the model allows 25 %)',
    });
  });

  it('says what is wrong with a malformed request', async () => {
    expect((await post('/api/v1/models/SS01_MEAN/predict', '{"windows": []}')).body.error.message).toMatch(
      /windows: Too small/,
    );
    expect(
      (await post('/api/v1/models/SS01_MEAN/predict', JSON.stringify({ windows: [window([1, 2, 3], [1, 2, 3, 4])] })))
        .body.error.message,
    ).toBe('windows.0.inputs.SS01.HX.T_SEC_SUP: 3 values, the model takes 4 (one per 60 s, oldest first)');
    expect(
      (
        await post(
          '/api/v1/models/SS01_MEAN/predict',
          JSON.stringify({ windows: [{ inputs: { 'SS01.HX.T_SEC_SUP': [1, 2, 3, 4] } }] }),
        )
      ).body.error.message,
    ).toMatch(/missing SS01\.HM\.POWER/);
    expect((await post('/api/v1/models/SS01_MEAN/predict', 'not json')).status).toBe(400);
    expect((await post('/api/v1/models/NO_SUCH/predict', '{}')).status).toBe(404);
    expect((await post('/api/v1/models/SS01_MEAN/predict', '{}', { 'Content-Type': 'text/plain' })).status).toBe(415);
    expect(
      (
        await post(
          '/api/v1/models/SS01_MEAN/predict',
          JSON.stringify({ windows: [window(new Array(3_000_000).fill(1), [1])] }),
        )
      ).status,
    ).toBe(413);
    const anonymous = await fetch(server.url + '/api/v1/models/SS01_MEAN/predict', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(anonymous.status).toBe(401);
  });
});

describe('GET /api/v1/predictions', () => {
  it('lists running models with their latest outputs, Bad with the reason until they have run', async () => {
    const res = await fetch(server.url + '/api/v1/predictions', { headers: { Cookie: cookie } });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- checked field by field
    const body = (await res.json()) as any;
    expect(res.status).toBe(200);
    const model = body.models.find((m: { name: string }) => m.name === 'SS01_MEAN');
    expect(model).toMatchObject({ version: '1.0.0', kind: 'forecast' });
    expect(model.outputs[0]).toMatchObject({ tag: 'SS01.MEAN.T_MEAN', unit: '°C', quality: 'Bad' });
    const list = await runtime.handlers['models.list'](
      {},
      {
        source: 'test',
        session: { get: () => null, set: () => undefined, canChange: false },
        principal: { name: 'x', role: 'viewer', areas: [] },
      },
    );
    expect(list.find((m) => m.name === 'SS01_MEAN')).toMatchObject({
      activeVersion: '1.0.0',
      versions: [{ source: 'imported', error: null }],
    });
  });
});
