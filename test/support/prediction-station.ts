/**
 * A station in this process with the window-mean test model as its only model package (the
 * built-in models off), and a viewer's session cookie for the REST prediction service.
 */
import { join } from 'node:path';
import { startInProcessStation, type InProcessStation } from './in-process-station.js';
import { signIn } from './sign-in.js';
import { windowMeanOutputs, writeWindowMeanPackage } from './test-model.js';

export async function startPredictionStation(
  name: string,
  outputs: readonly unknown[] = [windowMeanOutputs.tMean],
): Promise<{ station: InProcessStation; viewerCookie: string }> {
  const station = await startInProcessStation(name, {
    prepare: (dir) => writeWindowMeanPackage(join(dir, 'data', 'models'), outputs),
    station: { modelsDir: null },
  });
  const viewer = station.runtime.demoAccounts!.find((a) => a.role === 'viewer')!;
  const { cookie } = await signIn(station.server.url, viewer.name, viewer.password);
  return { station, viewerCookie: cookie };
}
