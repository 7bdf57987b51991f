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
  it('allows a burst, then the sustained rate, and counts requests in flight', () => {
    const budget = new WsRequestBudget({ ...defaultWsBudget, burst: 10, perSecond: 5, maxInFlight: 4 }, 0);
    const taken = Array.from({ length: 12 }, () => budget.take(0));
    expect(taken.filter(Boolean)).toHaveLength(10);
    expect(budget.take(100)).toBe(false); // 0.5 token
    expect(budget.take(200)).toBe(true); // 1 token after 200 ms at 5/s
    expect(budget.requestsInFlight).toBe(11);
    expect(budget.shouldPause(0)).toBe(true);
    for (let i = 0; i < 10; i++) budget.done();
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
