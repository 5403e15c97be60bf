import { startNodeServer } from './compose/node';
import { runUntilSignalled } from './platform/run-until-signalled';

await runUntilSignalled(() => startNodeServer(process.env, { smtpIngress: true }));
