import { describe, expect, it } from 'vitest';
import { parseSpfRecord, selectSpfRecord } from '../../../src/domain/spf/parse-record';

describe('SPF record selection and syntax (RFC 7208 sections 4.5 and 4.6)', () => {
  it('picks the one record whose version is exactly v=spf1', () => {
    expect(selectSpfRecord(['v=spf10 -all', 'v=spf1', 'spf2.0/pra -all'])).toEqual({
      count: 1,
      record: 'v=spf1',
    });
    expect(selectSpfRecord(['v=spf1 -all', 'v=spf1 +all'])).toEqual({ count: 2 });
    expect(selectSpfRecord(['hello'])).toEqual({ count: 0 });
  });

  it('reads qualifiers, mechanisms and modifiers in any case', () => {
    const parsed = parseSpfRecord(
      'v=spf1  IP4:192.0.2.0/24 -a:mail.example.com/28//64 ~MX ?exists:%{i}.x.example ptr include:_spf.example.com Redirect=b.example unknown-mod=%{d} -ALL ',
    );
    if (!parsed.ok) throw new Error(parsed.problem);
    expect(parsed.record.directives.map((d) => `${d.qualifier}${d.mechanism.kind}`)).toEqual([
      '+ip4',
      '-a',
      '~mx',
      '?exists',
      '+ptr',
      '+include',
      '-all',
    ]);
    expect(parsed.record.directives[1]?.mechanism).toMatchObject({ kind: 'a', prefix4: 28, prefix6: 64 });
    expect(parsed.record.redirect?.term).toBe('Redirect=b.example');
    expect(parsed.record.hasAll).toBe(true);
  });

  it('refuses records with any syntax error', () => {
    for (const record of [
      'v=spf1 ip4:192.0.2.0/33',
      'v=spf1 ip4:192.0.2.0/024',
      'v=spf1 ip6:2001:db8::/129',
      'v=spf1 a/33',
      'v=spf1 all:x',
      'v=spf1 include',
      'v=spf1 include:',
      'v=spf1 exists',
      'v=spf1 frobnicate',
      'v=spf1 redirect=a.example redirect=b.example',
      'v=spf1 exp=a.example exp=b.example',
      'v=spf1 mod=%x',
      'v=spf1 =x',
    ]) {
      expect(parseSpfRecord(record).ok, record).toBe(false);
    }
  });
});
