const encoder = new TextEncoder();

/** SHA-256 (hex) of what the caller sent: a retry or a reused Message-ID is compared by it. */
export async function contentHash(parts: readonly string[]): Promise<string> {
  // Lengths first, so no two different part lists can join into the same text.
  const text = `${parts.map((part) => part.length).join(',')}\n${parts.join('')}`;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
