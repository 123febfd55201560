import { systemClock } from '../../shared/ports/clock.js';
import type { Clock } from '../../shared/ports/clock.js';
import { createCloudRun } from './cloud-run.js';
import type { CloudRunState, CloudRunStateDocument } from './cloud-run.js';
import { Faults } from './faults.js';
import type { EmulatorContext } from './faults.js';
import { EmulatorServer } from './server.js';
import { readStateFile, writeStateFile } from './state-file.js';

export interface StartEmulatorOptions {
  /** 0 or absent: any free port. */
  port?: number;
  clock?: Clock;
  /** JSON file the Run and Artifact Registry state is loaded from at start and written to after every change. */
  stateFile?: string;
}

/** The running emulator: one gRPC server on loopback serving every emulated API. */
export interface Emulator {
  /** `127.0.0.1:PORT`, for `apiEndpoint`/`port` or PubSub's `apiEndpoint`. */
  address: string;
  port: number;
  faults: Faults;
  run: CloudRunState;
  // ── more API modules: add their state members here ──
  close(): Promise<void>;
}

/** Starts the emulator with every API module registered on one server. */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
  const ctx: EmulatorContext = { clock: options.clock ?? systemClock, faults: new Faults() };
  const server = new EmulatorServer();
  let loaded = false;
  const persist = (): void => {
    if (loaded && options.stateFile)
      writeStateFile(options.stateFile, { run: run.state.exportState() });
  };

  const run = createCloudRun(ctx, persist);
  server.add(run.services);
  // ── more API modules: create them with `ctx` and `server.add(module.services)` here ──

  if (options.stateFile) {
    const document = readStateFile(options.stateFile);
    if (document.run) run.state.importState(document.run as CloudRunStateDocument);
  }
  loaded = true;
  const port = await server.listen(options.port ?? 0);
  return {
    address: `127.0.0.1:${port}`,
    port,
    faults: ctx.faults,
    run: run.state,
    close: () => server.close(),
  };
}
