import { describe, expect, it } from 'vitest';
import { withListUnsubscribe } from '../../../src/domain/feedback/list-unsubscribe';
import { belowTrace, receivedField } from '../../../src/mime/received-field';

const base = {
  by: 'mail.example.net',
  protocol: 'ESMTPSA' as const,
  id: 'abc123',
  date: new Date('2026-01-02T03:04:05Z'),
};

describe('Received field (RFC 5321 section 4.4)', () => {
  it('names the client, this host, the protocol, the id, the one recipient and the time', () => {
    expect(
      receivedField({
        ...base,
        helo: 'client.example.org',
        clientAddress: '192.0.2.7',
        recipients: ['a@example.net'],
      }),
    ).toBe(
      'Received: from client.example.org ([192.0.2.7])\r\n\tby mail.example.net (edge email delivery) with ESMTPSA id abc123\r\n\tfor <a@example.net>; Fri, 02 Jan 2026 03:04:05 +0000\r\n',
    );
  });

  it('names no recipient when there are several, and writes IPv6 and mapped IPv4 addresses as literals', () => {
    const two = receivedField({ ...base, clientAddress: '2001:db8::1', recipients: ['a@x.net', 'b@x.net'] });
    expect(two).toContain('from unknown ([IPv6:2001:db8::1])');
    expect(two).not.toContain('for <');
    expect(receivedField({ ...base, clientAddress: '::ffff:192.0.2.7', recipients: [] })).toContain(
      '([192.0.2.7])',
    );
  });

  it('never lets a client-chosen EHLO name add a line or a field', () => {
    for (const helo of ['evil\r\nBcc: x@y', 'a b', 'x'.repeat(300), 'name;comment', '(x)']) {
      const field = receivedField({ ...base, helo, recipients: [] });
      expect(field).toMatch(/^Received: from unknown\r\n/);
      expect(field.split('\r\n')).toHaveLength(3);
    }
  });
});

describe('fields added after a hop wrote its trace', () => {
  it('go below the leading Received fields, so the trace stays on top', () => {
    const message = 'Received: from a\r\n\tby b; now\r\nReceived: from c\r\nSubject: hi\r\n\r\nbody\r\n';
    expect(belowTrace(message, 'X-Added: 1\r\n')).toBe(
      'Received: from a\r\n\tby b; now\r\nReceived: from c\r\nX-Added: 1\r\nSubject: hi\r\n\r\nbody\r\n',
    );
    expect(belowTrace('Subject: hi\r\n\r\n', 'X-Added: 1\r\n')).toBe('X-Added: 1\r\nSubject: hi\r\n\r\n');
  });

  it('one-click unsubscribe fields included', () => {
    const message = 'Received: from a\r\n\tby b; now\r\nSubject: hi\r\n\r\nbody\r\n';
    expect(withListUnsubscribe(message, 'https://x.test/u/1')).toBe(
      'Received: from a\r\n\tby b; now\r\nList-Unsubscribe: <https://x.test/u/1>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\nSubject: hi\r\n\r\nbody\r\n',
    );
  });
});
