/** The station server's request guards (Host allow-list, session POST checks) and WebSocket budget: pure. */
import { describe, expect, it } from 'vitest';
import { allowedHostNames, hostAllowed, hostNameOf, sessionPostRefusal } from '../../main/server/request-guards.js';
import { WsRequestBudget, defaultWsBudget } from '../../main/server/ws-budget.js';
import { contentSecurityPolicy } from '../../main/server/security-headers.js';

describe('Host allow-list', () => {
  const loopback = allowedHostNames({ bindHost: '127.0.0.1' });
  const lan = allowedHostNames({
    bindHost: '0.0.0.0',
    interfaceAddresses: ['127.0.0.1', '10.0.0.5', 'fe80::1%eth0'],
    hostName: 'SCADA01',
    publicUrls: ['https://scada.plant.example:8400/'],
  });

  it.each([
    ['127.0.0.1:8400', true],
    ['localhost:8400', true],
    ['LOCALHOST', true],
    ['[::1]:8400', true],
    ['127.0.0.2:8400', true],
    ['evil.example:8400', false],
    ['10.0.0.5:8400', false],
    ['127.0.0.1.evil.example', false],
    ['', false],
    [undefined, false],
    ['a b', false],
  ])('loopback start: Host %j → %s', (host, ok) => {
    expect(hostAllowed(host, loopback)).toBe(ok);
  });

  it.each([
    ['10.0.0.5:8400', true],
    ['scada01:8400', true],
    ['scada01.local', true],
    ['scada.plant.example:8400', true],
    ['scada.plant.example.', true],
    ['[fe80::1]:8400', true],
    ['10.0.0.6:8400', false],
    ['plant.example', false],
  ])('LAN start: Host %j → %s', (host, ok) => {
    expect(hostAllowed(host, lan)).toBe(ok);
  });

  it('a start bound to one address answers to that address and the machine name only', () => {
    const one = allowedHostNames({ bindHost: '10.0.0.5', hostName: 'SCADA01', interfaceAddresses: ['10.0.0.6'] });
    expect(['10.0.0.5:8400', 'scada01:8400', 'localhost'].every((h) => hostAllowed(h, one))).toBe(true);
    expect(hostAllowed('10.0.0.6:8400', one)).toBe(false);
  });

  it('reads host names from Host headers', () => {
    expect(hostNameOf('[::1]:80')).toBe('::1');
    expect(hostNameOf('[::1]x')).toBeNull();
    expect(hostNameOf('Example.COM:1')).toBe('example.com');
  });
});

describe('session POST refusal (login/logout CSRF)', () => {
  const own = 'http://127.0.0.1:8400';
  it.each([
    [{ contentType: 'application/json', origin: undefined, secFetchSite: undefined }, null],
    [{ contentType: 'application/json; charset=utf-8', origin: own, secFetchSite: 'same-origin' }, null],
    [{ contentType: 'text/plain', origin: own, secFetchSite: 'same-origin' }, 415],
    [{ contentType: 'application/x-www-form-urlencoded', origin: undefined, secFetchSite: undefined }, 415],
    [{ contentType: undefined, origin: undefined, secFetchSite: undefined }, 415],
    [{ contentType: 'application/json', origin: 'http://evil.example', secFetchSite: undefined }, 403],
    [{ contentType: 'application/json', origin: 'null', secFetchSite: undefined }, 403],
    [{ contentType: 'application/json', origin: undefined, secFetchSite: 'cross-site' }, 403],
    [{ contentType: 'application/json', origin: own, secFetchSite: 'same-site' }, 403],
  ])('%j → %s', (headers, status) => {
    expect(sessionPostRefusal(headers, own)?.status ?? null).toBe(status);
  });
});

describe('WebSocket request budget (injected clock)', () => {
  it('allows a burst, holds up to another burst for the sustained rate, and refuses past that', () => {
    const budget = new WsRequestBudget({ ...defaultWsBudget, burst: 10, perSecond: 5, maxInFlight: 4 }, 0);
    const waits = Array.from({ length: 21 }, () => budget.take(0));
    expect(waits.slice(0, 10)).toEqual(Array(10).fill(0));
    // Each one past the burst waits for its token at 5/s: 200 ms, 400 ms, … 2 s.
    expect(waits.slice(10, 20)).toEqual(Array.from({ length: 10 }, (_, i) => 200 * (i + 1)));
    expect(waits[20]).toBeNull();
    // A second later five tokens are paid back: the next one waits behind the five still owed.
    expect(budget.take(1000)).toBe(1200);
    // After a quiet spell the whole burst is there again.
    expect(budget.take(60_000)).toBe(0);
  });

  it('counts requests in flight and the bytes waiting to be read', () => {
    const budget = new WsRequestBudget({ ...defaultWsBudget, burst: 10, perSecond: 5, maxInFlight: 4 }, 0);
    for (let i = 0; i < 4; i++) budget.begin();
    expect(budget.requestsInFlight).toBe(4);
    expect(budget.shouldPause(0)).toBe(true);
    expect(budget.mayResume(0)).toBe(false);
    for (let i = 0; i < 3; i++) budget.done();
    expect(budget.shouldPause(0)).toBe(false);
    expect(budget.mayResume(0)).toBe(true);
    expect(budget.shouldPause(defaultWsBudget.pauseAboveBytes + 1)).toBe(true);
    expect(budget.overflowing(defaultWsBudget.closeAboveBytes + 1)).toBe(true);
  });
});

describe('Content-Security-Policy', () => {
  it('connects only to the server itself', () => {
    const csp = contentSecurityPolicy('wss://scada.plant.example:8400');
    expect(csp).toContain("connect-src 'self' wss://scada.plant.example:8400;");
    expect(csp).not.toMatch(/\bws: |\bwss: /);
  });
});
