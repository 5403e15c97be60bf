import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { getPath } from 'hono/utils/url';
import { DomainError } from './domain/errors';
import type { Resolver, Runtime } from './domain/ports';
import type { AppEnv } from './http/app-env';
import type { IdentityStore } from './domain/identity/ports';
import { authenticate, type Authenticator } from './http/auth';
import { errorHandler, notFoundHandler } from './http/oci-errors';
import { regionFromHost, regionFromPath } from './http/region';
import { configurationRoutes } from './http/routes/configuration';
import { identityApi } from './http/routes/identity/identity-api';
import { senderRoutes } from './http/routes/senders';
import { suppressionRoutes } from './http/routes/suppressions';
import type { Regions } from './regions';

const MAX_CONTROL_BODY_BYTES = 64 * 1024; // the largest control-plane body is a sender with tags or a policy

export interface AppDeps {
  runtime: Runtime;
  regions: Regions;
  identity: IdentityStore;
  authenticator: Authenticator;
  baseDomain: string | undefined;
  resolver: Resolver;
}

/** Request ids in the SDK's style: 32 upper-case hex digits. */
const newRequestId = (rt: Runtime) => () => rt.ids.random(32).toUpperCase();

const limitControlBody = () =>
  bodyLimit({
    maxSize: MAX_CONTROL_BODY_BYTES,
    onError: () => {
      throw new DomainError('PayloadTooLarge', `The body must be at most ${MAX_CONTROL_BODY_BYTES} bytes`);
    },
  });

function controlPlane(deps: AppDeps) {
  return new Hono<AppEnv>()
    .use(limitControlBody())
    .route('/senders', senderRoutes(deps.runtime, deps.resolver))
    .route('/suppressions', suppressionRoutes(deps.runtime))
    .route('/configuration', configurationRoutes(deps.baseDomain));
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

  const signed = authenticate(deps.authenticator);
  app.use('/20170907/*', signed, regionFromHost(deps.regions, deps.baseDomain));
  app.route('/20170907', controlPlane(deps));
  app.use('/:region/20170907/*', signed, regionFromPath(deps.regions));
  app.route('/:region/20170907', controlPlane(deps));
  // Identity is global: no region in the path or host.
  app.use('/20160918/*', signed, limitControlBody());
  app.route('/20160918', identityApi(deps.runtime, deps.identity));

  return app;
}
