/**
 * The simulator CLI as a child process: endpoints printed, console commands on stdin,
 * one-line argument errors, closed stdin is no reason to stop, SIGTERM stops it cleanly.
 * Also: close() of the in-process simulator leaves no open handles behind.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild, type RunningChild } from '../support/child-process.js';
import { startSimulator } from '../../simulator/index.js';
import { catalog } from '../../simulator/catalog.js';

const root = new URL('../../', import.meta.url).pathname;
const cli = join(root, 'simulator/cli.ts');
const runCli = (args: string[]) => startChild(process.execPath, ['--import', 'tsx', cli, ...args]);

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe('simulator CLI', () => {
  const children: RunningChild[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'argus-sim-cli-'));
  afterAll(async () => {
    for (const child of children) await child.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints its endpoints and obeys console commands', async () => {
    const sim = runCli([
      '--speed',
      '60',
      '--substations',
      '2',
      '--pki',
      join(dir, 'pki'),
      '--fault',
      'hx-fouling:0.6@+10m',
    ]);
    children.push(sim);
    const [, port] = await sim.waitFor(/Modbus TCP: 127\.0\.0\.1:(\d+)/, 60_000);
    await sim.waitFor(/OPC UA: opc\.tcp:\/\/127\.0\.0\.1:\d+/, 60_000);
    expect(sim.output()).toContain(`2 substation(s), ${2 * catalog.length} tags`);

    sim.send('status');
    await sim.waitFor(/faults SS01:hx-fouling:0\.6/);
    sim.send('set SS02.HC.OFFSET 2.5');
    await sim.waitFor(/ok SS02\.HC\.OFFSET = 2\.5/);
    sim.send('get SS02.HC.OFFSET');
    await sim.waitFor(/SS02\.HC\.OFFSET = 2\.5\n/);
    sim.send('set SS01.SEC.DUTY_SEL 7');
    await sim.waitFor(/error: SS01\.SEC\.DUTY_SEL: 7 is outside 1…2/);
    sim.send('fault secondary-leak 0.5 2');
    await sim.waitFor(/ok fault secondary-leak 0\.5 on substation 2/);
    sim.send('fault melting 1');
    await sim.waitFor(/error: usage: fault/);

    sim.send('modbus stop');
    await sim.waitFor(/ok modbus stopped/);
    expect(await canConnect(Number(port))).toBe(false);
    sim.send('modbus start');
    await sim.waitFor(/ok modbus started on 127\.0\.0\.1:(\d+)/);
    expect(await canConnect(Number(port))).toBe(true);
    sim.send('clear');
    await sim.waitFor(/ok faults cleared/);

    // Closed stdin must not stop it; SIGTERM must, cleanly.
    sim.process.stdin.end();
    await new Promise((r) => setTimeout(r, 500));
    expect(sim.process.exitCode).toBeNull();
    expect(await canConnect(Number(port))).toBe(true);
    expect(await sim.stop('SIGTERM')).toBe(0);
  });

  it.each([
    [['--speed', 'fast'], /--speed/],
    [['--substations', '0'], /--substations/],
    [['--modbus-port', '70000'], /--modbus-port/],
    [['--fault', 'hx-fouling'], /--fault/],
    [['--bogus'], /--bogus/],
  ])('refuses %j with a one-line error naming the argument', (args, pattern) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    const lines = r.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('argus-sim:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
  });
});

describe('simulator lifecycle', () => {
  it('close() leaves no open sockets or timers behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'argus-sim-life-'));
    const count = () => {
      const counts = { TCPServerWrap: 0, TCPSocketWrap: 0, Timeout: 0 };
      for (const r of process.getActiveResourcesInfo()) if (r in counts) counts[r as keyof typeof counts]++;
      return counts;
    };
    const before = count();
    const sim = await startSimulator({ speed: 60, pkiDir: join(dir, 'pki') });
    const client = connect({ host: '127.0.0.1', port: sim.modbusPort });
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    await sim.close();
    await new Promise((r) => setTimeout(r, 200));
    const after = count();
    expect(after.TCPServerWrap).toBe(before.TCPServerWrap);
    expect(after.TCPSocketWrap).toBeLessThanOrEqual(before.TCPSocketWrap);
    expect(after.Timeout).toBeLessThanOrEqual(before.Timeout);
    rmSync(dir, { recursive: true, force: true });
  });
});
