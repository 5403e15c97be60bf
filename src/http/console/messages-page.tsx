import { Hono } from 'hono';
import { getCapturedMail, listCapturedMail } from '../../domain/delivery/captured-mail';
import type { CaptureMailboxReader } from '../../domain/ports';
import { getMessageState, type MessageState } from '../../domain/submission/get-message-state';
import type { ConsoleEnv } from './console-env';
import { Page, query, Table } from './layout';
import type { Messages } from './messages';
import { attempt, frameOf, scopeOf, time, type ConsolePageDeps } from './page-parts';

const MAILBOX_SHOWN = 25;
const MAX_MESSAGE_ID = 998;

function Deliveries(props: { t: Messages; state: MessageState }) {
  const { t } = props;
  return (
    <Table
      headers={[t.recipient, t.state, t.attempts, t.lastReply]}
      rows={props.state.deliveries.map((d) => [
        d.recipient,
        d.state,
        d.attempts,
        [d.lastCode, d.lastEnhanced, d.lastDetail].filter((part) => part !== null).join(' '),
      ])}
    />
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
              <Table
                headers={[t.received, t.envelope, t.actions]}
                rows={copies.value.map((mail) => [
                  time(mail.receivedAt),
                  `${mail.mailFrom} → ${mail.rcptTo.join(', ')}`,
                  <a href={`/console/messages/mailbox/${mail.id}?${query({ region: region.id })}`}>
                    {t.open}
                  </a>,
                ])}
              />
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
