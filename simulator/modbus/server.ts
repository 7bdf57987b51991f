/**
 * A small, fast Modbus TCP server on node:net. Frames are split and answered by the pure
 * codec (frame.ts) against a data model; several requests in one TCP chunk are answered
 * with one write, and a request split across chunks waits for its remainder.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { handleFrame, splitFrames, type ModbusDataModel } from './frame.js';

export interface ModbusTcpServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly model: ModbusDataModel;
}

export class ModbusTcpServer {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private boundPort = 0;
  requests = 0;

  constructor(private readonly options: ModbusTcpServerOptions) {}

  get port(): number {
    return this.boundPort;
  }

  get listening(): boolean {
    return this.server !== null;
  }

  /** Listen on the configured port, or on the port it had before when restarted. */
  async start(): Promise<number> {
    if (this.server) return this.boundPort;
    const server = createServer({ noDelay: true }, (socket) => this.serve(socket));
    const port = this.boundPort || this.options.port;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: this.options.host, port, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    this.boundPort = typeof address === 'object' && address ? address.port : port;
    this.server = server;
    return this.boundPort;
  }

  /** Stop listening and drop every client connection. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    let pending: Buffer | null = null;
    socket.on('data', (chunk: Buffer) => {
      const data: Buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
      const { frames, consumed, malformed } = splitFrames(data);
      const answers: Buffer[] = [];
      for (const frame of frames) {
        const answer = handleFrame(frame, this.options.model);
        if (answer) answers.push(answer);
      }
      this.requests += frames.length;
      if (answers.length === 1) socket.write(answers[0]!);
      else if (answers.length > 1) socket.write(Buffer.concat(answers));
      if (malformed) {
        // Not Modbus TCP: no way to find the next frame boundary.
        socket.destroy();
        return;
      }
      pending = consumed < data.length ? Buffer.from(data.subarray(consumed)) : null;
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }
}
