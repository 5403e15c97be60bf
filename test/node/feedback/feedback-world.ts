import { readFileSync } from 'node:fs';
import { deliveries, submissions } from '../../../src/store/schema';
import { createWorld, IAD, PHX, TENANCY, type World } from '../../support/world';

export const FEEDBACK_SECRET = 'a-feedback-secret-of-at-least-32-chars';
export const PHX_SECRET = 'the-phoenix-feedback-secret-of-32-chars';
export const IAD_SECRET = 'the-ashburn-feedback-secret-of-32-chars';
/** The Message-ID the fixtures in test/fixtures/feedback return. */
export const MESSAGE_ID = 'fixture-1@example.com';
export const RECIPIENTS = ['gone@example.org', 'slow@example.org', 'fine@example.org', 'angry@example.org'];

export const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/feedback/${name}.eml`, import.meta.url), 'utf8');

/** A world with both regions open and `messageId` sent from PHX to RECIPIENTS by TENANCY. */
export async function feedbackWorld(
  settings: Parameters<typeof createWorld>[0],
  messageId = MESSAGE_ID,
  recipients: readonly string[] = RECIPIENTS,
): Promise<World> {
  const w = createWorld(settings);
  await w.deps.regions.open(IAD);
  await w.deps.regions.open(PHX);
  await seedSent(w, messageId, 'sub-1', recipients);
  return w;
}

export async function seedSent(
  w: World,
  messageId: string,
  submissionId: string,
  recipients: readonly string[] = RECIPIENTS,
): Promise<void> {
  const { db } = w.databases.get(PHX)!;
  const at = w.runtime.clock.now().getTime();
  await db.insert(submissions).values({
    id: submissionId,
    tenancyId: TENANCY,
    contentHash: submissionId,
    messageId,
    sender: 'app@example.com',
    compartmentId: TENANCY,
    response: {},
    sizeBytes: 1,
    timeCreated: at,
  });
  await db.insert(deliveries).values(
    recipients.map((recipient, i) => ({
      id: `${submissionId}-d${i}`,
      submissionId,
      tenancyId: TENANCY,
      messageId,
      sender: 'app@example.com',
      recipient,
      state: 'DELIVERED',
      giveUpAt: at,
      timeCreated: at,
      timeUpdated: at,
    })),
  );
}

/** POSTs a report with the bearer secret, by path (`region`) or to an absolute host-form URL. */
export const postReport = (w: World, body: string, secret: string, target: string = PHX) =>
  w.app.request(/^https?:/.test(target) ? target : `/${target}/20220926/feedback`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'message/rfc822' },
    body,
  });
