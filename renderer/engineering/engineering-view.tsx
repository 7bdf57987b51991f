/**
 * Engineering (users with `project.edit`): pick an OPC UA device, browse its address space
 * and add a variable to the project as a tag.
 */
import { useMemo, useState } from 'react';
import { useStationSnapshot } from '../app/station-context.js';
import { AddTagFormView } from './add-tag-form.js';
import { BrowseTreeView, type PickedNode } from './browse-tree-view.js';
import './engineering.css';
import { useText } from '../i18n/language.js';
import { engineeringText } from './engineering-text.js';

export function EngineeringView() {
  const t = useText(engineeringText);
  const { devices, loaded } = useStationSnapshot();
  const opcuaDevices = useMemo(() => devices.filter((d) => d.protocol === 'opcua'), [devices]);
  const [chosen, setChosen] = useState<string | null>(null);
  const device = opcuaDevices.find((d) => d.device === chosen) ?? opcuaDevices[0];
  const [reload, setReload] = useState(0);
  const [picked, setPicked] = useState<{ device: string; key: string; node: PickedNode } | null>(null);
  const current = picked && device && picked.device === device.device ? picked : null;

  return (
    <section className="panel engineering" aria-labelledby="engineering-title">
      <h1 id="engineering-title" className="panel-title" tabIndex={-1}>
        {t('title')}
      </h1>
      {!loaded ? <p className="muted">{t('loading')}</p> : null}
      {loaded && opcuaDevices.length === 0 ? <p className="muted">{t('noOpcua')}</p> : null}
      {device ? (
        <>
          <div className="engineering-device">
            <label>
              <span>{t('device')}</span>
              <select value={device.device} onChange={(e) => setChosen(e.target.value)} data-testid="browse-device">
                {opcuaDevices.map((d) => (
                  <option key={d.device} value={d.device}>
                    {d.device} ({d.endpoint})
                  </option>
                ))}
              </select>
            </label>
            {device.state !== 'connected' ? (
              <span className="engineering-device-state" role="status">
                {t('deviceState', { device: device.device, state: device.state })}
                {device.lastError ? t('lastError', { error: device.lastError }) : ''}
                {device.lastError && /certificate/i.test(device.lastError) ? (
                  <>
                    {' '}
                    {t('trustHint')} <a href="#/devices">{t('devices')}</a>.
                  </>
                ) : null}
              </span>
            ) : null}
          </div>
          <div className="engineering-columns">
            <div className="engineering-tree">
              <div className="panel-head">
                <h2 className="panel-subtitle">{t('objects')}</h2>
                <button type="button" onClick={() => setReload((n) => n + 1)}>
                  {t('browseAgain')}
                </button>
              </div>
              <BrowseTreeView
                key={device.device}
                device={device.device}
                connected={device.state === 'connected'}
                reload={reload}
                selectedKey={current?.key ?? null}
                onPick={(node, key) => setPicked({ device: device.device, key, node })}
              />
            </div>
            <div className="engineering-form">
              {current ? (
                <AddTagFormView key={`${current.device}:${current.key}`} device={current.device} node={current.node} />
              ) : (
                <p className="muted">{t('pickHint')}</p>
              )}
            </div>
          </div>
        </>
      ) : null}
    </section>
  );
}
