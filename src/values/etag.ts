const ETAG_LENGTH = 26;

/** A fresh opaque etag (the `etag` header, checked by `if-match`): every change gives a resource a new one. */
export const newEtag = (ids: { random(length: number): string }): string => ids.random(ETAG_LENGTH);
