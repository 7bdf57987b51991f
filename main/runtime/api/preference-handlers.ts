/**
 * `prefs.get` / `prefs.set`: the calling user's own preferences. The request policy lets
 * any signed-in user in (`view`); the user is always the session's, never a parameter, so
 * one user's preferences cannot be read or written by another. A read-only API token has no
 * preferences of its own. Not audited: a preference is not a plant action.
 */
import type { PreferenceStore } from '../preferences/preference-store.js';
import { PreferenceError } from '../preferences/preference-store.js';
import { ContractFailure, type RequestHandlers } from './dispatch.js';
import type { Caller } from './caller.js';

type PreferenceRequest = 'prefs.get' | 'prefs.set';

function ownerOf(caller: Caller, method: PreferenceRequest): string {
  const principal = caller.principal;
  if (!principal) throw new ContractFailure('UNAUTHENTICATED', `${method}: sign in first`);
  // Dispatch prefers the session's user; a token's principal means there is no session.
  if (caller.tokenPrincipal && principal === caller.tokenPrincipal)
    throw new ContractFailure('FORBIDDEN', `${method}: an API token has no preferences; sign in as a user`);
  return principal.name;
}

export function createPreferenceHandlers(store: PreferenceStore): Pick<RequestHandlers, PreferenceRequest> {
  return {
    'prefs.get': (_p, caller) => store.all(ownerOf(caller, 'prefs.get')),
    'prefs.set': ({ key, value }, caller) => {
      const user = ownerOf(caller, 'prefs.set');
      try {
        return store.set(user, key, value);
      } catch (err) {
        if (err instanceof PreferenceError) throw new ContractFailure('BAD_REQUEST', `prefs.set: ${err.message}`);
        throw err;
      }
    },
  };
}
