import type { Ids } from '../ports';

const ETAG_LENGTH = 26;

export const newEtag = (ids: Ids): string => ids.random(ETAG_LENGTH);
