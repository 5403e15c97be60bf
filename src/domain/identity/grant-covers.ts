import type { ResourceType, Verb } from '../ports';

const verbRank: Record<Verb, number> = { inspect: 0, read: 1, use: 2, manage: 3 };

/** The verb ladder is cumulative: manage includes use, use includes read, read includes inspect. */
export const verbIncludes = (granted: Verb, needed: Verb): boolean => verbRank[granted] >= verbRank[needed];

/** Resource types a grant of `granted` also covers. */
const families: Partial<Record<ResourceType, readonly ResourceType[]>> = {
  'email-family': ['approved-senders', 'suppressions', 'email-domains', 'email-work-requests'],
};

export function resourceCovers(granted: ResourceType, needed: ResourceType): boolean {
  if (granted === needed || granted === 'all-resources') return true;
  return families[granted]?.includes(needed) ?? false;
}
