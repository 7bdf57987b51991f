/**
 * Per-user preferences of the contract: small JSON values under validated key names
 * (`trendSets`, `language`, `theme`, …), always the calling user's own — neither request
 * names a user, so nobody can read or write someone else's. Merged into `requests` in
 * preload/contract.ts. Imports only zod.
 */
import { z } from 'zod';

/** A key: a letter, then letters, digits, `.`, `_` or `-`; at most 64 characters. */
export const PREFERENCE_KEY_PATTERN = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;
/** The largest value, as JSON text (bytes of UTF-8). */
export const MAX_PREFERENCE_BYTES = 64 * 1024;
/** The most keys one user may keep. */
export const MAX_PREFERENCE_KEYS = 32;

export const preferenceKeySchema = z
  .string()
  .regex(PREFERENCE_KEY_PATTERN, 'a key: a letter, then letters, digits, . _ - (at most 64)');

/** The caller's preferences: key → value (any JSON). */
export const preferencesSchema = z.record(z.string(), z.unknown());
export type PreferencesDto = z.infer<typeof preferencesSchema>;

export const preferenceRequests = {
  /** The calling user's preferences, all keys. */
  'prefs.get': { params: z.object({}).strict(), result: preferencesSchema },
  /** Store (or, with `value: null`, remove) one key of the calling user's preferences. */
  'prefs.set': {
    params: z.object({ key: preferenceKeySchema, value: z.unknown() }).strict(),
    result: z.object({ key: z.string(), bytes: z.number(), updatedAt: z.number() }),
  },
} as const;
