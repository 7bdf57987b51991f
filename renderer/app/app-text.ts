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
