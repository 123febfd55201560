import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const require = createRequire(import.meta.url);

/** A package's folder, found from its main entry (some packages do not export package.json). */
function packageDir(name: string): string {
  const main = require.resolve(name);
  return main.slice(0, main.lastIndexOf(`node_modules/${name}/`) + `node_modules/${name}`.length);
}

/** The .proto folders shipped inside the Google client packages (and google-gax's common protos). */
export const PROTO_ROOTS = {
  run: join(packageDir('@google-cloud/run'), 'build', 'protos'),
  monitoring: join(packageDir('@google-cloud/monitoring'), 'build', 'protos'),
  artifactRegistry: join(packageDir('@google-cloud/artifact-registry'), 'build', 'protos'),
  pubsub: join(packageDir('@google-cloud/pubsub'), 'build', 'protos'),
  gax: join(packageDir('google-gax'), 'build', 'protos'),
} as const;

export type ProtoRoot = keyof typeof PROTO_ROOTS;

/**
 * Options that keep the wire format exact: proto field names as the proto declares them
 * (the client libraries send snake_case over gRPC), enums as strings, int64 as strings,
 * defaults omitted as proto3 does.
 */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: false,
  oneofs: true,
};

/** Loads one .proto file (path relative to the package's proto root) as a grpc-js package object. */
export function loadProto(root: ProtoRoot, file: string): grpc.GrpcObject {
  const definition = protoLoader.loadSync(file, {
    ...LOADER_OPTIONS,
    includeDirs: [PROTO_ROOTS[root], PROTO_ROOTS.gax],
  });
  return grpc.loadPackageDefinition(definition);
}

/** The service definition at a dotted path, e.g. `google.cloud.run.v2.Services`. */
export function serviceDefinition(pkg: grpc.GrpcObject, dotted: string): grpc.ServiceDefinition {
  let node: unknown = pkg;
  for (const part of dotted.split('.')) node = (node as Record<string, unknown>)[part];
  const service = (node as { service?: grpc.ServiceDefinition } | undefined)?.service;
  if (!service) throw new Error(`no gRPC service ${dotted} in the loaded protos`);
  return service;
}
