/** A random id: a UUID where `crypto.randomUUID` exists, else 16 base-36 characters (~82 random bits). */
export const randomId = (): string =>
  // randomUUID exists only in secure contexts (https, localhost): a plain-http site takes the fallback.
  // getRandomValues exists in every target browser and in Node ≥ 19.
  crypto.randomUUID?.() ?? Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => (b % 36).toString(36)).join("");
