/** A random id: a UUID where `crypto.randomUUID` exists, else 16 base-36 characters (~82 random bits). */
export function randomId(): string {
  // randomUUID exists only in secure contexts (https, localhost): a plain-http site takes the fallback.
  // getRandomValues exists in every target browser and in Node ≥ 19.
  if (crypto.randomUUID) return crypto.randomUUID();
  let id = "";
  for (const b of crypto.getRandomValues(new Uint8Array(16))) id += (b % 36).toString(36);
  return id;
}
