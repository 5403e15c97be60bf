import { Hono, type Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { callerFor } from '../../domain/identity/access';
import { createFailedAuthLimiter } from '../../domain/identity/failed-logins';
import type { IdentityStore } from '../../domain/identity/ports';
import { verifyUiPassword } from '../../domain/identity/ui-password';
import type { CaptureMailboxReader, Resolver, Runtime } from '../../domain/ports';
import type { Regions } from '../../domain/regions';
import type { SubmitAddresses } from '../routes/configuration';
import { clientAddressOf } from '../client-address';
import { field, formOf, type ConsoleEnv } from './console-env';
import { Document } from './layout';
import { chooseLanguage, messagesOf, type Language, type Messages } from './messages';
import { securityHeaders } from './security-headers';
import { consoleSessions, SESSION_COOKIE, type ConsoleSession } from './session';
import { messagesPage } from './messages-page';
import { usersPages } from './users-page';
import { compartmentsPage } from './compartments-page';
import { configurationPage } from './configuration-page';
import { groupsPages } from './groups-pages';
import { policiesPages } from './policies-pages';
import type { ConsolePageDeps } from './page-parts';
import { sendersPages } from './senders-pages';
import { suppressionsPages } from './suppressions-page';

export interface ConsoleDeps extends SubmitAddresses {
  runtime: Runtime;
  regions: Regions;
  identity: IdentityStore;
  resolver: Resolver;
  /** Keys the session cookies and CSRF tokens; without it the console is off. */
  secret: string;
  /** The SPF include host of every geography, for the record that covers every commercial region. */
  spfIncludes: readonly string[];
  /** The capture mailbox, where it is the relay (Node, no relay configured). */
  mailbox?: CaptureMailboxReader | undefined;
}

const LANG_COOKIE = 'console_lang';
const secure = (c: Context) => new URL(c.req.url).protocol === 'https:';

/** A form post from another site (or with no proof it is ours) is refused before anything else reads it. */
function crossSite(c: Context): boolean {
  if (c.req.header('sec-fetch-site') === 'cross-site') return true;
  const origin = c.req.header('origin');
  return origin !== undefined && origin !== new URL(c.req.url).origin;
}

/**
 * The browser console at /console: server-rendered pages that act as the signed-in user through the same
 * domain verbs and policies as the API. Sessions live in a signed cookie; every form carries a CSRF token.
 */
export function consoleRoutes(deps: ConsoleDeps) {
  const sessions = consoleSessions(deps.secret);
  const limiter = createFailedAuthLimiter(deps.runtime.clock);
  const now = () => deps.runtime.clock.now().getTime();

  const language = createMiddleware<ConsoleEnv>(async (c, next) => {
    const asked = c.req.query('lang');
    if (asked === 'en' || asked === 'ja') {
      setCookie(c, LANG_COOKIE, asked, {
        path: '/console',
        sameSite: 'Lax',
        httpOnly: true,
        secure: secure(c),
      });
    }
    const lang = chooseLanguage(asked ?? getCookie(c, LANG_COOKIE), c.req.header('accept-language'));
    c.set('lang', lang);
    c.set('t', messagesOf[lang]);
    await next();
  });

  const writeSession = async (c: Context, session: ConsoleSession) => {
    setCookie(c, SESSION_COOKIE, await sessions.seal(session), {
      path: '/console',
      httpOnly: true,
      sameSite: 'Strict',
      secure: secure(c),
    });
  };

  /** Every page but sign-in needs a live session; a stale or altered cookie signs out. */
  const signedIn = createMiddleware<ConsoleEnv>(async (c, next) => {
    const session = await sessions.open(getCookie(c, SESSION_COOKIE), now());
    if (!session) {
      deleteCookie(c, SESSION_COOKIE, { path: '/console' });
      return c.redirect('/console/sign-in?ended=1', 303);
    }
    if (c.req.method === 'POST') {
      const form = await formOf(c);
      if (crossSite(c) || !(await sessions.checkCsrf(session, field(form, '_csrf')))) {
        return c.html(<Refused t={c.var.t} lang={c.var.lang} />, 403);
      }
    }
    const refreshed = { ...session, lastSeenAt: now() };
    await writeSession(c, refreshed);
    c.set('session', refreshed);
    c.set('caller', callerFor(deps.identity, session.tenancyId, session.userId));
    c.set('csrf', await sessions.csrfToken(session));
    await next();
  });

  const pageDeps: ConsolePageDeps = deps;

  return (
    new Hono<ConsoleEnv>()
      .use('*', securityHeaders, language)
      .get('/sign-in', (c) => {
        const t = c.var.t;
        const notice = c.req.query('ended') ? t.sessionEnded : c.req.query('out') ? t.signedOut : undefined;
        return c.html(<SignIn t={t} lang={c.var.lang} notice={notice} />);
      })
      .post('/sign-in', async (c) => {
        const t = c.var.t;
        if (crossSite(c)) return c.html(<Refused t={t} lang={c.var.lang} />, 403);
        const form = await formOf(c);
        const userName = (field(form, 'userName') ?? '').trim().slice(0, 100);
        const password = field(form, 'password') ?? '';
        // Who is signing in, for the failed sign-in limit.
        const address = clientAddressOf(c) ?? 'unknown';
        const attempt = { address, username: userName };
        if (limiter.isThrottled(attempt)) {
          return c.html(
            <SignIn t={t} lang={c.var.lang} error={t.signInThrottled} userName={userName} />,
            429,
          );
        }
        const tenancyId = (field(form, 'tenancy') ?? '').trim() || (await deps.identity.firstTenancy())?.id;
        const verified =
          tenancyId && userName
            ? await verifyUiPassword(deps.identity, tenancyId, userName, password)
            : undefined;
        if (!verified) {
          limiter.recordFailure(attempt);
          deps.runtime.logger.warn('console.sign-in-failed', { address });
          return c.html(<SignIn t={t} lang={c.var.lang} error={t.signInFailed} userName={userName} />, 401);
        }
        limiter.recordSuccess(attempt);
        const at = now();
        await writeSession(c, {
          tenancyId: verified.tenancyId,
          userId: verified.userId,
          userName,
          id: deps.runtime.ids.random(26),
          issuedAt: at,
          lastSeenAt: at,
        });
        deps.runtime.logger.info('console.signed-in', { userId: verified.userId });
        return c.redirect('/console/senders', 303);
      })
      .post('/sign-out', signedIn, (c) => {
        deleteCookie(c, SESSION_COOKIE, { path: '/console' });
        return c.redirect('/console/sign-in?out=1', 303);
      })
      .get('/', (c) => c.redirect('/console/senders', 302))
      // Registered after the public routes above, so it guards everything below and nothing above.
      .use('*', signedIn)
      .route('/senders', sendersPages(pageDeps))
      .route('/suppressions', suppressionsPages(pageDeps))
      .route('/configuration', configurationPage(pageDeps))
      .route('/messages', messagesPage(deps))
      .route('/compartments', compartmentsPage(pageDeps))
      .route('/users', usersPages(pageDeps))
      .route('/groups', groupsPages(pageDeps))
      .route('/policies', policiesPages(pageDeps))
  );
}

function SignIn(props: {
  t: Messages;
  lang: Language;
  notice?: string | undefined;
  error?: string;
  userName?: string;
}) {
  const { t } = props;
  return (
    <Document lang={props.lang} title={`${t.signIn} – ${t.serviceName}`}>
      <main class="signin">
        <h1>{t.signInTitle}</h1>
        {props.notice && (
          <p class="notice" role="status">
            {props.notice}
          </p>
        )}
        {props.error && (
          <p class="notice error" role="alert">
            {props.error}
          </p>
        )}
        <form method="post" action="/console/sign-in">
          <div class="field">
            <label for="tenancy">{t.tenancy}</label>
            <input
              id="tenancy"
              name="tenancy"
              type="text"
              autocomplete="organization"
              aria-describedby="tenancy-hint"
            />
            <p class="hint" id="tenancy-hint">
              {t.tenancyHint}
            </p>
          </div>
          <div class="field">
            <label for="userName">{t.userName}</label>
            <input
              id="userName"
              name="userName"
              type="text"
              required
              autocomplete="username"
              value={props.userName ?? ''}
            />
          </div>
          <div class="field">
            <label for="password">{t.password}</label>
            <input id="password" name="password" type="password" required autocomplete="current-password" />
          </div>
          <button type="submit" class="primary">
            {t.signIn}
          </button>
        </form>
      </main>
    </Document>
  );
}

function Refused(props: { t: Messages; lang: Language }) {
  return (
    <Document lang={props.lang} title={props.t.serviceName}>
      <main class="signin">
        <p class="notice error" role="alert">
          {props.t.forbiddenForm}
        </p>
        <a href="/console/senders">{props.t.approvedSenders}</a>
      </main>
    </Document>
  );
}
