import { z } from 'zod';
import catalogJson from '../../regions/catalog.json';
import { geographies, type RegionDescriptor, type RegionId } from '../values/region';

const geographySchema = z.enum(geographies);

const hostName = z
  .string()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'must be a lower-case DNS name',
  );
const envName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be an upper-case variable name');
/** Settings read these names, so each region's must follow the pattern. */
export const FEEDBACK_SECRET_PREFIX = 'FEEDBACK_SECRET_';
export const SMTP_SUBMIT_ENDPOINT_PREFIX = 'SMTP_SUBMIT_ENDPOINT_';
const PATTERNED_BINDINGS = {
  feedbackSecret: FEEDBACK_SECRET_PREFIX,
  smtpSubmitEndpoint: SMTP_SUBMIT_ENDPOINT_PREFIX,
} as const;
const MAX_OUTBOUND_ADDRESSES = 64; // each one costs an SPF evaluation per sender check

const regionSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z]{2}-[a-z]+-\d+$/, 'must look like us-phoenix-1')
      .transform((id) => id as RegionId),
    key: z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter region key'),
    realm: z.string().regex(/^oc\d+$/),
    geography: geographySchema,
    smtp: z.strictObject({
      host: hostName,
      ports: z.array(z.number().int().min(1).max(65535)).min(1),
      tls: z.enum(['starttls', 'implicit']),
    }),
    bindings: z.strictObject({
      database: envName,
      libsqlUrl: envName,
      libsqlAuthToken: envName,
      relayUrl: envName,
      feedbackSecret: envName,
      smtpSubmitEndpoint: envName,
    }),
    outboundAddresses: z
      .array(z.union([z.ipv4(), z.ipv6()]))
      .max(MAX_OUTBOUND_ADDRESSES)
      .optional(),
  })
  .strict();

const catalogSchema = z
  .strictObject({
    geographies: z.record(geographySchema, z.strictObject({ spfInclude: hostName })),
    regions: z.array(regionSchema).min(1),
  })
  .superRefine((catalog, ctx) => {
    const seen = new Set<string>();
    for (const region of catalog.regions) {
      for (const name of [region.id, region.key]) {
        if (seen.has(name)) ctx.addIssue({ code: 'custom', message: `duplicate region ${name}` });
        seen.add(name);
      }
      for (const [binding, prefix] of Object.entries(PATTERNED_BINDINGS)) {
        const expected = `${prefix}${region.key}`;
        if (region.bindings[binding as keyof typeof PATTERNED_BINDINGS] !== expected) {
          ctx.addIssue({ code: 'custom', message: `${region.id}: ${binding} must be ${expected}` });
        }
      }
    }
  });

export function parseRegionCatalog(input: unknown): RegionDescriptor[] {
  const catalog = catalogSchema.parse(input);
  return catalog.regions.map((region) => ({
    ...region,
    spfInclude: catalog.geographies[region.geography].spfInclude,
  }));
}

export const regionCatalog: readonly RegionDescriptor[] = parseRegionCatalog(catalogJson);
