import { recordReaction } from '../events/record';
import type { RegionHandle, Runtime, Suppression } from '../ports';
import { classifyReply } from './classify-reply';
import { parseReport, type ParsedReport } from './parse-report';
import type { SoftBouncePolicy } from './policy';
import type { CausedSuppression, FeedbackReportStatus, SentMessage } from './ports';
import { recordBounce } from './record-bounce';
import { suppressRecipient } from './suppress-recipient';
import type { UnsubscribeTokens } from './unsubscribe-token';
import { RETURN_PATH_LOCAL_PART, type ReturnPathAddresses } from '../email-domains/return-path-address';

const REPORT_ID_LENGTH = 32;
/** `550 5.1.1 text` or `550-5.1.1 text` at the start of a Diagnostic-Code. */
const DIAGNOSTIC_REPLY = /^([2-5]\d\d)[ -]?(?:([245]\.\d{1,3}\.\d{1,3})\b)?/;
const EXCERPT_CHARS = 2_048;
const HEADER_SCAN_CHARS = 64 * 1024; // the report's own header; the returned message's comes later // enough to see what a report was, without storing whole messages

export interface ReportReceipt {
  id: string;
  kind: ParsedReport['kind'];
  status: FeedbackReportStatus;
  /** Recipients suppressed or counted because of this report. */
  applied: number;
}

/** The one recipient a complaint names: Original-Rcpt-To, else our own unsubscribe token, else a lone recipient. */
async function complainant(
  report: Extract<ParsedReport, { kind: 'arf' }>,
  sent: SentMessage,
  region: RegionHandle,
  tokens: UnsubscribeTokens | undefined,
): Promise<string | undefined> {
  if (report.originalRcptTo && sent.recipients.includes(report.originalRcptTo)) return report.originalRcptTo;
  const token = /\/unsubscribe\/([A-Za-z0-9._-]+)>/.exec(report.listUnsubscribe ?? '')?.[1];
  const claims = token && tokens ? await tokens.open(token) : undefined;
  if (
    claims?.region === region.id &&
    claims.tenancyId === sent.tenancyId &&
    claims.messageId === sent.messageId
  ) {
    return claims.recipient;
  }
  return sent.recipients.length === 1 ? sent.recipients[0] : undefined;
}

/** What applying a report did: recipients counted or suppressed, and in which tenancies. */
interface Applied {
  count: number;
  tenancies: Set<string>;
  suppressions: CausedSuppression[];
}

async function apply(
  rt: Runtime,
  region: RegionHandle,
  policy: SoftBouncePolicy,
  tokens: UnsubscribeTokens | undefined,
  report: Exclude<ParsedReport, { kind: 'unknown' }>,
  sent: SentMessage[],
): Promise<Applied> {
  const done: Applied = { count: 0, tenancies: new Set(), suppressions: [] };
  const caused = (tenancyId: string, s: Suppression) => {
    done.count += 1;
    done.tenancies.add(tenancyId);
    done.suppressions.push({ suppressionId: s.id, emailAddress: s.emailAddress, reason: s.reason });
  };
  if (report.kind === 'dsn') {
    for (const r of report.recipients) {
      const message = sent.find((s) => s.recipients.includes(r.recipient));
      if (!message || (r.action !== 'failed' && r.action !== 'delayed')) continue;
      const reply = DIAGNOSTIC_REPLY.exec(r.diagnostic ?? '');
      const code = reply?.[1] === undefined ? undefined : Number(reply[1]);
      const facts = { code, enhanced: r.status ?? reply?.[2], text: r.diagnostic ?? '' };
      let verdict = classifyReply(facts);
      if (r.action === 'delayed' && verdict === 'hard') verdict = 'soft';
      const result = await recordBounce(rt, region, policy, {
        tenancyId: message.tenancyId,
        recipient: r.recipient,
        messageId: message.messageId,
        verdict,
        detail: r.diagnostic ?? `${r.action} ${r.status ?? ''}`.trim(),
        source: r.remoteMta ?? report.reportingMta ?? null,
        via: 'dsn',
      });
      await recordReaction(rt, region, {
        tenancyId: message.tenancyId,
        eventType: r.action === 'failed' ? 'BOUNCED' : 'DEFERRED',
        messageId: message.messageId,
        sender: '',
        recipient: r.recipient,
        detail: r.diagnostic ?? `${r.action} ${r.status ?? ''}`.trim(),
        reportedBy: r.remoteMta ?? report.reportingMta ?? null,
      });
      if (result.kind === 'suppressed') caused(message.tenancyId, result.suppression);
      if (result.kind === 'counted') {
        done.count += 1;
        done.tenancies.add(message.tenancyId);
      }
    }
    return done;
  }
  const [message] = sent;
  const recipient =
    message && sent.length === 1 ? await complainant(report, message, region, tokens) : undefined;
  if (!message || !recipient) return done;
  const suppression = await suppressRecipient(rt, region, {
    tenancyId: message.tenancyId,
    emailAddress: recipient,
    reason: 'COMPLAINT',
    errorDetail: `Feedback-Type: ${report.feedbackType}${report.userAgent ? ` (${report.userAgent})` : ''}`,
    errorSource: report.reportingMta ?? null,
    messageId: message.messageId,
    via: 'arf',
  });
  await recordReaction(rt, region, {
    tenancyId: message.tenancyId,
    eventType: 'COMPLAINED',
    messageId: message.messageId,
    sender: '',
    recipient,
    detail: suppression.errorDetail,
    reportedBy: suppression.errorSource,
  });
  caused(message.tenancyId, suppression);
  return done;
}

/** The copy a bounce was sent back for: its envelope recipient, in the report's own header, names it. */
async function returnedCopy(
  region: RegionHandle,
  returnPaths: ReturnPathAddresses | undefined,
  raw: string,
): Promise<SentMessage | undefined> {
  if (!returnPaths) return undefined;
  const end = raw.search(/\r?\n\r?\n/);
  const header = raw.slice(
    0,
    end < 0 ? Math.min(raw.length, HEADER_SCAN_CHARS) : Math.min(end, HEADER_SCAN_CHARS),
  );
  for (const match of header.matchAll(RETURN_PATH_LOCAL_PART)) {
    const deliveryId = await returnPaths.deliveryIdOf(region.id, match[0]);
    const copy = deliveryId && (await region.store.feedback.findCopy(deliveryId));
    if (copy) return copy;
  }
  return undefined;
}

/** A DSN read as about the one copy its return address names, whatever recipient address it reports. */
function aboutCopy(report: Extract<ParsedReport, { kind: 'dsn' }>, copy: SentMessage): typeof report {
  const recipient = copy.recipients[0] ?? '';
  const own = report.recipients.filter((r) => r.recipient === recipient);
  const failed = report.recipients.find((r) => r.action === 'failed' || r.action === 'delayed');
  const recipients = own.length > 0 ? own : failed ? [{ ...failed, recipient }] : [];
  return { ...report, messageId: copy.messageId, recipients };
}

/** The one tenancy a report belongs to: the one it affected, else the one whose message it names. */
function ownerOf(sent: SentMessage[], applied: Applied): string | null {
  const candidates = applied.tenancies.size > 0 ? [...applied.tenancies] : sent.map((s) => s.tenancyId);
  return candidates.length === 1 ? (candidates[0] ?? null) : null;
}

/**
 * Takes a DSN or ARF report posted for this region, matches it to a message sent from here by the
 * original Message-ID, and suppresses or counts its recipients. Every report is kept, matched or not.
 */
export async function receiveReport(
  rt: Runtime,
  region: RegionHandle,
  policy: SoftBouncePolicy,
  tokens: UnsubscribeTokens | undefined,
  returnPaths: ReturnPathAddresses | undefined,
  raw: string,
  sizeBytes: number,
): Promise<ReportReceipt> {
  const id = rt.ids.random(REPORT_ID_LENGTH);
  let report: ParsedReport;
  try {
    report = await parseReport(raw);
  } catch (error) {
    report = { kind: 'unknown', reason: `unparseable: ${(error as Error).message.split('\n', 1)[0] ?? ''}` };
  }
  let status: FeedbackReportStatus = 'unparseable';
  let applied: Applied = { count: 0, tenancies: new Set(), suppressions: [] };
  let tenancyId: string | null = null;
  let messageId: string | null = null;
  let detail =
    report.kind === 'unknown' ? report.reason : 'no message sent from this region has that Message-ID';
  if (report.kind !== 'unknown') {
    status = 'unmatched';
    const copy = report.kind === 'dsn' ? await returnedCopy(region, returnPaths, raw) : undefined;
    if (report.kind === 'dsn' && copy) report = aboutCopy(report, copy);
    messageId = report.messageId ?? null;
    const sent = copy
      ? [copy]
      : report.messageId
        ? await region.store.feedback.findSent(report.messageId)
        : [];
    if (sent.length > 0) {
      applied = await apply(rt, region, policy, tokens, report, sent);
      tenancyId = ownerOf(sent, applied);
      status = tenancyId === null ? 'unmatched' : 'matched';
      detail =
        applied.count > 0
          ? `${applied.count} recipient(s) suppressed or counted`
          : 'no recipient of the message matched';
      if (tenancyId === null) detail += '; the Message-ID names messages of several tenancies';
    }
  }
  await region.store.feedback.saveReport({
    id,
    kind: report.kind,
    status,
    tenancyId,
    messageId,
    detail: detail.slice(0, EXCERPT_CHARS),
    sizeBytes,
    excerpt: raw.slice(0, EXCERPT_CHARS),
    suppressions: applied.suppressions,
    timeReceived: rt.clock.now(),
  });
  rt.logger.info('feedback.report', {
    region: region.id,
    reportId: id,
    kind: report.kind,
    status,
    applied: applied.count,
  });
  return { id, kind: report.kind, status, applied: applied.count };
}
