import { createApp } from './app';
import { runScheduled } from './jobs/schedule';
import { workerDeps } from './platform/workerd';

export default {
  fetch(request, env, ctx) {
    return createApp(workerDeps(env)).fetch(request, env, ctx);
  },
  scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduled(controller.cron, workerDeps(env)));
  },
} satisfies ExportedHandler<Env>;
