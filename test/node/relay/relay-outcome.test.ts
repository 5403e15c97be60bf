import { describe, expect, it } from 'vitest';
import { envelopeProblem } from '../../../src/relay/envelope';
import {
  failureOutcome,
  MAX_DETAIL_LENGTH,
  redactSecrets,
  sentOutcome,
} from '../../../src/relay/relay-outcome';

const SECRETS = ['s3cret/pass', 'relay-user'];

describe('failureOutcome', () => {
  it('takes kind, code and enhanced code from a 4yz or 5yz reply the error carries', () => {
    const error = Object.assign(new Error('x'), { responseCode: 550, response: '550 5.1.1 No such user' });
    expect(failureOutcome(error, [])).toEqual({
      kind: 'permanent',
      code: 550,
      enhanced: '5.1.1',
      detail: '550 5.1.1 No such user',
    });
    const busy = Object.assign(new Error('x'), { responseCode: 421, response: '421 4.3.2 Try later' });
    expect(failureOutcome(busy, [])).toMatchObject({ kind: 'transient', code: 421, enhanced: '4.3.2' });
  });

  it('treats an error without a reply as a transient connection failure', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNECTION' });
    expect(failureOutcome(refused, [])).toEqual({
      kind: 'transient',
      code: undefined,
      enhanced: undefined,
      detail: 'no reply from the relay: connect ECONNREFUSED 127.0.0.1:1',
    });
  });

  it('never reads success into a failure that carries a 2yz or 3yz reply', () => {
    const odd = Object.assign(new Error('Failed to start TLS'), { responseCode: 250, response: '250 ok' });
    expect(failureOutcome(odd, [])).toMatchObject({ kind: 'transient', code: undefined });
  });

  it('copes with values that are not errors', () => {
    expect(failureOutcome('boom', [])).toMatchObject({
      kind: 'transient',
      detail: 'no reply from the relay: unknown error',
    });
    expect(failureOutcome(undefined, [])).toMatchObject({ kind: 'transient' });
  });

  it('removes credentials, control characters and excess length from the detail', () => {
    const echoed = Object.assign(new Error('x'), {
      response: `535 5.7.8 bad login relay-user:s3cret/pass (s3cret%2Fpass)\u0007 ${'x'.repeat(3_000)}`,
    });
    const outcome = failureOutcome(echoed, SECRETS);
    expect(outcome.detail).not.toMatch(/relay-user|s3cret/);
    expect(outcome.detail).toContain('[redacted]:[redacted] ([redacted])');
    expect(outcome.detail).not.toContain('\u0007');
    expect(outcome.detail.length).toBeLessThanOrEqual(MAX_DETAIL_LENGTH);
  });
});

describe('sentOutcome', () => {
  it('reports the final reply', () => {
    expect(sentOutcome('250 2.0.0 Ok: queued as 4ABC', [])).toEqual({
      kind: 'sent',
      code: 250,
      enhanced: '2.0.0',
      detail: '250 2.0.0 Ok: queued as 4ABC',
    });
  });

  it('stays sent when the accepted reply cannot be parsed', () => {
    expect(sentOutcome('OK', [])).toEqual({
      kind: 'sent',
      code: undefined,
      enhanced: undefined,
      detail: 'OK',
    });
  });
});

describe('redactSecrets', () => {
  it('ignores empty secrets', () => {
    expect(redactSecrets('nothing to hide', ['', 'absent'])).toBe('nothing to hide');
  });
});

describe('envelopeProblem', () => {
  const ok = { from: 'sender@example.test', to: 'rcpt@example.test', raw: 'Subject: x\r\n\r\nx\r\n' };

  it('lets ordinary mailboxes through, international ones included', () => {
    expect(envelopeProblem(ok)).toBeUndefined();
    expect(envelopeProblem({ ...ok, to: 'josé@exämple.test' })).toBeUndefined();
  });

  it.each([
    'rcpt@example.test>\r\nRCPT TO:<evil@example.test',
    'rcpt@example.test\n',
    'rcpt@example.test> NOTIFY=NEVER',
    '<rcpt@example.test>',
    'no-at-sign',
    'two@at@example.test',
    '',
    `${'a'.repeat(250)}@example.test`,
  ])('refuses recipient %j as permanent 5.1.3 without a code', (to) => {
    expect(envelopeProblem({ ...ok, to })).toMatchObject({
      kind: 'permanent',
      code: undefined,
      enhanced: '5.1.3',
    });
  });

  it('refuses a bad envelope sender as 5.1.7', () => {
    expect(envelopeProblem({ ...ok, from: 'a@b\r\nDATA' })).toMatchObject({
      kind: 'permanent',
      enhanced: '5.1.7',
    });
  });
});
