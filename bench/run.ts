import { consoleRender } from './console-render';
import { eventsOverhead } from './events-overhead';
import { ingressMemory } from './ingress-memory';
import { ingressThroughput } from './ingress-throughput';
import { relayThroughput, signingOverhead } from './relay-throughput';
import { submitMemory } from './submit-memory';
import { submitThroughput } from './submit-throughput';
import { suppressionLatency } from './suppression-latency';
import { workerMemory } from './worker-memory';
import { workerThroughput } from './worker-throughput';

// One after another: each bench has the machine's two cores to itself (load generator and server).
const benches: [string, () => Promise<void>][] = [
  ['submit throughput', submitThroughput],
  ['submit path with events and a webhook subscription against without', eventsOverhead],
  ['submit latency against the suppression list size', suppressionLatency],
  ['submit memory across rounds', submitMemory],
  ['Worker isolate memory under submit load', workerMemory],
  ['Worker submit throughput and CPU against the Node entry', workerThroughput],
  ['console page rendering with 1,000 senders', consoleRender],
  ['relay throughput', relayThroughput],
  ['relay throughput with DKIM signing against without', signingOverhead],
  ['SMTP ingress against submitRawEmail', ingressThroughput],
  ['SMTP ingress memory for messages in flight', ingressMemory],
];

// `npm run bench -- <words>` runs only the benchmarks whose name contains them.
const only = process.argv.slice(2).join(' ').toLowerCase();

for (const [name, bench] of benches.filter(([name]) => name.toLowerCase().includes(only))) {
  const started = performance.now();
  console.log(`\n== ${name}`);
  await bench();
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
