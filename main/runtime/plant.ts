/**
 * The built-in simulated plant as the runtime sees it: something the entry points start on
 * request and hand over. The runtime never imports the simulator itself (it also runs
 * against real PLCs, and a plant installation carries no simulator it does not use); the
 * server and desktop entry points pass `startSimulator` as the starter.
 */
export interface PlantRequest {
  readonly substations: number;
  /** Simulated seconds per real second. */
  readonly speed: number;
  /** 0: any free port. */
  readonly modbusPort: number;
  readonly opcuaPort: number;
  /** Serve OPC UA too (a device of the project reads the simulator over it). */
  readonly opcua: boolean;
  readonly pkiDir: string;
  readonly log: (message: string) => void;
}

export interface StartedPlant {
  readonly host: string;
  readonly modbusPort: number;
  readonly opcuaEndpoint: string | null;
  close(): Promise<void>;
}

export type PlantStarter = (request: PlantRequest) => Promise<StartedPlant>;
