/**
 * One row per device: what it is, whether the station talks to it, since when, the last
 * error, and how many of its tags are Bad. While the console itself is disconnected the
 * rows are last known states and say so.
 */
import type { DeviceStatusDto } from '../../preload/contract.js';
import { useConnected, useNow, useStationSnapshot } from '../app/station-context.js';
import { formatAge, formatDateTime } from '../format/format-value.js';
import { CertificatesSection } from '../engineering/certificates-section.js';
import { mayEngineer } from '../engineering/engineering-access.js';
import { formatClock } from '../i18n/i18n.js';
import { useLang, useText } from '../i18n/language.js';
import { reasonText } from '../format/quality.js';
import { screensText } from './screens-text.js';
import { diagnosticName } from './device-diagnostics-text.js';

/** A driver's time stamp (`2026-11-30T08:47:16.156Z`): shown as a local 24-hour time like every other. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const stateText = {
  connected: 'stateConnected',
  connecting: 'stateConnecting',
  disconnected: 'stateDisconnected',
  stopped: 'stateStopped',
} as const satisfies Record<DeviceStatusDto['state'], string>;

function DeviceRow({ device, now, current }: { device: DeviceStatusDto; now: number; current: boolean }) {
  const diagnostics = Object.entries(device.diagnostics);
  const abnormal = device.state === 'disconnected' || device.state === 'connecting';
  const t = useText(screensText);
  const lang = useLang();
  return (
    <tr
      data-device={device.device}
      data-state={device.state}
      className={`device-row device-${device.state}${current ? '' : ' device-not-current'}`}
    >
      <th scope="row" className="device-name">
        {device.device}
      </th>
      <td>{device.protocol}</td>
      <td className="mono">{device.endpoint}</td>
      <td>
        <span className={`device-state state-${device.state}`}>
          <span className="device-state-shape" aria-hidden="true" />
          {t(stateText[device.state])}
        </span>
        <div className="since" title={formatDateTime(device.since)}>
          {t('since', { time: formatClock(device.since), age: formatAge(now - device.since, lang) })}
        </div>
        {!current ? <div className="not-current">{t('lastKnown')}</div> : null}
      </td>
      <td className={device.lastError ? 'device-error' : 'muted'}>
        {device.lastError ? reasonText(device.lastError, lang) : abnormal ? '—' : t('none')}
      </td>
      <td className="num">
        {device.tagCount}
        {' / '}
        <span className={device.badTagCount > 0 ? 'bad-count' : ''}>
          {device.badTagCount > 0 ? t('nBad', { n: device.badTagCount }) : t('zeroBad')}
        </span>
      </td>
      <td>
        {diagnostics.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          <dl className="diagnostics">
            {diagnostics.map(([k, v]) => (
              <div key={k} className="diag">
                <dt title={k}>{diagnosticName(k, lang)}</dt>
                <dd>
                  {typeof v === 'number' && !Number.isInteger(v)
                    ? v.toFixed(2)
                    : typeof v === 'string' && ISO_TIME.test(v)
                      ? formatDateTime(Date.parse(v))
                      : String(v)}
                </dd>
              </div>
            ))}
          </dl>
        )}
      </td>
    </tr>
  );
}

export function DevicesPanel() {
  const { devices, loaded, auth } = useStationSnapshot();
  const now = useNow();
  const connected = useConnected();
  const t = useText(screensText);
  return (
    <section className="panel" aria-labelledby="devices-title">
      <h1 id="devices-title" className="panel-title" tabIndex={-1}>
        {t('devices')}
      </h1>
      {!loaded ? <p className="muted">{t('loading')}</p> : null}
      {loaded && devices.length === 0 ? <p className="muted">{t('noDevices')}</p> : null}
      {devices.length > 0 ? (
        <table className="grid devices">
          <thead>
            <tr>
              <th scope="col">{t('device')}</th>
              <th scope="col">{t('protocol')}</th>
              <th scope="col">{t('endpoint')}</th>
              <th scope="col">{t('state')}</th>
              <th scope="col">{t('lastError')}</th>
              <th scope="col">{t('tagsBad')}</th>
              <th scope="col">{t('diagnostics')}</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <DeviceRow key={d.device} device={d} now={now} current={connected} />
            ))}
          </tbody>
        </table>
      ) : null}
      {mayEngineer(auth, 'device.diagnostics') && devices.some((d) => d.protocol === 'opcua') ? (
        <CertificatesSection />
      ) : null}
    </section>
  );
}
