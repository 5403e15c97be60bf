import { describe, expect, it } from 'vitest';
import { afterAuth, beforeAuth } from '../../../src/ingress/decisions/auth';
import { afterSubmit, tooBig } from '../../../src/ingress/decisions/data';
import { afterSenderCheck, beforeMailFrom } from '../../../src/ingress/decisions/mail-from';
import { afterSuppressionCheck, beforeRcptTo } from '../../../src/ingress/decisions/rcpt-to';
import { regionForTls } from '../../../src/ingress/decisions/tls-region';
import { createFailedAuthLimiter, FAILED_AUTH_LIMITS } from '../../../src/domain/identity/failed-logins';
import { manualClock } from '../../support/fixed-runtime';

const codes = (r: { code: number; enhanced: string } | undefined) => r && `${r.code} ${r.enhanced}`;

describe('ingress decisions (no sockets)', () => {
  it('AUTH: only over TLS, not for a throttled address; the login result picks the reply', () => {
    expect(codes(beforeAuth({ secure: false, throttled: false }))).toBe('530 5.7.0');
    expect(codes(beforeAuth({ secure: true, throttled: true }))).toBe('454 4.7.0');
    expect(beforeAuth({ secure: true, throttled: false })).toBeUndefined();
    expect(codes(afterAuth('ok'))).toBe('235 2.7.0');
    expect(codes(afterAuth('invalid'))).toBe('535 5.7.8');
    expect(codes(afterAuth('unavailable'))).toBe('454 4.7.0');
  });

  it('MAIL FROM: TLS, then a login, then a usable approved sender', () => {
    const facts = { secure: true, authenticated: true, address: 'app@example.com' };
    expect(codes(beforeMailFrom({ ...facts, secure: false }))).toBe('530 5.7.0');
    expect(codes(beforeMailFrom({ ...facts, authenticated: false }))).toBe('530 5.7.0');
    expect(codes(beforeMailFrom({ ...facts, address: '' }))).toBe('550 5.7.1');
    expect(codes(beforeMailFrom({ ...facts, address: 'a b@example.com' }))).toBe('553 5.1.7');
    expect(beforeMailFrom(facts)).toBeUndefined();
    const region = 'us-phoenix-1';
    expect(codes(afterSenderCheck({ kind: 'approved', compartmentId: 'c' }, 'a@x.com', region))).toBe(
      '250 2.1.0',
    );
    expect(afterSenderCheck({ kind: 'refused' }, 'a@x.com', region)).toEqual({
      code: 550,
      enhanced: '5.7.1',
      message: 'a@x.com is not an active approved sender in region us-phoenix-1 that you may use',
    });
    expect(codes(afterSenderCheck({ kind: 'unavailable', detail: 'x' }, 'a@x.com', region))).toBe(
      '451 4.3.0',
    );
  });

  it('RCPT TO: bounded count, well-formed, suppressed refused for good', () => {
    const facts = { address: 'to@example.net', accepted: 0, maxRecipients: 2 };
    expect(beforeRcptTo(facts)).toBeUndefined();
    expect(codes(beforeRcptTo({ ...facts, accepted: 2 }))).toBe('452 4.5.3');
    expect(codes(beforeRcptTo({ ...facts, address: 'bad\r\n@x' }))).toBe('501 5.1.3');
    expect(codes(afterSuppressionCheck('clear', 'to@example.net', 'r'))).toBe('250 2.1.5');
    expect(afterSuppressionCheck('suppressed', 'to@example.net', 'r').message).toBe(
      'Recipient suppressed: to@example.net is on the suppression list of region r',
    );
    expect(codes(afterSuppressionCheck('suppressed', 'to@example.net', 'r'))).toBe('550 5.7.1');
    expect(codes(afterSuppressionCheck('unavailable', 'to@example.net', 'r'))).toBe('451 4.3.0');
  });

  it('DATA: API answers map to SMTP so that only what can succeed is retried', () => {
    const refused = (status: number, code: string) =>
      codes(afterSubmit({ kind: 'refused', status, code, message: 'why' }));
    expect(codes(afterSubmit({ kind: 'accepted', messageId: 'm@x', suppressedRecipients: [] }))).toBe(
      '250 2.0.0',
    );
    expect(refused(400, 'InvalidParameter')).toBe('554 5.6.0');
    expect(refused(409, 'Conflict')).toBe('554 5.6.0');
    expect(refused(404, 'NotAuthorizedOrNotFound')).toBe('550 5.7.1');
    expect(refused(401, 'NotAuthenticated')).toBe('550 5.7.1');
    expect(refused(413, 'PayloadTooLarge')).toBe('552 5.3.4');
    expect(refused(429, 'TooManyRequests')).toBe('451 4.7.1');
    expect(refused(500, 'InternalServerError')).toBe('451 4.3.0');
    expect(refused(503, 'ServiceUnavailable')).toBe('451 4.3.0');
    expect(codes(afterSubmit({ kind: 'unavailable', detail: 'socket hang up' }))).toBe('451 4.3.0');
    expect(afterSubmit({ kind: 'refused', status: 400, code: 'x', message: 'a\r\nb' }).message).toBe('a b');
    expect(
      afterSubmit({ kind: 'refused', status: 500, code: 'x', message: 'internals' }).message,
    ).not.toContain('internals');
    expect(codes(tooBig(10))).toBe('552 5.3.4');
  });

  it('TLS name: smtp.email.<region>.<domain> picks a served region; other names keep the listener region', () => {
    const facts = {
      listenerRegion: 'us-phoenix-1',
      served: ['us-phoenix-1', 'us-ashburn-1'],
      baseDomain: 'example.net',
    };
    const pick = (servername: string | undefined) => regionForTls({ ...facts, servername });
    expect(pick('smtp.email.us-ashburn-1.example.net')).toEqual({ kind: 'region', region: 'us-ashburn-1' });
    expect(pick('SMTP.EMAIL.US-ASHBURN-1.EXAMPLE.NET')).toEqual({ kind: 'region', region: 'us-ashburn-1' });
    expect(pick(undefined)).toEqual({ kind: 'region', region: 'us-phoenix-1' });
    expect(pick('localhost')).toEqual({ kind: 'region', region: 'us-phoenix-1' });
    expect(pick('smtp.email.eu-frankfurt-1.example.org')).toEqual({ kind: 'region', region: 'us-phoenix-1' });
    const refused = pick('smtp.email.eu-frankfurt-1.example.net');
    expect(refused.kind === 'refuse' && codes(refused.reply)).toBe('554 5.7.0');
    expect(regionForTls({ ...facts, baseDomain: undefined, servername: 'smtp.email.x.example.net' })).toEqual(
      {
        kind: 'region',
        region: 'us-phoenix-1',
      },
    );
  });
});

describe('failed-login limiter', () => {
  const limits = { maxFailures: 3, windowMs: 60_000, maxTracked: 4 };
  const from = (address: string, username = 'someone') => ({ address, username });

  it('throttles an address after its failures in a window, and forgets them when the window ends', () => {
    const clock = manualClock();
    const limiter = createFailedAuthLimiter(clock, limits);
    for (let i = 0; i < 3; i++) {
      expect(limiter.isThrottled(from('10.0.0.1', `user${String(i)}`))).toBe(false);
      limiter.recordFailure(from('10.0.0.1', `user${String(i)}`));
    }
    expect(limiter.isThrottled(from('10.0.0.1', 'fresh'))).toBe(true);
    expect(limiter.isThrottled(from('10.0.0.2', 'fresh'))).toBe(false);
    clock.advance(59_999);
    expect(limiter.isThrottled(from('10.0.0.1', 'fresh'))).toBe(true);
    clock.advance(1);
    expect(limiter.isThrottled(from('10.0.0.1', 'fresh'))).toBe(false);
  });

  it('throttles a username guessed at from many addresses', () => {
    const limiter = createFailedAuthLimiter(manualClock(), limits);
    for (const address of ['a', 'b', 'c']) limiter.recordFailure(from(address, 'Victim'));
    expect(limiter.isThrottled(from('d', 'victim'))).toBe(true);
    expect(limiter.isThrottled(from('d', 'other'))).toBe(false);
  });

  it('a success clears only its own username: wrong guesses against another keep counting', () => {
    const limiter = createFailedAuthLimiter(manualClock(), limits);
    for (let round = 0; round < 2; round++) {
      limiter.recordFailure(from('attacker', 'victim'));
      limiter.recordSuccess(from('attacker', 'own'));
    }
    limiter.recordFailure(from('attacker', 'victim'));
    expect(limiter.isThrottled(from('attacker', 'own'))).toBe(true);
    expect(limiter.isThrottled(from('elsewhere', 'victim'))).toBe(true);
  });

  it('stays bounded by forgetting the oldest entries', () => {
    const limiter = createFailedAuthLimiter(manualClock(), limits);
    for (const address of ['b', 'c', 'd'])
      for (let i = 0; i < 3; i++) limiter.recordFailure(from(address, address));
    expect(limiter.isThrottled(from('b', 'x'))).toBe(false);
    expect(limiter.isThrottled(from('d', 'x'))).toBe(true);
    expect(FAILED_AUTH_LIMITS.maxFailures).toBeGreaterThan(1);
  });
});
