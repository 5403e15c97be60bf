import type { Caller, RegionHandle } from '../ports';
import type { ListOptions, Page } from '../../values/page';
import { requireSuppressionGrant } from '../suppressions/tenancy-compartment';
import type { FeedbackReportSummary } from './ports';

/**
 * The reports matched to the caller's messages in this region, newest first. They name recipients and
 * what happened to them, so the caller needs `manage suppressions in tenancy` (administrators have it).
 * Unmatched reports belong to no tenancy and stay in the store for the operator.
 */
export async function listFeedbackReports(
  region: RegionHandle,
  caller: Caller,
  options: ListOptions,
): Promise<Page<FeedbackReportSummary>> {
  await requireSuppressionGrant(caller, 'manage', 'Feedback reports');
  return region.store.feedback.listTenancyReports(caller.tenancyId, options);
}
