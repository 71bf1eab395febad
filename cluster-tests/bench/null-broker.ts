// A Broker server that stores nothing: AppendStream and unary Append answer
// every request at once (the SDK workload measures the client's own cost on
// the unary one). Run as a child process by the machine-limit workload, so the raw gRPC
// figure covers the same shapes (1 KiB messages, the same protobuf messages,
// two processes on loopback) as the cluster's append path, minus the broker.
// Prints "port <n>" on stdout once listening.

import * as grpc from '@grpc/grpc-js';
import { quorumqV1 } from '../../proto/load.js';
import type { AppendRequest__Output } from '../../proto/generated/quorumq/v1/AppendRequest.js';

const server = new grpc.Server();
let offset = 0;
server.addService(quorumqV1().Broker.service, {
  AppendStream: (call: grpc.ServerDuplexStream<AppendRequest__Output, unknown>) => {
    call.on('data', (req: AppendRequest__Output) => {
      const count = req.messages.length;
      call.write({ firstOffset: offset, count, timestamp: Date.now(), requestId: req.requestId, index: offset, leader: 1 });
      offset += count;
    });
    call.on('end', () => call.end());
    call.on('error', () => undefined);
  },
  Append: (call: grpc.ServerUnaryCall<AppendRequest__Output, unknown>, cb: grpc.sendUnaryData<unknown>) => {
    const count = call.request.messages.length;
    cb(null, { firstOffset: offset, count, timestamp: Date.now(), index: offset, leader: 1, duplicate: false });
    offset += count;
  },
});
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) throw err;
  process.stdout.write(`port ${port}\n`);
});
process.on('SIGTERM', () => server.forceShutdown());
