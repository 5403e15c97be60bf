import { newWebhookSecret } from '../../crypto/webhook-signature';
import { newEtag } from '../../values/etag';
import type { ListOptions, Page } from '../../values/page';
import { DomainError, notFound } from '../errors';
import type { DeliveryEventType } from '../events/ports';
import { requireGrant } from '../identity/require-grant';
import { newOcid } from '../ocid';
import type { Caller, RegionHandle, Runtime } from '../ports';
import { webhookUrlProblem } from './endpoint';
import type { WebhookDelivery, WebhookDeliveryRecord, WebhookSubscription } from './ports';
import { signedPost } from './post';

/** Subscriptions are read under `read email-family` and changed under `manage email-family`. */
const requireWebhookGrant = (caller: Caller, verb: 'read' | 'manage', compartmentId: string, what: string) =>
  requireGrant(caller, verb, 'email-family', compartmentId, what);

export interface CreateWebhookInput {
  compartmentId: string;
  displayName?: string | undefined;
  url: string;
  eventTypes: DeliveryEventType[];
}

function checkedUrl(url: string): string {
  const problem = webhookUrlProblem(url);
  if (problem) throw new DomainError('InvalidParameter', `url: ${problem}`);
  return url;
}

/** Creates an ACTIVE subscription; the signing secret is in the answer, once, and kept sealed. */
export async function createWebhook(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  input: CreateWebhookInput,
  delivery: WebhookDelivery,
): Promise<{ subscription: WebhookSubscription; secret: string }> {
  const { compartmentId } = input;
  await requireWebhookGrant(caller, 'manage', compartmentId, `Compartment ${compartmentId}`);
  const secret = newWebhookSecret();
  const id = newOcid(rt.ids, 'emailwebhook', region.descriptor.realm, region.id);
  const subscription = await region.store.forTenancy(caller.tenancyId).webhooks.insert({
    id,
    compartmentId,
    displayName: input.displayName ?? id,
    url: checkedUrl(input.url),
    eventTypes: [...new Set(input.eventTypes)],
    lifecycleState: 'ACTIVE',
    lifecycleDetails: null,
    sealedSecret: await delivery.secrets.seal(secret),
    etag: newEtag(rt.ids),
    timeCreated: rt.clock.now(),
  });
  rt.logger.info('webhook.created', { region: region.id, subscriptionId: id });
  return { subscription, secret };
}

/** The subscription, when the caller holds `verb` in its compartment; otherwise a 404 like a missing one. */
async function subscriptionFor(
  verb: 'read' | 'manage',
  region: RegionHandle,
  caller: Caller,
  id: string,
): Promise<WebhookSubscription> {
  const found = await region.store.forTenancy(caller.tenancyId).webhooks.findById(id);
  if (!found) throw notFound(`Webhook subscription ${id}`);
  await requireWebhookGrant(caller, verb, found.compartmentId, `Webhook subscription ${id}`);
  return found;
}

export const getWebhook = (region: RegionHandle, caller: Caller, id: string) =>
  subscriptionFor('read', region, caller, id);

export async function listWebhooks(
  region: RegionHandle,
  caller: Caller,
  compartmentId: string,
  options: ListOptions<'TIMECREATED'>,
): Promise<Page<WebhookSubscription>> {
  await requireWebhookGrant(caller, 'read', compartmentId, `Compartment ${compartmentId}`);
  return region.store.forTenancy(caller.tenancyId).webhooks.list(compartmentId, options);
}

export interface UpdateWebhookInput {
  displayName?: string | undefined;
  url?: string | undefined;
  eventTypes?: DeliveryEventType[] | undefined;
  /** false pauses the subscription; true starts it again, also after it was disabled for failing. */
  isEnabled?: boolean | undefined;
}

export async function updateWebhook(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  id: string,
  input: UpdateWebhookInput,
  ifMatch: string | undefined,
): Promise<WebhookSubscription> {
  const current = await subscriptionFor('manage', region, caller, id);
  const enabled =
    input.isEnabled === undefined
      ? {}
      : input.isEnabled
        ? { lifecycleState: 'ACTIVE' as const, lifecycleDetails: null, failingSince: null }
        : { lifecycleState: 'INACTIVE' as const, lifecycleDetails: null };
  const result = await region.store.forTenancy(caller.tenancyId).webhooks.update(
    id,
    {
      ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
      ...(input.url !== undefined ? { url: checkedUrl(input.url) } : {}),
      ...(input.eventTypes !== undefined ? { eventTypes: [...new Set(input.eventTypes)] } : {}),
      ...enabled,
      etag: newEtag(rt.ids),
      timeUpdated: rt.clock.now(),
    },
    ifMatch ?? current.etag,
  );
  if (result === 'missing') throw notFound(`Webhook subscription ${id}`);
  if (result === 'etag-mismatch') {
    throw ifMatch === undefined
      ? new DomainError('Conflict', `Webhook subscription ${id} changed while this request ran; retry`)
      : new DomainError('NoEtagMatch', `The if-match value does not match the current etag of ${id}`);
  }
  rt.logger.info('webhook.updated', { region: region.id, subscriptionId: id, state: result.lifecycleState });
  return result;
}

export async function deleteWebhook(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  id: string,
  ifMatch: string | undefined,
): Promise<void> {
  const current = await subscriptionFor('manage', region, caller, id);
  if (ifMatch !== undefined && ifMatch !== current.etag) {
    throw new DomainError('NoEtagMatch', `The if-match value does not match the current etag of ${id}`);
  }
  await region.store.forTenancy(caller.tenancyId).webhooks.delete(id);
  rt.logger.info('webhook.deleted', { region: region.id, subscriptionId: id });
}

export async function listWebhookDeliveries(
  region: RegionHandle,
  caller: Caller,
  id: string,
  options: ListOptions<'TIMECREATED'>,
): Promise<Page<WebhookDeliveryRecord>> {
  await subscriptionFor('read', region, caller, id);
  return region.store.forTenancy(caller.tenancyId).webhooks.deliveries(id, options);
}

export interface TestEventResult {
  webhookId: string;
  status?: number;
  error?: string;
  isSuccess: boolean;
}

/** Posts a signed `webhook.test` event now and answers what the endpoint said; nothing is recorded. */
export async function sendTestEvent(
  rt: Runtime,
  region: RegionHandle,
  caller: Caller,
  id: string,
  delivery: WebhookDelivery,
): Promise<TestEventResult> {
  const subscription = await subscriptionFor('manage', region, caller, id);
  const sealed = await region.store.forTenancy(caller.tenancyId).webhooks.sealedSecretOf(id);
  if (sealed === undefined) throw notFound(`Webhook subscription ${id}`);
  const secret = await delivery.secrets.open(sealed);
  const webhookId = `msg_test_${rt.ids.random(24)}`;
  const now = rt.clock.now();
  const payload = {
    type: 'webhook.test',
    timestamp: now.toISOString(),
    data: { subscriptionId: id, compartmentId: subscription.compartmentId, region: region.id },
  };
  const answer = await signedPost(delivery.transport, subscription.url, secret, webhookId, now, payload);
  rt.logger.info('webhook.test-sent', {
    region: region.id,
    subscriptionId: id,
    status: 'status' in answer ? answer.status : undefined,
  });
  return 'status' in answer
    ? { webhookId, status: answer.status, isSuccess: answer.status >= 200 && answer.status < 300 }
    : { webhookId, error: answer.error, isSuccess: false };
}
