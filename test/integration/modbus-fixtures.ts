/**
 * Modbus servers for the driver's integration tests, on 127.0.0.1 with ports chosen at run
 * time: modbus-serial's ServerTCP in this process, and Debian's pymodbus in a child process
 * (an implementation nobody here wrote). Both serve a register map the test sets up; an
 * address missing from the map answers exception 02.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import ModbusSerial from 'modbus-serial';
import type { ModbusTable } from '../../protocols/modbus/config.js';

/** unit id → table → address → value (registers 0..65535, bits as 0/1). */
export type RegisterMap = Record<number, Partial<Record<ModbusTable, Record<number, number>>>>;

export interface RunningServer {
  readonly port: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** modbus-serial's ServerTCP answering any unit id from `map` (which the test may change while it runs). */
export async function startModbusSerialServer(
  map: RegisterMap,
  port?: number,
): Promise<RunningServer & { writes(): number }> {
  const chosen = port ?? (await freePort());
  let writes = 0;
  const lookup = (unitId: number, table: ModbusTable, addr: number): number => {
    const value = map[unitId]?.[table]?.[addr];
    if (value === undefined)
      throw Object.assign(new Error(`no ${table} ${addr} on unit ${unitId}`), { modbusErrorCode: 0x02 });
    return value;
  };
  const vector = {
    getHoldingRegister: (addr: number, unitId: number) => lookup(unitId, 'holding', addr),
    getInputRegister: (addr: number, unitId: number) => lookup(unitId, 'input', addr),
    getCoil: (addr: number, unitId: number) => lookup(unitId, 'coil', addr) === 1,
    getDiscreteInput: (addr: number, unitId: number) => lookup(unitId, 'discrete', addr) === 1,
    setRegister: (addr: number, value: number, unitId: number) => {
      writes++;
      lookup(unitId, 'holding', addr);
      map[unitId]!.holding![addr] = value;
    },
    setCoil: (addr: number, value: boolean, unitId: number) => {
      writes++;
      lookup(unitId, 'coil', addr);
      map[unitId]!.coil![addr] = value ? 1 : 0;
    },
  };
  const server = new ModbusSerial.ServerTCP(vector, { host: '127.0.0.1', port: chosen, unitID: 255 });
  server.on('socketError', () => {});
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('initialized', () => resolve());
    server.once('serverError', reject);
  });
  return {
    port: chosen,
    writes: () => writes,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const PYMODBUS_CONTEXT = String.raw`
import asyncio, json, sys
from pymodbus.datastore import ModbusSparseDataBlock, ModbusSlaveContext, ModbusServerContext
from pymodbus.server.async_io import ModbusTcpServer, ModbusSerialServer
from pymodbus.framer.rtu_framer import ModbusRtuFramer

spec = json.loads(sys.argv[1])

def block(table):
    return ModbusSparseDataBlock({int(a): v for a, v in table.items()} or {65535: 0})

slaves = {}
for unit, tables in spec.items():
    slaves[int(unit)] = ModbusSlaveContext(
        di=block(tables.get("discrete", {})), co=block(tables.get("coil", {})),
        hr=block(tables.get("holding", {})), ir=block(tables.get("input", {})), zero_mode=True)
`;

const PYMODBUS_SERVER = String.raw`${PYMODBUS_CONTEXT}
port = int(sys.argv[2])

async def main():
    server = ModbusTcpServer(ModbusServerContext(slaves=slaves, single=False), address=("127.0.0.1", port), allow_reuse_address=True)
    task = asyncio.create_task(server.serve_forever())
    await server.serving
    print(server.server.sockets[0].getsockname()[1], flush=True)
    await task

asyncio.run(main())
`;

/** Debian's pymodbus (run with /usr/bin/python3) serving `map`; port 0 picks a free one. */
export async function startPymodbusServer(map: RegisterMap, port = 0): Promise<RunningServer> {
  const child: ChildProcess = spawn('/usr/bin/python3', ['-c', PYMODBUS_SERVER, JSON.stringify(map), String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const bound = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(Number(line.trim())));
    child.once('exit', (code) => reject(new Error(`pymodbus server exited with ${code}: ${stderr}`)));
    child.once('error', (err) => reject(new Error(`pymodbus server could not start: ${err.message}`)));
  });
  return {
    port: bound,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

const PYMODBUS_REFUSING_SERVER = String.raw`${PYMODBUS_CONTEXT}
from pymodbus.server.async_io import ModbusConnectedRequestHandler
port = int(sys.argv[2])
refuse_on = set(json.loads(sys.argv[3]))
close_after = float(sys.argv[4])
state = {"connections": 0, "current": 0}

class RefusingSlave(ModbusSlaveContext):
    def validate(self, fc_as_hex, address, count=1):
        if state["current"] in refuse_on:
            return False  # answered as exception 02, Illegal Data Address
        return super().validate(fc_as_hex, address, count)

for unit in list(slaves):
    old = slaves[unit]
    slave = RefusingSlave(zero_mode=True)
    slave.store = old.store
    slaves[unit] = slave

class CountingHandler(ModbusConnectedRequestHandler):
    def connection_made(self, transport):
        state["connections"] += 1
        state["current"] = state["connections"]
        print("connection", state["current"], "refusing" if state["current"] in refuse_on else "answering", flush=True)
        if state["current"] in refuse_on:
            asyncio.get_event_loop().call_later(close_after, transport.close)
        super().connection_made(transport)

async def main():
    server = ModbusTcpServer(ModbusServerContext(slaves=slaves, single=False), address=("127.0.0.1", port), allow_reuse_address=True, handler=CountingHandler)
    task = asyncio.create_task(server.serve_forever())
    await server.serving
    print(server.server.sockets[0].getsockname()[1], flush=True)
    await task

asyncio.run(main())
`;

export interface RefusingServer extends RunningServer {
  /** Lines the server printed for each connection: "connection 1 refusing", "connection 2 answering". */
  readonly connections: readonly string[];
}

/**
 * Debian's pymodbus answering every request with exception 02 on the connections numbered in
 * `refuseOn` (1-based, in the order clients connect) and closing each of those after
 * `closeAfterMs`; on every other connection it serves `map` normally.
 */
export async function startRefusingPymodbusServer(
  map: RegisterMap,
  refuseOn: readonly number[],
  closeAfterMs: number,
): Promise<RefusingServer> {
  const child = spawn(
    '/usr/bin/python3',
    ['-c', PYMODBUS_REFUSING_SERVER, JSON.stringify(map), '0', JSON.stringify(refuseOn), String(closeAfterMs / 1000)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const connections: string[] = [];
  const port = Number(await waitForLine(child, 'pymodbus refusing server'));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('connection ')) connections.push(line.trim());
  });
  return { port, connections, stop: () => kill(child) };
}

const PYMODBUS_RTU_SERVER = String.raw`${PYMODBUS_CONTEXT}
path = sys.argv[2]

async def main():
    server = ModbusSerialServer(ModbusServerContext(slaves=slaves, single=False), framer=ModbusRtuFramer, port=path, baudrate=19200)
    await server.start()
    print("ready", flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
`;

/** Debian's pymodbus as a Modbus RTU server on a serial device (one end of a pty pair). */
export async function startPymodbusRtuServer(map: RegisterMap, path: string): Promise<RunningServer> {
  const child = spawn('/usr/bin/python3', ['-c', PYMODBUS_RTU_SERVER, JSON.stringify(map), path], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitForLine(child, 'pymodbus RTU server');
  return { port: 0, stop: () => kill(child) };
}

export interface PtyPair {
  readonly a: string;
  readonly b: string;
  stop(): Promise<void>;
}

/** A connected pair of pseudo-terminals made by Debian's socat: what is written to one is read from the other. */
export async function startPtyPair(): Promise<PtyPair> {
  const child = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const paths: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stderr! });
    lines.on('line', (line) => {
      const m = /PTY is (\S+)/.exec(line);
      if (m) paths.push(m[1]!);
      if (/starting data transfer loop/.test(line)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`socat exited with ${code}`)));
    // A missing binary is an 'error' event (spawn socat ENOENT), not an exit: fail now, not at the test's timeout.
    child.once('error', (err) => reject(new Error(`socat could not start: ${err.message}`)));
  });
  return { a: paths[0]!, b: paths[1]!, stop: () => kill(child) };
}

function waitForLine(child: ChildProcess, what: string): Promise<string> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(line.trim()));
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}: ${stderr}`)));
    child.once('error', (err) => reject(new Error(`${what} could not start: ${err.message}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
