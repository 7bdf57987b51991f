/**
 * What each contract request needs: no session ('public'), or a permission. The type
 * makes the table total: a new request does not compile until it has a policy, and the
 * authorization matrix test walks this table.
 */
import type { RequestName } from '../../../preload/contract.js';
import type { Permission } from '../security/permissions.js';

export type RequestPolicy = 'public' | Permission;

export const requestPolicy: Readonly<Record<RequestName, RequestPolicy>> = {
  'session.info': 'public',
  'auth.status': 'public',
  'auth.login': 'public',
  'auth.logout': 'public',
  'auth.lock': 'public',
  'auth.unlock': 'public',
  'auth.switchUser': 'public',
  'auth.changePassword': 'public',
  'auth.createFirstAdmin': 'public',
  'tags.list': 'view',
  'tags.read': 'view',
  'tags.watch': 'view',
  'devices.list': 'view',
  'screens.list': 'view',
  'tags.write': 'tag.write',
  'history.raw': 'view',
  'history.trend': 'view',
  'history.status': 'view',
  'history.export': 'history.export',
  'history.backup': 'history.backup',
  'audit.query': 'audit.view',
  'audit.exportCsv': 'audit.export',
  'users.list': 'user.manage',
  'users.create': 'user.manage',
  'users.update': 'user.manage',
  'tokens.list': 'token.manage',
  'tokens.create': 'token.manage',
  'tokens.revoke': 'token.manage',
  'opcua.certificates': 'device.diagnostics',
  'opcua.trustCertificate': 'certificate.trust',
  'opcua.browse': 'project.edit',
  'project.addTag': 'project.edit',
  'alarms.list': 'view',
  'alarms.definitions': 'view',
  'alarms.journal': 'view',
  'alarms.kpis': 'view',
  'alarms.acknowledge': 'alarm.acknowledge',
  'alarms.silence': 'alarm.acknowledge',
  'alarms.comment': 'alarm.comment',
  'alarms.shelve': 'alarm.shelve',
  'alarms.unshelve': 'alarm.shelve',
  'alarms.setOutOfService': 'alarm.outOfService',
  'alarms.exportCsv': 'history.export',
  'alarms.setLimits': 'project.edit',
  'models.list': 'view',
  'models.activate': 'model.manage',
  'models.rescan': 'model.manage',
  'models.run': 'model.manage',
  'models.backfill': 'model.manage',
  'models.cancelBackfill': 'model.manage',
  // Any signed-in user, and only their own (the handler takes the user from the session).
  'prefs.get': 'view',
  'prefs.set': 'view',
  'models.importBegin': 'model.manage',
  'models.importChunk': 'model.manage',
  'models.import': 'model.manage',
  'models.importCancel': 'model.manage',
};
