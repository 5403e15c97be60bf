import { fromBase64, toBase64 } from '../../crypto/base64';
import { derivedMac } from '../../crypto/derived-mac';
import { sameSecret } from '../../crypto/same-bytes';

/** Who is signed in, since when, and when they last did something. */
export interface ConsoleSession {
  tenancyId: string;
  userId: string;
  userName: string;
  /** Random per sign-in: the CSRF token is bound to it, so a token of another session never passes. */
  id: string;
  issuedAt: number;
  lastSeenAt: number;
}

export const SESSION_COOKIE = 'console_session';
export const IDLE_TIMEOUT_MS = 30 * 60_000; // a console left alone signs out
export const MAX_SESSION_MS = 12 * 60 * 60_000; // a working day, then sign in again
const MAX_COOKIE_CHARS = 2_048;
const KEY_INFO = 'console session hmac-sha256 v1';
const encoder = new TextEncoder();

const toBase64Url = (bytes: Uint8Array) =>
  toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const fromBase64Url = (text: string) => fromBase64(text.replace(/-/g, '+').replace(/_/g, '/'));

/**
 * Session cookies and CSRF tokens authenticated with HMAC-SHA-256 under a key derived from the service's
 * secret for this one use: the cookie carries the session, the server keeps nothing.
 */
export function consoleSessions(secret: string) {
  const sign = derivedMac(secret, KEY_INFO);
  const mac = async (text: string) => toBase64Url(await sign(text));

  return {
    async seal(session: ConsoleSession): Promise<string> {
      const payload = toBase64Url(encoder.encode(JSON.stringify(session)));
      return `${payload}.${await mac(`session\n${payload}`)}`;
    },

    /** The session a cookie holds, if it is ours, unaltered and neither idle too long nor too old at `now`. */
    async open(cookie: string | undefined, now: number): Promise<ConsoleSession | undefined> {
      if (!cookie || cookie.length > MAX_COOKIE_CHARS) return undefined;
      const [payload, given] = cookie.split('.');
      if (!payload || !given || !sameSecret(given, await mac(`session\n${payload}`))) return undefined;
      let session: ConsoleSession;
      try {
        session = JSON.parse(new TextDecoder().decode(fromBase64Url(payload))) as ConsoleSession;
      } catch {
        return undefined;
      }
      if (now - session.lastSeenAt > IDLE_TIMEOUT_MS || now - session.issuedAt > MAX_SESSION_MS)
        return undefined;
      return session;
    },

    /** The token every form of the session carries. */
    csrfToken: (session: ConsoleSession): Promise<string> => mac(`csrf\n${session.id}`),

    async checkCsrf(session: ConsoleSession, token: string | undefined): Promise<boolean> {
      return token !== undefined && sameSecret(token, await mac(`csrf\n${session.id}`));
    },
  };
}

export type ConsoleSessions = ReturnType<typeof consoleSessions>;
