/** Texts of the header bar (link state, device summary), both languages. */
import { defineMessages } from '../i18n/i18n.js';

export const headerText = defineMessages(
  {
    connected: 'Connected',
    connecting: 'Connecting…',
    notSignedIn: 'Not signed in',
    disconnected: 'Disconnected',
    simulated: 'SIMULATED PLANT',
    simulatedTitle: 'Values come from the built-in simulator, not a real plant',
    displays: 'Displays',
    devicesOffline: '{count} devices offline: {names}',
    deviceOffline: '1 device offline: {names}',
    devicesOfflineTitle: 'The station cannot reach: {names}. Their values are Bad. Open the Devices screen.',
    devicesOk: 'All {count} devices online',
    devicesLastKnown: 'last known',
  },
  {
    connected: '已连接',
    connecting: '正在连接…',
    notSignedIn: '未登录',
    disconnected: '已断开',
    simulated: '模拟工厂',
    simulatedTitle: '数值来自内置模拟器，而非真实工厂',
    displays: '画面',
    devicesOffline: '{count} 台设备离线：{names}',
    deviceOffline: '1 台设备离线：{names}',
    devicesOfflineTitle: '站点无法连接：{names}。其数值为坏值。打开设备画面。',
    devicesOk: '全部 {count} 台设备在线',
    devicesLastKnown: '最后已知',
  },
);
