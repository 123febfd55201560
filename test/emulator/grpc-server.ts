import * as grpc from '@grpc/grpc-js';
import { Faults } from '../../local/emulator/faults.js';
import type { EmulatorContext } from '../../local/emulator/faults.js';
import { ManualClock } from '../fakes/manual-clock.js';

type Services = Array<{
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
}>;

/** A bare gRPC server on 127.0.0.1:<free port> serving one emulator module's services. */
export interface TestServer {
  port: number;
  close(): Promise<void>;
}

/** A module's context on a manual clock: emulated time moves only when the test moves it. */
export function testContext(clock: ManualClock = new ManualClock()): EmulatorContext {
  return { clock, faults: new Faults() };
}

export async function serve(services: Services): Promise<TestServer> {
  const server = new grpc.Server();
  for (const { definition, implementation } of services)
    server.addService(definition, implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return { port, close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())) };
}

/** Options every Google client in tests gets: loopback endpoint, insecure channel, no auth. */
export async function clientOptions(port: number) {
  const { googleAuthLibrary } = await import('google-gax');
  return {
    apiEndpoint: '127.0.0.1',
    port,
    sslCreds: grpc.credentials.createInsecure(),
    authClient: new googleAuthLibrary.PassThroughClient(),
  };
}
