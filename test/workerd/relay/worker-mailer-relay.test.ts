import { describe, expect, inject, it } from 'vitest';
import { ConfigError } from '../../../src/config/settings';
import { createWorkerMailerRelay } from '../../../src/relay/worker-mailer-relay';
import { describeRelayContract } from '../../contracts/relay-contract';
import { remoteSinks } from '../../support/remote-sinks';

describeRelayContract('worker-mailer', {
  makeRelay: (endpoint, timeouts) => createWorkerMailerRelay({ endpoint, timeouts }),
  sinks: remoteSinks(inject('smtpSinkControl')),
});

describe('worker-mailer relay', () => {
  it('refuses port 25, which Workers cannot reach', () => {
    const endpoint = {
      host: 'smtp.example.com',
      port: 25,
      tls: 'starttls',
      auth: { user: 'u', pass: 'secret-pass' },
    } as const;
    expect(() => createWorkerMailerRelay({ endpoint })).toThrow(ConfigError);
    expect(() => createWorkerMailerRelay({ endpoint })).toThrow(/port 25/);
    expect(() => createWorkerMailerRelay({ endpoint })).not.toThrow(/secret-pass/);
  });
});
