import type { SmtpListenerAddress } from '../domain/configuration/get';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { getPath } from 'hono/utils/url';
import type { CaptureMailboxReader, DeliveryTrigger, Resolver, Runtime, SecretBox } from '../domain/ports';
import type { AppEnv } from './app-env';
import type { IdentityStore } from '../domain/identity/ports';
import { authenticate, type Authenticator } from './auth';
import { errorHandler, notFoundHandler } from './oci-errors';
import { regionFromHost, regionFromPath } from './region';
import { configurationRoutes } from './routes/configuration';
import { messageRoutes } from './routes/messages';
import { submissionRoutes } from './routes/submission';
import { limitBody, limitSubmissionBody, MAX_CONTROL_BODY_BYTES } from './body-limit';
import type { SubmissionLimits } from '../domain/submission/limits';
import { devMailboxRoutes } from './routes/dev-mailbox';
import { identityApi } from './routes/identity/identity-api';
import { senderRoutes } from './routes/senders';
import { smtpSenderLookupRoutes } from './routes/smtp-sender-lookups';
import { suppressionRoutes } from './routes/suppressions';
import { unsubscribeRoutes } from './routes/unsubscribe';
import { metricsRoutes, type MetricsEndpoint } from './routes/metrics';
import { webhookRoutes } from './routes/webhooks';
import { dkimRoutes, emailDomainRoutes, returnPathRoutes, workRequestRoutes } from './routes/email-domains';
import type { WebhookDelivery } from '../domain/webhooks/ports';
import { feedbackRoutes } from './routes/feedback';
import { consoleAssetRoutes } from './console/assets';
import { consoleRoutes } from './console/console-routes';
import { feedbackReportRoutes } from './routes/feedback-reports';
import { deliveryEventRoutes, deliveryMetricsRoutes } from './routes/delivery-events';
import type { Regions } from '../domain/regions';
import type { FeedbackConfig } from '../domain/feedback/feedback-config';

export interface AppDeps {
  runtime: Runtime;
  regions: Regions;
  identity: IdentityStore;
  authenticator: Authenticator;
  baseDomain: string | undefined;
  /** Each region's STARTTLS listener, where this process runs the SMTP ingress. */
  smtpListeners?: ReadonlyMap<string, SmtpListenerAddress>;
  /** Each region's configured SMTP submission endpoint (SMTP_SUBMIT_ENDPOINT_<KEY>), which wins over the rest. */
  smtpEndpoints?: ReadonlyMap<string, string>;
  resolver: Resolver;
  /** Starts delivery of accepted recipients (Node wakes its worker; Workers use waitUntil). */
  deliveryTrigger: DeliveryTrigger;
  /** Message size, recipients, quotas and give-up time for submissions, the same in every region. */
  submissionLimits: SubmissionLimits;
  /** Soft-bounce policy, unsubscribe links and tokens, and the report endpoint's secret. */
  feedback: FeedbackConfig;
  /** The local capture mailbox, served at /_dev/mailbox only while it is the relay (Node, no relay configured). */
  mailbox?: CaptureMailboxReader | undefined;
  /** The Prometheus endpoint at /metrics, where the process keeps counters (Node). */
  metrics?: MetricsEndpoint | undefined;
  /** How webhooks are posted and their secrets sealed; undefined without a SECRETS_KEY. */
  webhooks: WebhookDelivery | undefined;
  /** Seals DKIM private keys at rest; undefined without a SECRETS_KEY (DKIMs cannot be created then). */
  secrets: SecretBox | undefined;
  /** A zone the operator serves for DKIM and return-path CNAMEs (DNS_DELEGATION_ZONE), if any. */
  dnsDelegationZone: string | undefined;
  /** Keys the console's session cookies and CSRF tokens (SECRETS_KEY); the console is off without it. */
  consoleSecret: string | undefined;
  /** Every geography's SPF include host, for the record that covers every commercial region. */
  spfIncludes: readonly string[];
}

/** Request ids in the SDK's style: 32 upper-case hex digits. */
const newRequestId = (rt: Runtime) => () => rt.ids.random(32).toUpperCase();

function controlPlane(deps: AppDeps) {
  const emailDomainDeps = {
    resolver: deps.resolver,
    keys: deps.secrets,
    delegationZone: deps.dnsDelegationZone,
  };
  return new Hono<AppEnv>()
    .route('/senders', senderRoutes(deps.runtime, deps.resolver))
    .route('/suppressions', suppressionRoutes(deps.runtime))
    .route('/smtpSenderLookups', smtpSenderLookupRoutes(deps.identity))
    .route('/webhookSubscriptions', webhookRoutes(deps.runtime, deps.webhooks))
    .route('/emailDomains', emailDomainRoutes(deps.runtime, emailDomainDeps))
    .route('/dkims', dkimRoutes(deps.runtime, emailDomainDeps))
    .route('/emailReturnPaths', returnPathRoutes(deps.runtime, emailDomainDeps))
    .route('/workRequests', workRequestRoutes())
    .route('/configuration', configurationRoutes(deps));
}

/** Data plane 20220926: submitting mail; each message's delivery state and the feedback reports (our extensions). */
function dataPlane(deps: AppDeps) {
  const submission = { runtime: deps.runtime, limits: deps.submissionLimits, trigger: deps.deliveryTrigger };
  return new Hono<AppEnv>()
    .route('/actions', submissionRoutes(submission))
    .route('/messages', messageRoutes())
    .route('/feedbackReports', feedbackReportRoutes())
    .route('/deliveryEvents', deliveryEventRoutes())
    .route('/deliveryMetrics', deliveryMetricsRoutes());
}

export function createApp(deps: AppDeps) {
  // An endpoint configured with a trailing slash makes the SDK send `//20170907/...`.
  const app = new Hono<AppEnv>({ getPath: (request) => getPath(request).replace(/\/{2,}/g, '/') });
  app.use(
    requestId({ headerName: 'opc-request-id', limitLength: 128, generator: newRequestId(deps.runtime) }),
  );
  app.onError(errorHandler(deps.runtime.logger));
  app.notFound(notFoundHandler);

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.route('/console/assets', consoleAssetRoutes());
  if (deps.consoleSecret !== undefined) {
    app.route('/console', consoleRoutes({ ...deps, secret: deps.consoleSecret }));
  }
  if (deps.metrics) app.route('/metrics', metricsRoutes(deps.metrics));

  // Public: the token is the credential, and it names its region.
  app.route(
    '/unsubscribe',
    unsubscribeRoutes({
      runtime: deps.runtime,
      tokens: deps.feedback.tokens,
      openRegion: (id) => deps.regions.open(id),
    }),
  );

  // Reports come from the relay or an inbound hook with the feedback secret, not an OCI signature.
  app.route(
    '/',
    feedbackRoutes({
      runtime: deps.runtime,
      regions: deps.regions,
      feedback: deps.feedback,
      baseDomain: deps.baseDomain,
    }),
  );

  // Every size limit runs before the signature check, which reads the whole body.
  const signed = authenticate(deps.authenticator);
  const limitControl = limitBody(MAX_CONTROL_BODY_BYTES);
  app.use('/20170907/*', limitControl, signed, regionFromHost(deps.regions, deps.baseDomain));
  app.route('/20170907', controlPlane(deps));
  app.use('/:region/20170907/*', limitControl, signed, regionFromPath(deps.regions));
  app.route('/:region/20170907', controlPlane(deps));
  const limitData = limitSubmissionBody(deps.submissionLimits, deps.runtime.logger);
  app.use('/20220926/*', limitData, signed, regionFromHost(deps.regions, deps.baseDomain));
  app.route('/20220926', dataPlane(deps));
  app.use('/:region/20220926/*', limitData, signed, regionFromPath(deps.regions));
  app.route('/:region/20220926', dataPlane(deps));
  // Identity is global: no region in the path or host.
  app.use('/20160918/*', limitControl, signed);
  app.route('/20160918', identityApi(deps.runtime, deps.identity));
  if (deps.mailbox) {
    app.use('/_dev/mailbox', signed);
    app.use('/_dev/mailbox/*', signed);
    app.route('/_dev/mailbox', devMailboxRoutes(deps.mailbox));
  }

  return app;
}
