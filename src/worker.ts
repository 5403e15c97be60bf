import { runScheduled } from './jobs/schedule';
import { inInvocation } from './compose/worker';

export default {
  fetch(request, env, ctx) {
    return inInvocation(env, ctx, async ({ app }) => app.fetch(request, env, ctx));
  },
  scheduled(controller, env, ctx) {
    ctx.waitUntil(inInvocation(env, ctx, ({ deps }) => runScheduled(controller.cron, deps)));
  },
} satisfies ExportedHandler<Env>;
