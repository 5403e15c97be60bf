/**
 * Send the same kind of mail over SMTP with the credential `first-mail.ts` made (STARTTLS on 2587,
 * trusting the local CA that `npm start` created):
 *
 *   npx tsx examples/send-smtp.ts
 *
 * Settings (all optional): EXAMPLE_DIR (./first-mail), SMTP_HOST (127.0.0.1), SMTP_PORT (2587),
 * SMTP_CA_FILE (data/tls/ca-cert.pem).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import nodemailer from 'nodemailer';

const outDir = resolve(process.env.EXAMPLE_DIR ?? 'first-mail');
const { smtpUsername, smtpPassword } = JSON.parse(readFileSync(join(outDir, 'result.json'), 'utf8')) as {
  smtpUsername: string;
  smtpPassword: string;
};

const transport = nodemailer.createTransport({
  host: process.env.SMTP_HOST ?? '127.0.0.1',
  port: Number(process.env.SMTP_PORT ?? 2587),
  requireTLS: true, // STARTTLS, then AUTH: the password never crosses in the clear
  tls: {
    ca: readFileSync(process.env.SMTP_CA_FILE ?? 'data/tls/ca-cert.pem', 'utf8'),
    servername: 'localhost',
  },
  auth: { user: smtpUsername, pass: smtpPassword },
});
const info = await transport.sendMail({
  from: 'Shop <noreply@example.com>',
  to: 'carol@example.net',
  subject: 'Your receipt, over SMTP',
  text: 'Thanks for your order.',
});
console.log(info.response);
transport.close();
