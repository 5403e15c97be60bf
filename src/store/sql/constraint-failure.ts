/** Whether a libSQL or D1 error, or one it wraps, says `pattern` (both drivers pass SQLite's message on). */
function says(error: unknown, pattern: RegExp): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (pattern.test(e.message)) return true;
  return false;
}

/** Whether the error is a UNIQUE constraint failure. */
export const isUniqueViolation = (error: unknown): boolean => says(error, /UNIQUE constraint failed/i);

/** Whether the error is the CHECK constraint `name` refusing a row. */
export const isCheckViolation = (error: unknown, name: string): boolean =>
  says(error, new RegExp(`CHECK constraint failed: ${name}\\b`, 'i'));

/** Runs an insert, answering 'duplicate' instead of throwing when a unique index refuses it. */
export async function insertOrDuplicate<T>(insert: () => Promise<T>): Promise<T | 'duplicate'> {
  try {
    return await insert();
  } catch (error) {
    if (isUniqueViolation(error)) return 'duplicate';
    throw error;
  }
}
