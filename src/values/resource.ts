/** OCI's tags on a resource: free-form key/value pairs, and defined tags by namespace. */
export type FreeformTags = Record<string, string>;
export type DefinedTags = Record<string, Record<string, unknown>>;

/** OCI resource locking: FULL blocks update, move and delete; DELETE blocks delete (unless overridden). */
export type ResourceLockType = 'FULL' | 'DELETE';

export interface ResourceLock {
  type: ResourceLockType;
  compartmentId: string;
  relatedResourceId?: string;
  message?: string;
  timeCreated: Date;
}
