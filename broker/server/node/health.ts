// The standard gRPC health service (grpc.health.v1.Health) on the client
// port, for grpc_health_probe, grpcurl and Kubernetes gRPC probes. A node is
// SERVING — as a whole ("") and for quorumq.v1.Broker — once it is a member,
// knows a leader and has applied what it knows to be committed: the same rule
// as the metrics port's /readyz. Watch sends the status, then each change.

import * as grpc from '@grpc/grpc-js';
import type { NodeContext } from './context.js';

export const HEALTH_SERVICES = ['', 'quorumq.v1.Broker'] as const;

type Status = 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

/** How often Watch looks again (besides every apply). */
const WATCH_EVERY_MS = 500;

export function healthHandlers(ctx: NodeContext): grpc.UntypedServiceImplementation {
  const status = (service: string): Status => {
    if (!(HEALTH_SERVICES as readonly string[]).includes(service)) return 'SERVICE_UNKNOWN';
    return ctx.metrics.notReady() === undefined ? 'SERVING' : 'NOT_SERVING';
  };
  return {
    Check: (call: grpc.ServerUnaryCall<{ service: string }, { status: Status }>, callback: grpc.sendUnaryData<{ status: Status }>) => {
      const service = call.request.service ?? '';
      const s = status(service);
      if (s === 'SERVICE_UNKNOWN') callback({ code: grpc.status.NOT_FOUND, details: `unknown service "${service}"; this port serves "" and ${HEALTH_SERVICES.slice(1).join(', ')}` });
      else callback(null, { status: s });
    },
    Watch: (call: grpc.ServerWritableStream<{ service: string }, { status: Status }>) => {
      const service = call.request.service ?? '';
      let last: Status | undefined;
      let done = false;
      let timer: NodeJS.Timeout | undefined;
      let cancelApply: (() => void) | undefined;
      const look = (): void => {
        if (done) return;
        const s = status(service);
        if (s !== last) {
          last = s;
          call.write({ status: s });
        }
        cancelApply?.();
        cancelApply = ctx.applied.onNext(look);
        clearTimeout(timer);
        timer = setTimeout(look, WATCH_EVERY_MS);
      };
      const stop = (): void => {
        done = true;
        clearTimeout(timer);
        cancelApply?.();
      };
      call.on('cancelled', stop);
      call.on('error', stop);
      call.on('close', stop);
      look();
    },
  };
}
