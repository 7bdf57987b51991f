/**
 * Predictions cost CPU, so `POST /api/v1/models/{name}/predict` takes at most 120
 * requests a minute from one address; the next is answered 429 with a clear error and
 * Retry-After. Every POST that passed authentication counts, also one refused for its
 * content type, so the budget is spent cheaply here without 120 inferences; reading
 * (GET) is not limited. The minute starts at the first request: 121 requests on the
 * loopback take well under it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationServer } from '../../main/server/station-server.js';
import type { InProcessStation } from '../support/in-process-station.js';
import { startPredictionStation } from '../support/prediction-station.js';

let station: InProcessStation;
let server: StationServer;
let cookie: string;

/* eslint-disable @typescript-eslint/no-explicit-any -- REST bodies are checked field by field below */
async function post(
  body: string,
  contentType = 'application/json',
): Promise<{ status: number; retryAfter: string | null; body: any }> {
  const res = await fetch(server.url + '/api/v1/models/SS01_MEAN/predict', {
    method: 'POST',
    headers: { 'Content-Type': contentType, Cookie: cookie },
    body,
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const goodWindow = JSON.stringify({
  windows: [{ inputs: { 'SS01.HX.T_SEC_SUP': [70, 72, 74, 76], 'SS01.HM.POWER': [500, 510, 520, 530] } }],
});

beforeAll(async () => {
  ({ station, viewerCookie: cookie } = await startPredictionStation('predict-limit'));
  ({ server } = station);
}, 60_000);

afterAll(async () => {
  await station?.stop();
});

describe('POST /api/v1/models/{name}/predict rate limit', () => {
  it('answers 120 requests a minute from one address, then 429 with the reason and Retry-After', async () => {
    const first = await post(goodWindow);
    expect(first.status).toBe(200);
    expect(first.body.windows[0]).toMatchObject({ ok: true, outputs: [{ name: 'T_MEAN', value: 73 }] });
    // 118 refused cheaply (wrong content type), still counted.
    for (let i = 0; i < 118; i++) expect((await post('{}', 'text/plain')).status).toBe(415);
    // The 120th is still answered.
    expect((await post(goodWindow)).status).toBe(200);

    const over = await post(goodWindow);
    expect(over.status).toBe(429);
    expect(over.body.error.message).toMatch(/^too many requests from this address; try again in \d+ s$/);
    const retryAfter = Number(over.retryAfter);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(over.body.error.message).toContain(`try again in ${retryAfter} s`);
    // Refused before anything else is looked at: also a request that would have been a 415.
    expect((await post('{}', 'text/plain')).status).toBe(429);

    // Reading is not limited.
    const read = await fetch(server.url + '/api/v1/predictions', { headers: { Cookie: cookie } });
    expect(read.status).toBe(200);
  }, 60_000);
});
