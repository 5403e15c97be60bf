import { afterEach, describe, expect, it } from 'vitest';
import { createSuppression, json } from '../../support/api';
import { PHX, type World } from '../../support/world';
import { FEEDBACK_SECRET, feedbackWorld, fixture, MESSAGE_ID, postReport, seedSent } from './feedback-world';

interface WireState {
  recipients: { recipient: string; suppression: { reason: string; timeLastSuppressed: string } | null }[];
}

const worlds: World[] = [];
afterEach(() => {
  for (const w of worlds.splice(0)) w.close();
});

const stateOf = async (w: World, messageId: string) => {
  const response = await w.request('GET', `/${PHX}/20220926/messages/${encodeURIComponent(messageId)}`);
  expect(response.status).toBe(200);
  const { recipients } = await json<WireState>(response);
  return Object.fromEntries(recipients.map((r) => [r.recipient, r.suppression]));
};

describe('GET /<region>/20220926/messages/{messageId} shows the suppressions the message caused', () => {
  it('names the reason and time for recipients this message suppressed, and null for the others', async () => {
    const w = await feedbackWorld({ FEEDBACK_SECRET });
    worlds.push(w);
    await seedSent(w, 'other@example.com', 'sub-2');
    await createSuppression(w, 'fine@example.org');
    expect((await postReport(w, fixture('dsn-failed'), FEEDBACK_SECRET)).status).toBe(202);
    expect((await postReport(w, fixture('arf-abuse'), FEEDBACK_SECRET)).status).toBe(202);
    const at = w.runtime.clock.now().toISOString();

    expect(await stateOf(w, MESSAGE_ID)).toEqual({
      'gone@example.org': { reason: 'HARDBOUNCE', timeLastSuppressed: at },
      'angry@example.org': { reason: 'COMPLAINT', timeLastSuppressed: at },
      'slow@example.org': null,
      // Suppressed by hand, not by this message.
      'fine@example.org': null,
    });
    // The same recipients of another message: that message caused nothing.
    expect(Object.values(await stateOf(w, 'other@example.com'))).toEqual([null, null, null, null]);
  });
});
