import { Hono } from 'hono';
import { z } from 'zod';
import { listFeedbackReports } from '../../domain/feedback/list-reports';
import type { AppEnv } from '../app-env';
import { feedbackReportWire } from '../feedback-report-wire';
import { listOptions, setNextPage } from '../paging';
import { validQuery } from '../raw-query';
import { pageToken } from '../schemas';

/** Each report carries its suppressions and detail; a hundred is a screenful. */
export const MAX_FEEDBACK_REPORTS_PAGE = 100;

const listQuery = z.object({
  page: pageToken.optional(),
  limit: z
    .string()
    .regex(/^\d{1,7}$/, 'must be a whole number')
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, `must be between 1 and ${MAX_FEEDBACK_REPORTS_PAGE}`)
        .max(MAX_FEEDBACK_REPORTS_PAGE, `must be between 1 and ${MAX_FEEDBACK_REPORTS_PAGE}`),
    )
    .optional(),
});

/** GET /feedbackReports: the DSN and ARF reports matched to the caller's messages (our extension). */
export function feedbackReportRoutes() {
  return new Hono<AppEnv>().get('/', validQuery(listQuery), async (c) => {
    const query = c.req.valid('query');
    const options = await listOptions({ ...query, limit: query.limit ?? MAX_FEEDBACK_REPORTS_PAGE });
    const page = await listFeedbackReports(c.var.region, c.var.caller, options);
    await setNextPage(c, query, page);
    return c.json(page.items.map(feedbackReportWire));
  });
}
