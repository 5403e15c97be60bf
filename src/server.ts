import { startNodeServer } from './platform/node-server';
import { runUntilSignalled } from './platform/run-until-signalled';

await runUntilSignalled(() => startNodeServer(process.env, { smtpIngress: true }));
