import { ADMIN_USER_NAME } from '../../../src/domain/identity/bootstrap';
import { expect } from 'vitest';
import { createWorld, PHX, type World } from '../../support/world';

/** A browser's cookie jar for one origin, enough for the console's two cookies. */
export class Browser {
  private cookies = new Map<string, string>();
  constructor(private readonly world: World) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const response = await this.world.app.request(`http://127.0.0.1${path}`, {
      headers: { cookie: this.cookieHeader, ...headers },
    });
    this.remember(response);
    return response;
  }

  async post(path: string, form: Record<string, string | string[]>, headers: Record<string, string> = {}) {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(form)) {
      for (const one of Array.isArray(value) ? value : [value]) body.append(key, one);
    }
    const response = await this.world.app.request(`http://127.0.0.1${path}`, {
      method: 'POST',
      body,
      headers: {
        cookie: this.cookieHeader,
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://127.0.0.1',
        ...headers,
      },
    });
    this.remember(response);
    return response;
  }

  /** The CSRF token of the forms on a page. */
  static csrfOf(html: string): string {
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (!token) throw new Error('no CSRF token on the page');
    return token;
  }
}

export const CONSOLE_SECRETS_KEY = 'a-console-test-secrets-key-of-32+chars';

/** A world with the console on (SECRETS_KEY set) and a console password for its administrator. */
export async function consoleWorld(overrides: Parameters<typeof createWorld>[0] = {}) {
  const world = createWorld({ SECRETS_KEY: CONSOLE_SECRETS_KEY, ...overrides });
  const admin = await world.admin();
  const reset = await world.request('POST', `/20160918/users/${admin.userId}/uiPassword`);
  expect(reset.status).toBe(200);
  const { password } = (await reset.json()) as { password: string };
  return { world, admin, password };
}

/** Signs in as the administrator and answers the browser holding the session. */
export async function signedIn(world: World, password: string, userName = ADMIN_USER_NAME): Promise<Browser> {
  const browser = new Browser(world);
  const response = await browser.post('/console/sign-in', { userName, password });
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe('/console/senders');
  return browser;
}

export { PHX };
