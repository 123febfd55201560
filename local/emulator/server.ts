import * as grpc from '@grpc/grpc-js';

/** One gRPC service an API module serves. */
export interface ServiceBinding {
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
}

/** What every emulated API module returns: its gRPC services and its state API for tests and the platform. */
export interface EmulatorModule<State> {
  services: ServiceBinding[];
  state: State;
}

/**
 * The emulator's one gRPC server on loopback (insecure credentials, as the clients are configured for
 * local endpoints). Modules add their services before `listen`; methods a module leaves out answer
 * UNIMPLEMENTED, as grpc-js does by default.
 */
export class EmulatorServer {
  private readonly server = new grpc.Server();
  private boundPort: number | null = null;

  add(services: ServiceBinding[]): void {
    for (const { definition, implementation } of services)
      this.server.addService(definition, implementation);
  }

  /** Binds `127.0.0.1:<port>` (0 = any free port) and resolves with the bound port. */
  listen(port = 0): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.bindAsync(
        `127.0.0.1:${port}`,
        grpc.ServerCredentials.createInsecure(),
        (error, bound) => {
          if (error)
            return reject(
              new Error(`emulator could not bind 127.0.0.1:${port}: ${error.message}`, {
                cause: error,
              }),
            );
          this.boundPort = bound;
          resolve(bound);
        },
      );
    });
  }

  get port(): number {
    if (this.boundPort === null) throw new Error('emulator server is not listening');
    return this.boundPort;
  }

  /** Stops accepting calls and waits for running calls; forces the close after `graceMs`. */
  close(graceMs = 2000): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, graceMs);
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
