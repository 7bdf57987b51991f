/**
 * The console's security rules before anything is sent: what a user may see (navigation,
 * write controls), password and user-name rules (the runtime's own, so both agree), the
 * idle-lock countdown, area lists and token expiry.
 */
import { describe, expect, it } from 'vitest';
import type { AuthStatus } from '../../preload/contract.js';
import { mayDo } from '../../renderer/auth/access.js';
import { lockCountdownSeconds, newPasswordProblem, userNameProblem } from '../../renderer/auth/password-rules.js';
import { authRefusal } from '../../renderer/auth/refusal.js';
import { areasText, parseAreas, roleHint, tokenExpiry } from '../../renderer/admin/admin-forms.js';
import { navItems, parseRoute, routeHash } from '../../renderer/app/navigation.js';
import { passwordProblem, isValidUserName } from '../../main/runtime/security/password-policy.js';
import { permissionsOf, roles } from '../../main/runtime/security/permissions.js';

const status = (role: (typeof roles)[number], state: AuthStatus['state'] = 'active'): AuthStatus => ({
  state,
  user: { name: `demo-${role}`, role, areas: [] },
  permissions: state === 'active' ? permissionsOf(role) : [],
  locksAt: null,
  demoUsers: null,
  message: null,
  retryAfterMs: null,
});

describe('mayDo', () => {
  it('follows the permissions the runtime reports, per role', () => {
    const table = Object.fromEntries(
      roles.map((r) => [
        r,
        (['tag.write', 'audit.view', 'audit.export', 'user.manage', 'token.manage'] as const).filter((p) =>
          mayDo(status(r), p),
        ),
      ]),
    );
    expect(table).toEqual({
      viewer: [],
      operator: ['tag.write'],
      technician: ['tag.write'],
      engineer: ['tag.write', 'audit.view', 'audit.export'],
      admin: ['tag.write', 'audit.view', 'audit.export', 'user.manage', 'token.manage'],
    });
  });

  it('allows nothing while locked or signed out', () => {
    expect(mayDo({ ...status('admin'), state: 'locked' }, 'tag.write')).toBe(false);
    expect(mayDo(null, 'tag.write')).toBe(false);
  });
});

describe('navigation', () => {
  const screens = [{ id: 'overview', title: 'O' }];
  const ids = (access?: { audit?: boolean; admin?: boolean }) => navItems(screens, access).map((i) => i.testId);
  it('shows Audit and Users only when allowed, after the plant places', () => {
    expect(ids()).not.toContain('nav-audit');
    expect(ids()).not.toContain('nav-admin');
    expect(ids({ audit: true })).toContain('nav-audit');
    expect(ids({ audit: true })).not.toContain('nav-admin');
    const all = ids({ audit: true, admin: true });
    expect(all.slice(-2)).toEqual(['nav-audit', 'nav-admin']);
    expect(all.indexOf('nav-tags')).toBeLessThan(all.indexOf('nav-audit'));
  });
  it('round-trips the new routes', () => {
    for (const kind of ['audit', 'admin'] as const) expect(parseRoute(routeHash({ kind }))).toEqual({ kind });
  });
  it('a screen named like a security place does not take its test id', () => {
    const items = navItems(
      [
        { id: 'overview', title: 'O' },
        { id: 'audit', title: 'A' },
      ],
      { audit: true },
    );
    expect(items.filter((i) => i.testId === 'nav-audit').map((i) => i.route)).toEqual([{ kind: 'audit' }]);
    expect(items.find((i) => i.testId === 'nav-screen-audit')?.route).toEqual({ kind: 'screen', id: 'audit' });
  });
});

describe('password and user-name rules agree with the runtime', () => {
  const cases: [string, string][] = [
    ['admin', 'short'],
    ['admin', 'admin'],
    ['operator1', 'operator1'],
    ['operator1', 'OPERATOR1 '],
    ['op', 'a long enough passphrase'],
    ['op', '          '],
    ['op', '0123456789'],
    ['op', 'x'.repeat(257)],
    ['运行员', '运行员运行员运行员运行'],
  ];
  it.each(cases)('%s / %j', (name, password) => {
    const console = newPasswordProblem(name, password, password);
    expect(console === null).toBe(passwordProblem(name, password) === null);
  });

  it('asks for the password twice', () => {
    expect(newPasswordProblem('op', 'a long enough passphrase', 'a long enough passphrasE')).toBe(
      'The two passwords differ.',
    );
  });

  it.each(['op', 'demo-operator', 'a.b_c@d', '运行员', '', 'with space', 'x'.repeat(65), '<img>'])(
    'user name %j',
    (name) => {
      expect(userNameProblem(name) === null).toBe(isValidUserName(name));
    },
  );
});

describe('lockCountdownSeconds', () => {
  it('shows only in the last minute, rounded up, never negative', () => {
    expect(lockCountdownSeconds(null, 0)).toBeNull();
    expect(lockCountdownSeconds(120_000, 0)).toBeNull();
    expect(lockCountdownSeconds(60_000, 0)).toBe(60);
    expect(lockCountdownSeconds(59_001, 0)).toBe(60);
    expect(lockCountdownSeconds(1, 0)).toBe(1);
    expect(lockCountdownSeconds(0, 5_000)).toBe(0);
  });
});

describe('authRefusal', () => {
  it('is null only for the wanted state without a message', () => {
    expect(authRefusal({ ok: true, value: status('operator') }, 'active')).toBeNull();
    expect(
      authRefusal({ ok: true, value: { ...status('operator'), message: 'invalid user name or password' } }, 'active'),
    ).toBe('invalid user name or password');
    expect(
      authRefusal(
        { ok: true, value: { ...status('operator', 'signed-out'), message: 'locked out', retryAfterMs: 29_500 } },
        'active',
      ),
    ).toBe('locked out Try again in 30 s.');
    expect(authRefusal({ ok: false, error: { code: 'UNAVAILABLE', message: 'station unreachable' } }, 'active')).toBe(
      'Station unavailable (UNAVAILABLE): station unreachable',
    );
    expect(
      authRefusal({ ok: false, error: { code: 'UNAVAILABLE', message: 'station unreachable' } }, 'active', 'zh'),
    ).toBe('站点暂不可用（UNAVAILABLE）：station unreachable');
  });
});

describe('admin forms', () => {
  it('parses area lists', () => {
    expect(parseAreas('')).toEqual({ ok: true, areas: [] });
    expect(parseAreas('SS01, SS02;SS01  SS03')).toEqual({ ok: true, areas: ['SS01', 'SS02', 'SS03'] });
    expect(parseAreas('SS01, 2bad').ok).toBe(false);
    expect(parseAreas('<img>').ok).toBe(false);
    expect(areasText([])).toBe('all areas');
    expect(areasText([], 'zh')).toBe('全部区域');
    const refused = parseAreas('SS01, 2bad', 'zh');
    expect(refused.ok ? '' : refused.problem).toMatch(/^"2bad"不是有效的区域名/);
    expect(roleHint('operator', 'zh')).toBe('设定值、命令、确认报警');
    expect(roleHint('viewer')).toBe('look only');
  });

  it('turns days into a token expiry', () => {
    expect(tokenExpiry('', 1000)).toEqual({ ok: true, expiresAt: undefined });
    expect(tokenExpiry('2', 1000)).toEqual({ ok: true, expiresAt: 1000 + 2 * 86_400_000 });
    expect(tokenExpiry('0', 0).ok).toBe(false);
    expect(tokenExpiry('1.5', 0).ok).toBe(false);
    const zh = tokenExpiry('0', 0, 'zh');
    expect(zh.ok ? '' : zh.problem).toMatch(/^有效期/);
  });
});
