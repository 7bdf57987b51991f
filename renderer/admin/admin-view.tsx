/** Users and API tokens, for administrators (`user.manage`; tokens with `token.manage`). */
import { useStationSnapshot } from '../app/station-context.js';
import { mayDo } from '../auth/access.js';
import { TokensAdmin } from './tokens-admin.js';
import { UsersAdmin } from './users-admin.js';

export function AdminView() {
  const { auth } = useStationSnapshot();
  return (
    <div className="admin">
      <UsersAdmin />
      {mayDo(auth, 'token.manage') ? <TokensAdmin /> : null}
    </div>
  );
}
