import { dkimVerify } from 'mailauth/lib/dkim/verify';

export interface DkimVerdict {
  /** mailauth's result for the first signature: 'pass', 'fail', 'neutral', 'none'... */
  result: string;
  domain: string | undefined;
  selector: string | undefined;
  /** Lower-case names of the header fields the signature covers, in h= order. */
  signedHeaders: string[];
  comment: string | undefined;
}

/** TXT records by name (no trailing dot), as a test DoH zone holds them. */
export type TxtLookup = (name: string) => string[] | undefined;

/** Verifies the message's first DKIM signature with mailauth, an implementation independent of ours. */
export async function verifiedDkim(raw: string, txt: TxtLookup): Promise<DkimVerdict> {
  const resolver = (name: string, type: string): Promise<string[][]> => {
    const records = type === 'TXT' ? txt(name.replace(/\.$/, '')) : undefined;
    if (!records)
      return Promise.reject(Object.assign(new Error(`no ${type} at ${name}`), { code: 'ENOTFOUND' }));
    return Promise.resolve(records.map((record) => [record]));
  };
  const { results } = await dkimVerify(Buffer.from(raw), { resolver });
  const [first] = results;
  return {
    result: first?.status.result ?? 'none',
    domain: first?.signingDomain,
    selector: first?.selector,
    signedHeaders: (first?.signingHeaders?.keys ?? '')
      .split(':')
      .map((name: string) => name.trim().toLowerCase())
      .filter(Boolean),
    comment: first?.status.comment,
  };
}
