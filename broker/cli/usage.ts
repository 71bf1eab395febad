// The CLI's help text and its error for wrong usage.

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `usage: quorumq COMMAND [ARGS] [--server HOST:PORT[,HOST:PORT...]] [--json] [--timeout MS]

commands:
  server [flags]                      run a node (quorumq server --help for its flags)
  cluster status                      members, roles, term, commit/applied, match and lag, leader
  cluster add-node ID --peer HOST:PORT [--client HOST:PORT]
                                      add a node as a learner; it is promoted to voter once caught up
  cluster remove-node ID              remove a node from the cluster
  cluster transfer-leader ID          hand leadership to another voter
  cluster rebalance [--wait MS]       spread the data groups' leaders evenly over the live nodes now and wait
                                      (default 120000 ms) until they lead as planned; progress on stderr
  put KEY VALUE                       store a value (through any node; followers forward to the leader)
  get KEY [--local]                   read a value (linearizable unless --local)
  load [--count N] [--size B] [--concurrency C] [--prefix P]
                                      write N keys, with a progress bar
  stream declare|create NAME [--max-age DUR] [--max-bytes SIZE] [--max-messages N]
                 [--max-message-bytes SIZE] [--dedup-window DUR] [--discard old|reject]
                 [--partitions N]
                                      create a stream (again with the same settings: no-op);
                                      --partitions 1-64: one Raft group per partition, leaders
                                      spread, offsets per partition, limits per partition
  stream delete NAME | list | info NAME
                                      delete, list, or describe streams (info: per-node offsets)
  append STREAM [MESSAGE...] [--header k=v]... [--producer ID [--seq N]] [--key K]
                                      append the arguments as one atomic batch, or stdin lines;
                                      partitioned: --key picks the partition (same key, same one)
  append STREAM --count N --size SIZE [--batch B] [--concurrency C]
                                      append N generated messages, with a progress bar
  read STREAM [--from OFFSET|first|new] [--count N] [--follow] [--consistency local|linearizable]
             [--partition P]
                                      print messages; --follow keeps reading new ones;
                                      partitioned: every partition (each in order) or --partition P
  queue declare NAME [--max-messages N] [--max-bytes SIZE] [--max-message-bytes SIZE]
                [--overflow reject-publish|drop-head|reject-publish-dlx] [--ttl DUR]
                [--delivery-limit N|-1]
                [--ack-timeout DUR] [--dead-letter store|drop] [--max-dead-letters N]
                [--single-active-consumer] [--dead-letter-queue NAME]
                [--dead-letter-exchange X [--dead-letter-routing-key K]]
                [--retry-base DUR [--retry-max DUR] [--retry-factor F] [--retry-jitter PERCENT]]
                [--partitions N [--replicas R|all]]
                                      create a queue (again with the same settings: no-op);
                                      --partitions 1-64: one Raft group per partition, leaders spread;
                                      --replicas: members per partition, odd, up to the voters
                                      (default all: every voter, at most 5); any node serves it
  queue delete NAME | purge NAME | list | info NAME
                                      delete, empty, list, or describe queues
  queue get NAME [--count N] [--wait DUR] [--ack|--requeue|--reject|--keep] [--consumer C] [--lease DUR] [--priority P]
                                      the pull form: up to N messages (default 1), waiting up to DUR
                                      for them; settled as consume does (--keep: left to the consumer,
                                      returned to the queue when its lease lapses)
  publish QUEUE [MESSAGE...] [--header k=v]... [--priority P] [--ttl DUR] [--delay DUR]
                [--at TIME] [--id MESSAGE-ID] [--group KEY] [--producer ID [--seq N]]
                                      publish the arguments (or stdin lines) as one atomic batch;
                                      --producer/--seq: a retry stores nothing twice
  publish QUEUE --count N --size SIZE [--batch B] [--concurrency C]
                                      publish N generated messages, with a progress bar
  consume QUEUE [--prefetch N] [--priority P] [--count N] [--ack|--requeue|--reject] [--follow]
                                      print deliveries and settle each (ack by default); without
                                      --follow, stop once nothing arrives for a second
  dlq list|replay|purge QUEUE [--count N]
                                      the queue's dead letters: show, move back to the queue, or drop
  exchange declare NAME --type direct|topic|fanout|headers [--alternate EXCHANGE]
                                      create an exchange (again with the same settings: no-op)
  exchange delete NAME [--force] | list | info NAME
                                      delete (refused while bound unless --force), list, describe
                                      (routing stats, bindings with their matched counts)
  bind|unbind EXCHANGE (--queue Q | --stream S | --exchange X) [--key K] [--arg k=v]...
                                      bind a target to an exchange (headers: --arg x-match=any ...)
  publish --exchange X --key K [MESSAGE...] [--mandatory] [--header k=v]... [--producer ID [--seq N]]
                                      route the messages; they land in every target or in none
                                      (--exchange '' is the default exchange: key = queue name)
  tx [FILE|-] [--producer ID [--seq N]]
                                      apply operations all or none, as JSON (an array or one per line):
                                      {"exchange":X,"key":K,"messages":[..]} {"queue":Q,"messages":[..]}
                                      {"stream":S,"messages":[..]} {"settle":Q,"consumer":C,"ack":[tags]}
  cert init [--dir DIR] [--cluster-id ID] [--days N]
                                      make a cluster CA (DIR/ca.pem, DIR/ca-key.pem)
  cert issue node --id N [--host H1,H2] [--dir DIR] [--days N | --not-after DATE]
                                      a node certificate from the CA (DIR/node-N.pem, DIR/node-N-key.pem)
  cert issue client --name NAME [--dir DIR]
                                      a client certificate from the CA (DIR/client-NAME.pem, ...-key.pem)
  user add NAME [--configure P] [--write P] [--read P] [--admin]
                                      a user with these permissions (regular expressions on stream,
                                      queue, exchange and key names; --admin: membership and users);
                                      prints its token once
  user grant NAME [--configure P] [--write P] [--read P] [--admin]
  user revoke NAME configure|write|read|admin...
  user remove NAME | list | whoami
  user rotate-token NAME              a new token (admin, or the user itself); the old one stops working
  schedule add QUEUE NAME MESSAGE (--every DUR | --cron 'M H DOM MON DOW' (UTC)) [--first-at TIME] [--header k=v] [--priority P] [--ttl DUR] [--group KEY]
                                      publish MESSAGE every DUR (from TIME: ISO 8601 or ms since the epoch),
                                      once per due time, whatever the leader changes
  schedule list QUEUE | remove QUEUE NAME

  --version                           print the version (from package.json)

--server lists client addresses to try in order (default $QUORUMQ_SERVER or 127.0.0.1:7001);
whichever answers is used; a node's peer (7101) or metrics (7201) port is reported as not a client
port. --tls-ca FILE (or $QUORUMQ_TLS_CA) talks TLS to nodes run with --tls all, trusting that CA;
--tls-cert/--tls-key FILE ($QUORUMQ_TLS_CERT/_KEY) add a client certificate (cert issue client).
--token T ($QUORUMQ_TOKEN) or --token-file FILE ($QUORUMQ_TOKEN_FILE) for nodes run with --auth on.
--json prints machine-readable output. A node runs as \`quorumq server\` (dist/broker/cli/main.js
server); dist/broker/server/main.js is a module without a command line of its own.`;
