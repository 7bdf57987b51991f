/**
 * Engineering (users with `project.edit`): pick an OPC UA device, browse its address space
 * and add a variable to the project as a tag.
 */
import { useMemo, useState } from 'react';
import { useStationSnapshot } from '../app/station-context.js';
import { AddTagFormView } from './add-tag-form.js';
import { BrowseTreeView, type PickedNode } from './browse-tree-view.js';
import './engineering.css';

export function EngineeringView() {
  const { devices, loaded } = useStationSnapshot();
  const opcuaDevices = useMemo(() => devices.filter((d) => d.protocol === 'opcua'), [devices]);
  const [chosen, setChosen] = useState<string | null>(null);
  const device = opcuaDevices.find((d) => d.device === chosen) ?? opcuaDevices[0];
  const [reload, setReload] = useState(0);
  const [picked, setPicked] = useState<{ device: string; key: string; node: PickedNode } | null>(null);
  const current = picked && device && picked.device === device.device ? picked : null;

  return (
    <section className="panel engineering" aria-labelledby="engineering-title">
      <h1 id="engineering-title" className="panel-title">
        Engineering — OPC UA tag picker
      </h1>
      {!loaded ? <p className="muted">Loading…</p> : null}
      {loaded && opcuaDevices.length === 0 ? <p className="muted">This project has no OPC UA device to browse.</p> : null}
      {device ? (
        <>
          <div className="engineering-device">
            <label>
              <span>Device </span>
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
                {device.device} is {device.state}: browsing needs a connected device.{device.lastError ? ` Last error: ${device.lastError}` : ''}
                {device.lastError && /certificate/i.test(device.lastError) ? (
                  <>
                    {' '}
                    An engineer can trust the server certificate under <a href="#/devices">Devices</a>.
                  </>
                ) : null}
              </span>
            ) : null}
          </div>
          <div className="engineering-columns">
            <div className="engineering-tree">
              <div className="panel-head">
                <h2 className="panel-subtitle">Objects</h2>
                <button type="button" onClick={() => setReload((n) => n + 1)}>
                  Browse again
                </button>
              </div>
              <BrowseTreeView key={device.device} device={device.device} connected={device.state === 'connected'} reload={reload} selectedKey={current?.key ?? null} onPick={(node, key) => setPicked({ device: device.device, key, node })} />
            </div>
            <div className="engineering-form">
              {current ? (
                <AddTagFormView key={`${current.device}:${current.key}`} device={current.device} node={current.node} />
              ) : (
                <p className="muted">Open the folders and pick a variable (◆) to add it to the project as a tag.</p>
              )}
            </div>
          </div>
        </>
      ) : null}
    </section>
  );
}
