/** Whether a libSQL or D1 error (or one it wraps) is a UNIQUE constraint failure. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (/UNIQUE constraint failed/i.test(e.message)) return true;
  }
  return false;
}

/** Runs an insert, answering 'duplicate' instead of throwing when a unique index refuses it. */
export async function insertOrDuplicate<T>(insert: () => Promise<T>): Promise<T | 'duplicate'> {
  try {
    return await insert();
  } catch (error) {
    if (isUniqueViolation(error)) return 'duplicate';
    throw error;
  }
}
