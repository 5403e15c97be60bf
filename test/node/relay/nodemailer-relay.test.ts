import { createNodemailerRelay } from '../../../src/relay/nodemailer-relay';
import { describeRelayContract } from '../../contracts/relay-contract';
import { localSinks, TEST_CA } from '../../support/smtp-sink';

describeRelayContract('nodemailer', {
  makeRelay: (endpoint, timeouts) => createNodemailerRelay({ endpoint, timeouts, ca: TEST_CA }),
  sinks: localSinks,
});
