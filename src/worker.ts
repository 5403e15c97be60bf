import { createApp } from './app';
import { runScheduled } from './jobs/schedule';
import { workerDeps } from './platform/workerd';

export default {
  async fetch(request, env, ctx) {
    const invocation = workerDeps(env, ctx);
    try {
      return await createApp(invocation.deps).fetch(request, env, ctx);
    } finally {
      // Delivery started by this request runs on after the response; its relays close when it ends.
      ctx.waitUntil(invocation.settle());
    }
  },
  scheduled(controller, env, ctx) {
    const invocation = workerDeps(env, ctx);
    ctx.waitUntil(runScheduled(controller.cron, invocation.deps).finally(() => invocation.settle()));
  },
} satisfies ExportedHandler<Env>;
