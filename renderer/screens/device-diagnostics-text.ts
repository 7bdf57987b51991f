/**
 * The names of the drivers' diagnostic counters on the Devices screen, in both languages. A
 * counter the console does not know (a newer driver) is shown by the driver's own key; the
 * key is always the tooltip. Pure.
 */
import { defineMessages, translator, type Lang } from '../i18n/i18n.js';

export const deviceDiagnosticsText = defineMessages(
  {
    // Modbus
    requests: 'requests',
    errors: 'errors',
    timeouts: 'timeouts',
    exceptions: 'exceptions',
    malformedAnswers: 'malformed answers',
    connectionsLost: 'connections lost',
    connectFailures: 'connect failures',
    connects: 'connects',
    polls: 'polls',
    pollOverruns: 'poll overruns',
    requestsPerPoll: 'requests per poll',
    refusedAddresses: 'refused addresses',
    lastRttMs: 'last round trip (ms)',
    rttP50Ms: 'round trip p50 (ms)',
    rttP95Ms: 'round trip p95 (ms)',
    // OPC UA
    monitoredItems: 'monitored items',
    failedItems: 'failed items',
    notificationsReceived: 'notifications received',
    queueOverflows: 'queue overflows',
    publishResponses: 'publish responses',
    keepAlives: 'keep-alives',
    lastPublishTime: 'last publish',
    reconnects: 'reconnects',
    rebuilds: 'rebuilds',
    publishingIntervalMs: 'publishing interval (ms)',
    keepAliveCount: 'keep-alive count',
    securityMode: 'security mode',
    securityPolicy: 'security policy',
  },
  {
    requests: '请求数',
    errors: '错误数',
    timeouts: '超时',
    exceptions: '异常应答',
    malformedAnswers: '畸形应答',
    connectionsLost: '连接中断',
    connectFailures: '连接失败',
    connects: '连接次数',
    polls: '轮询次数',
    pollOverruns: '轮询超时',
    requestsPerPoll: '每轮请求数',
    refusedAddresses: '被拒地址',
    lastRttMs: '最近往返（毫秒）',
    rttP50Ms: '往返 p50（毫秒）',
    rttP95Ms: '往返 p95（毫秒）',
    monitoredItems: '监视项',
    failedItems: '失败项',
    notificationsReceived: '收到通知',
    queueOverflows: '队列溢出',
    publishResponses: '发布应答',
    keepAlives: '保活次数',
    lastPublishTime: '最近发布',
    reconnects: '重连次数',
    rebuilds: '重建次数',
    publishingIntervalMs: '发布间隔（毫秒）',
    keepAliveCount: '保活计数',
    securityMode: '安全模式',
    securityPolicy: '安全策略',
  },
);

/** A diagnostic counter's name in the language; an unknown key as the driver sent it. */
export function diagnosticName(key: string, lang: Lang): string {
  return Object.hasOwn(deviceDiagnosticsText.en, key)
    ? translator(deviceDiagnosticsText, lang)(key as keyof typeof deviceDiagnosticsText.en)
    : key;
}
