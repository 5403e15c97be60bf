import { readStandaloneIngressSettings } from '../config/standalone-ingress-env';
import { runUntilSignalled } from '../platform/run-until-signalled';
import { jsonLogger, systemRuntime } from '../platform/system';
import { startStandaloneIngress } from './start-standalone-ingress';

await runUntilSignalled(async () => {
  const ingress = await startStandaloneIngress(
    readStandaloneIngressSettings(process.env),
    systemRuntime(jsonLogger()),
  );
  for (const line of ingress.describe()) console.log(line);
  return ingress;
});
