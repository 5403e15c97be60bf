/** Group every tenancy has; its members manage everything and it cannot be deleted. */
export const ADMINISTRATORS_GROUP = 'Administrators';

/** Names of users, groups, compartments and policies are unique regardless of case, as in OCI. */
export const nameKey = (name: string): string => name.toLowerCase();

export const ADMINISTRATORS_KEY = nameKey(ADMINISTRATORS_GROUP);

export const MAX_COMPARTMENT_DEPTH = 6; // OCI allows six levels of compartments below the tenancy
