import { Hono } from 'hono';
import { getCapturedMail, listCapturedMail } from '../../domain/delivery/captured-mail';
import type { CaptureMailboxReader } from '../../domain/ports';
import { getMessageState, type MessageState } from '../../domain/submission/get-message-state';
import type { ConsoleEnv } from './console-env';
import { Page, query } from './layout';
import type { Messages } from './messages';
import { attempt, frameOf, scopeOf, time, type ConsolePageDeps } from './pages';

const MAILBOX_SHOWN = 25;
const MAX_MESSAGE_ID = 998;

function Deliveries(props: { t: Messages; state: MessageState }) {
  const { t } = props;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t.recipient}</th>
          <th scope="col">{t.state}</th>
          <th scope="col">{t.attempts}</th>
          <th scope="col">{t.lastReply}</th>
        </tr>
      </thead>
      <tbody>
        {props.state.deliveries.map((d) => (
          <tr>
            <td>{d.recipient}</td>
            <td>{d.state}</td>
            <td>{d.attempts}</td>
            <td>{[d.lastCode, d.lastEnhanced, d.lastDetail].filter((part) => part !== null).join(' ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Looks a message up by id; on Node with no relay, also the capture mailbox and each copy as received. */
export function messagesPage(deps: ConsolePageDeps & { mailbox?: CaptureMailboxReader | undefined }) {
  const { mailbox } = deps;
  return new Hono<ConsoleEnv>()
    .get('/', async (c) => {
      const t = c.var.t;
      const { region, compartmentId } = await scopeOf(deps, c);
      const frame = await frameOf(deps, c, t.messages, '/console/messages', region.id, compartmentId);
      const id = (c.req.query('id') ?? '').trim().replace(/^<|>$/g, '').slice(0, MAX_MESSAGE_ID);
      const found = id ? await attempt(() => getMessageState(region, c.var.caller, id)) : undefined;
      const copies = mailbox
        ? await attempt(() => listCapturedMail(c.var.caller, mailbox, MAILBOX_SHOWN))
        : undefined;
      return c.html(
        <Page {...frame} notice={found && 'error' in found ? { text: t.notFound, error: true } : undefined}>
          <form method="get" action="/console/messages" role="search" class="toolbar">
            <input type="hidden" name="region" value={region.id} />
            <input type="hidden" name="compartment" value={compartmentId} />
            <div>
              <label for="message-id">{t.messageId}</label>
              <input id="message-id" name="id" type="text" value={id} />
            </div>
            <button type="submit">{t.search}</button>
          </form>
          {found && 'value' in found && <Deliveries t={t} state={found.value} />}
          {copies && 'value' in copies && (
            <section aria-labelledby="mailbox-title">
              <h2 id="mailbox-title">{t.captureMailbox}</h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t.received}</th>
                    <th scope="col">{t.envelope}</th>
                    <th scope="col">{t.actions}</th>
                  </tr>
                </thead>
                <tbody>
                  {copies.value.map((mail) => (
                    <tr>
                      <td>{time(mail.receivedAt)}</td>
                      <td>
                        {mail.mailFrom} → {mail.rcptTo.join(', ')}
                      </td>
                      <td>
                        <a href={`/console/messages/mailbox/${mail.id}?${query({ region: region.id })}`}>
                          {t.open}
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
        </Page>,
      );
    })
    .get('/mailbox/:id', async (c) => {
      const t = c.var.t;
      const { region, compartmentId } = await scopeOf(deps, c);
      const frame = await frameOf(deps, c, t.captureMailbox, '/console/messages', region.id, compartmentId);
      const raw = mailbox
        ? await attempt(() => getCapturedMail(c.var.caller, mailbox, c.req.param('id')))
        : undefined;
      return c.html(
        <Page {...frame} notice={raw && 'value' in raw ? undefined : { text: t.notFound, error: true }}>
          {raw && 'value' in raw && (
            <pre class="message" tabindex={0} aria-label={t.captureMailbox}>
              {raw.value}
            </pre>
          )}
        </Page>,
      );
    });
}
