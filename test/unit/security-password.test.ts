import { describe, expect, it } from 'vitest';
import {
  defaultScryptParams,
  hashPassword,
  needsRehash,
  parsePasswordHash,
  verifyPassword,
} from '../../main/runtime/security/password-hash.js';
import { isValidUserName, passwordProblem } from '../../main/runtime/security/password-policy.js';

describe('scrypt password hashes', () => {
  it('verifies the right password and refuses a wrong one (default parameters)', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(
      stored.startsWith(`scrypt$${defaultScryptParams.logN}$${defaultScryptParams.r}$${defaultScryptParams.p}$`),
    ).toBe(true);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('uses a fresh random salt each time', async () => {
    const params = { logN: 10, r: 8, p: 1 };
    const a = await hashPassword('same password!', params);
    const b = await hashPassword('same password!', params);
    expect(a).not.toBe(b);
    expect(parsePasswordHash(a)?.salt.equals(parsePasswordHash(b)?.salt ?? Buffer.alloc(0))).toBe(false);
    expect(await verifyPassword('same password!', a)).toBe(true);
    expect(await verifyPassword('same password!', b)).toBe(true);
  });

  it('verifies with the parameters stored in the hash, and says when a hash is weaker than wanted', async () => {
    const weak = await hashPassword('an old password', { logN: 10, r: 8, p: 1 });
    expect(await verifyPassword('an old password', weak)).toBe(true);
    expect(needsRehash(weak)).toBe(true);
    expect(needsRehash(weak, { logN: 10, r: 8, p: 1 })).toBe(false);
  });

  it('treats NFC and NFD spellings of a password as the same', async () => {
    const stored = await hashPassword('Gr\u00fc\u00dfe aus Wien', { logN: 10, r: 8, p: 1 });
    expect(await verifyPassword('Gru\u0308\u00dfe aus Wien', stored)).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['bcrypt$10$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA', 'other algorithm'],
    [
      `scrypt$30$8$1$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`,
      'N too large (memory bomb)',
    ],
    [`scrypt$10$8$1$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(8).toString('base64')}`, 'short key'],
    ['scrypt$10$8$1$$', 'no salt'],
  ])('never matches a malformed stored hash (%s: %s)', async (stored) => {
    expect(parsePasswordHash(stored)).toBeNull();
    expect(await verifyPassword('whatever password', stored)).toBe(false);
  });
});

describe('password policy', () => {
  it.each([
    ['alice', 'short', 'too-short'],
    ['alice', '123456789', 'too-short'],
    ['alice', '1234567890', null],
    ['operator01', 'operator01', 'same-as-name'],
    ['operator01', 'OPERATOR01', 'same-as-name'],
    ['alice', '          ', 'blank'],
    ['alice', 'x'.repeat(257), 'too-long'],
    ['alice', '密码密码密码密码密码', null],
  ] as const)('user %s, password %j → %s', (user, password, problem) => {
    expect(passwordProblem(user, password)).toBe(problem);
  });

  it.each([
    ['alice', true],
    ['j.smith@plant', true],
    ['王伟', true],
    ['', false],
    ['a b', false],
    ['<script>', false],
    ['x'.repeat(65), false],
  ])('user name %j valid: %s', (name, valid) => {
    expect(isValidUserName(name)).toBe(valid);
  });
});
