// A client of the standard gRPC server reflection service (v1 or v1alpha), for
// tools and tests that discover a node's services without our .proto: the
// library ships the reflection protos, loaded here from its package.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const PROTO_DIR = join(dirname(createRequire(import.meta.url).resolve('@grpc/reflection/package.json')), 'build/proto/grpc/reflection');

export type ReflectionClient = grpc.Client & { ServerReflectionInfo(): grpc.ClientDuplexStream<object, Record<string, unknown>> };

/** A reflection client of `version` for `address`, on `credentials` (plaintext by default). */
export function reflectionClient(version: 'v1' | 'v1alpha', address: string, credentials = grpc.credentials.createInsecure()): ReflectionClient {
  const def = protoLoader.loadSync(join(PROTO_DIR, version, 'reflection.proto'), { keepCase: true, defaults: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { grpc: { reflection: Record<string, { ServerReflection: grpc.ServiceClientConstructor }> } };
  return new pkg.grpc.reflection[version]!.ServerReflection(address, credentials) as unknown as ReflectionClient;
}

/** One request on its own reflection stream; resolves with the first answer (the stream is then ended). */
export function askReflection(client: ReflectionClient, req: object): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const call = client.ServerReflectionInfo();
    call.on('data', (r: Record<string, unknown>) => {
      resolve(r);
      call.end();
    });
    call.on('error', reject);
    call.write(req);
  });
}
