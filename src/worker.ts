import { createApp } from './app';
import type { Deps } from './deps';
import { runScheduled } from './jobs/schedule';
import { inInvocation } from './platform/workerd';

const apps = new WeakMap<Deps, ReturnType<typeof createApp>>();

function appFor(deps: Deps): ReturnType<typeof createApp> {
  let app = apps.get(deps);
  if (!app) {
    app = createApp(deps);
    apps.set(deps, app);
  }
  return app;
}

export default {
  fetch(request, env, ctx) {
    return inInvocation(env, ctx, async (deps) => appFor(deps).fetch(request, env, ctx));
  },
  scheduled(controller, env, ctx) {
    ctx.waitUntil(inInvocation(env, ctx, (deps) => runScheduled(controller.cron, deps)));
  },
} satisfies ExportedHandler<Env>;
