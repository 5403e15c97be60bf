import { startStandaloneIngress } from './compose/smtp-ingress';
import { readStandaloneIngressSettings } from './ingress/standalone-settings';
import { runUntilSignalled } from './platform/run-until-signalled';
import { jsonLogger, systemRuntime } from './platform/system';

await runUntilSignalled(async () => {
  const ingress = await startStandaloneIngress(
    readStandaloneIngressSettings(process.env),
    systemRuntime(jsonLogger()),
  );
  for (const line of ingress.describe()) console.log(line);
  return ingress;
});
