import { describe, expect, it } from 'vitest';
import { describeRelay, parseRelayUrl, redactRelayUrls } from '../../../src/relay/relay-url';

describe('parseRelayUrl', () => {
  it('reads smtps:// as implicit TLS on 465 and smtp:// as STARTTLS on 587', () => {
    expect(parseRelayUrl('smtps://user:pass@smtp.example.com')).toEqual({
      ok: true,
      endpoint: {
        host: 'smtp.example.com',
        port: 465,
        tls: 'implicit',
        auth: { user: 'user', pass: 'pass' },
      },
    });
    expect(parseRelayUrl('smtp://user:pass@smtp.example.com')).toEqual({
      ok: true,
      endpoint: {
        host: 'smtp.example.com',
        port: 587,
        tls: 'starttls',
        auth: { user: 'user', pass: 'pass' },
      },
    });
  });

  it('keeps an explicit port, lower-cases the host and accepts IPv4 literals', () => {
    expect(parseRelayUrl('smtp://u:p@SMTP.Email.US-Phoenix-1.OCI.OracleCloud.com:2525/')).toMatchObject({
      ok: true,
      endpoint: { host: 'smtp.email.us-phoenix-1.oci.oraclecloud.com', port: 2525 },
    });
    expect(parseRelayUrl('smtps://127.0.0.1:10465')).toMatchObject({
      ok: true,
      endpoint: { host: '127.0.0.1', port: 10465, auth: undefined },
    });
  });

  it('percent-decodes credentials, as OCI user names contain @', () => {
    const url =
      'smtp://ocid1.user.oc1..aaaa%40ocid1.tenancy.oc1..bbbb.xy.com:p%40ss%3Aw%2Frd@smtp.example.com';
    expect(parseRelayUrl(url)).toMatchObject({
      ok: true,
      endpoint: { auth: { user: 'ocid1.user.oc1..aaaa@ocid1.tenancy.oc1..bbbb.xy.com', pass: 'p@ss:w/rd' } },
    });
  });

  it.each([
    ['http://u:p@smtp.example.com', /smtp:\/\/ or smtps:\/\//],
    ['smtp://u:p@smtp.example.com/path', /path/],
    ['smtp://u:p@smtp.example.com?auth=login', /query/],
    ['smtp://u:p@smtp.example.com#x', /fragment/],
    ['smtp://u@smtp.example.com', /both a user name and a password/],
    ['smtp://:p@smtp.example.com', /both a user name and a password/],
    ['smtp://u:%zz@smtp.example.com', /percent-encoding/],
    ['smtp://u:p@smtp.example.com:0', /port/],
    ['smtp://u:p@smtp.example.com:70000', /not a URL/],
    ['smtp://u:p@under_score.example.com', /host/],
    ['smtp://u:p@[::1]', /host/],
    ['not a url with secret-password', /not a URL/],
    [`smtp://u:${'p'.repeat(3_000)}@smtp.example.com`, /2048/],
  ])('refuses %j without repeating it', (url, problem) => {
    const parsed = parseRelayUrl(url);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problem).toMatch(problem);
    expect(parsed.problem).not.toMatch(/secret-password|u:p|ppp/);
  });
});

describe('describeRelay', () => {
  it('never shows credentials', () => {
    const parsed = parseRelayUrl('smtps://user:hunter22@smtp.example.com');
    if (!parsed.ok) throw new Error(parsed.problem);
    expect(describeRelay(parsed.endpoint)).toBe('smtps://[redacted]@smtp.example.com:465');
    expect(describeRelay({ ...parsed.endpoint, auth: undefined, tls: 'starttls', port: 587 })).toBe(
      'smtp://smtp.example.com:587',
    );
  });
});

describe('redactRelayUrls', () => {
  it('replaces the credentials of any relay URL in a text', () => {
    expect(redactRelayUrls('bad RELAY_URL=smtp://user:hunter22@host:587 and SMTPS://a:b@c')).toBe(
      'bad RELAY_URL=smtp://[redacted]@host:587 and SMTPS://[redacted]@c',
    );
  });

  it('also hides a password with an unencoded @', () => {
    expect(redactRelayUrls('smtp://user:hun@ter@host')).toBe('smtp://[redacted]@host');
  });
});
