import { describe, expect, it } from 'vitest';
import {
  FROM,
  mailbox,
  mailText,
  rawMessage,
  ingressServicesStoppedBy,
  transport,
  type Security,
} from './ingress-world';
import { cleanupAfterEach } from '../../support/cleanup';

const cleanup = cleanupAfterEach();

const service = ingressServicesStoppedBy(cleanup);

const sessions: [Security, 'PLAIN' | 'LOGIN'][] = [
  ['starttls', 'PLAIN'],
  ['starttls', 'LOGIN'],
  ['implicit', 'PLAIN'],
  ['implicit', 'LOGIN'],
];

describe('SMTP submission with nodemailer', () => {
  it.each(sessions)(
    'delivers over %s with AUTH %s, Bcc delivered and invisible, each copy once',
    async (security, method) => {
      const svc = await service();
      const mailer = transport(svc, security, method);
      cleanup.push(() => Promise.resolve(mailer.close()));
      const info = await mailer.sendMail({
        from: `App <${FROM}>`,
        to: 'to@example.net',
        cc: 'cc@example.net',
        bcc: 'hidden@example.net',
        subject: `over ${security} ${method}`,
        text: 'Hello over SMTP.',
      });
      expect(info.accepted.sort()).toEqual(['cc@example.net', 'hidden@example.net', 'to@example.net']);
      expect(info.response).toMatch(/^250 2\.0\.0 Ok: queued as <.+>$/);

      const items = await mailbox(svc, 3);
      expect(items.map((item) => item.rcptTo).sort()).toEqual([
        ['cc@example.net'],
        ['hidden@example.net'],
        ['to@example.net'],
      ]);
      expect(items.every((item) => item.mailFrom === FROM)).toBe(true);
      const texts = await Promise.all(items.map((item) => mailText(svc, item.id)));
      expect(new Set(texts).size).toBe(1);
      expect(texts[0]).toContain(`Subject: over ${security} ${method}\r\n`);
      expect(texts[0]).not.toMatch(/^bcc:/im);
      expect(texts[0]).not.toContain('hidden@example.net');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await mailbox(svc, 3)).toHaveLength(3);
    },
  );

  it('sends the raw message as written, envelope recipients only', async () => {
    const svc = await service();
    const mailer = transport(svc, 'implicit');
    cleanup.push(() => Promise.resolve(mailer.close()));
    await mailer.sendMail({
      envelope: { from: FROM, to: ['envelope-only@example.net'] },
      raw: rawMessage('raw envelope'),
    });
    const [item] = await mailbox(svc, 1);
    expect(item?.rcptTo).toEqual(['envelope-only@example.net']);
    const text = await mailText(svc, item!.id);
    expect(text).toContain('Subject: raw envelope\r\n');
    // One trace field, this hop's: the in-process submission adds no second one.
    expect(text).toMatch(
      /^Received: from \S+ \(\[127\.0\.0\.1\]\)\r\n\tby localhost \(edge email delivery\) with ESMTPSA id \w+\r\n\tfor <envelope-only@example\.net>; .+ \+0000\r\nMessage-ID: /,
    );
    expect(text.match(/^Received:/gm)).toHaveLength(1);
  });
});
