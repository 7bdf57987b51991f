import type { SecurityServices } from '../security/security-services.js';
import type { SessionBinding } from './caller.js';
import type { ChannelAccess } from './client-channel.js';

/** A window's access from its session binding, without counting as user activity. */
export function channelAccessFor(security: SecurityServices, session: SessionBinding): () => ChannelAccess {
  return () => {
    if (!security.users.hasAnyAdmin()) return { state: 'first-run', principal: null };
    const id = session.get();
    if (!id) return { state: 'signed-out', principal: null };
    const check = security.auth.peek(id);
    if (check.ok) return { state: 'active', principal: check.session.user, sessionId: id };
    return { state: check.reason === 'LOCKED' ? 'locked' : 'signed-out', principal: null, sessionId: id };
  };
}
