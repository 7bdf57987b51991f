import { describe, expect, it } from 'vitest';
import { resolveStaticPath } from '../../main/server/static-files.js';
import { matchRoute } from '../../main/server/rest-routes.js';
import { originAllowed } from '../../main/server/ws-gateway.js';
import { isLoopbackHost } from '../../main/server/network.js';
import { LogRateLimiter } from '../../main/runtime/logging/rate-limiter.js';

describe('static file paths', () => {
  const root = '/srv/argus/renderer';
  it.each([
    ['/', '/srv/argus/renderer/index.html'],
    ['/assets/app.js', '/srv/argus/renderer/assets/app.js'],
    ['/a/../index.html', '/srv/argus/renderer/index.html'],
  ])('%s → %s', (url, expected) => expect(resolveStaticPath(root, url)).toBe(expected));

  it.each([
    '/../secret',
    '/..%2f..%2fetc%2fpasswd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/..%5c..%5cwin.ini',
    '/index.html%00.js',
    '/%E0%A4%A',
    '/....//....//etc/passwd/../../..',
  ])('refuses %s', (url) => {
    const resolved = resolveStaticPath(root, url);
    if (resolved !== null) expect(resolved.startsWith(root + '/')).toBe(true);
    else expect(resolved).toBeNull();
  });
});

describe('REST route matching', () => {
  it('matches placeholders and decodes them', () => {
    const m = matchRoute('GET', '/api/v1/tags/SS01.HX.T%20X');
    expect(m).not.toBeNull();
    expect(m !== null && m !== 'method-not-allowed' && m.params.name).toBe('SS01.HX.T X');
  });
  it('separates unknown paths from wrong methods', () => {
    expect(matchRoute('GET', '/api/v1/nope')).toBeNull();
    expect(matchRoute('POST', '/api/v1/tags')).toBe('method-not-allowed');
    expect(matchRoute('GET', '/api/v1/tags/')).toBeNull();
  });
});

describe('WebSocket origin check', () => {
  it.each([
    [undefined, '127.0.0.1:8400', true],
    ['http://127.0.0.1:8400', '127.0.0.1:8400', true],
    ['http://evil.example', '127.0.0.1:8400', false],
    ['http://127.0.0.1:8401', '127.0.0.1:8400', false],
    ['null', '127.0.0.1:8400', false],
    ['http://127.0.0.1:8400', undefined, false],
  ])('origin %s host %s → %s', (origin, host, allowed) => expect(originAllowed(origin, host)).toBe(allowed));
});

describe('loopback detection', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['192.168.1.10', false],
  ])('%s → %s', (host, loopback) => expect(isLoopbackHost(host)).toBe(loopback));
});

describe('log rate limiting', () => {
  it('goes quiet after the burst and reports the suppressed count in the next window', () => {
    const limiter = new LogRateLimiter(3, 1000);
    const decisions = Array.from({ length: 6 }, () => limiter.decide('k', 0).log);
    expect(decisions).toEqual([true, true, true, false, false, false]);
    expect(limiter.decide('k', 1000)).toEqual({ log: true, suppressed: 3 });
    expect(limiter.decide('other', 1000).log).toBe(true);
  });
});
