/** Texts of the console frame itself (loading, places a user may not see, the station not answering); both languages. */
import { defineMessages } from '../i18n/i18n.js';

export const appText = defineMessages(
  {
    loadingDisplays: 'Loading displays…',
    noScreens: 'This project has no screens.',
    noScreen: 'No screen "{id}".',
    contacting: 'Contacting the station…',
    notAllowed: 'You are not allowed here. Sign in as a user who is.',
    notAnswering: "The station did not answer the console's requests: {error}. Retrying…",
  },
  {
    loadingDisplays: '正在载入画面…',
    noScreens: '本项目没有画面。',
    noScreen: '没有画面“{id}”。',
    contacting: '正在连接站点…',
    notAllowed: '您无权访问此处。请以有权限的用户登录。',
    notAnswering: '站点未响应控制台的请求:{error}。正在重试…',
  },
);

/**
 * The station's refusals (a reply's closed set of error codes) in the operator's words; the
 * station's own detail follows as it sent it, so nothing it said is lost.
 */
export const refusalText = defineMessages(
  {
    BAD_REQUEST: 'Request not accepted',
    UNAUTHENTICATED: 'Not signed in',
    FORBIDDEN: 'Not allowed for your role',
    NOT_FOUND: 'Not found on the station',
    DEVICE_OFFLINE: 'Device offline',
    WRITE_REJECTED: 'Rejected by the device',
    UNAVAILABLE: 'Station unavailable',
    INTERNAL: 'Station error',
    other: 'Refused',
    withDetail: '{words} ({code}): {message}',
  },
  {
    BAD_REQUEST: '请求未被接受',
    UNAUTHENTICATED: '未登录',
    FORBIDDEN: '您的角色无此权限',
    NOT_FOUND: '站点上未找到',
    DEVICE_OFFLINE: '设备离线',
    WRITE_REJECTED: '设备拒绝',
    UNAVAILABLE: '站点暂不可用',
    INTERNAL: '站点内部错误',
    other: '被拒绝',
    withDetail: '{words}（{code}）：{message}',
  },
);
