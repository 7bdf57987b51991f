/** Entry point: pick the front door, start the station model, render the console. */
// The one button style first: every view's own CSS comes after it and may adjust a special button.
import './theme/buttons.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.js';
import { StationContext } from './app/station-context.js';
import { Clock } from './state/clock.js';
import { Station } from './state/station.js';
import { chooseFrontDoor } from './transport/choose-transport.js';
import './styles.css';

const door = chooseFrontDoor();
const station = new Station(door.transport, door.session);
const clock = new Clock();
station.start();

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <StationContext value={{ station, clock }}>
      <App />
    </StationContext>
  </StrictMode>,
);
