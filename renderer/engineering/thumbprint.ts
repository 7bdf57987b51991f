/**
 * Certificate thumbprints as people compare them: hex digits in groups of four, upper
 * case, so an engineer can read one aloud against the server's own display. Pure.
 */

/** Only the hex digits of a thumbprint, upper case ("ab:cd 12" → "ABCD12"). */
export function thumbprintDigits(thumbprint: string): string {
  return thumbprint.replace(/[^0-9A-Fa-f]/g, '').toUpperCase();
}

/**
 * "3f2a9c…" → "3F2A 9C10 …". Text that is not a hex thumbprint (other characters than hex,
 * colons and spaces) is shown as it came, so nothing is hidden behind a reformatting.
 */
export function formatThumbprint(thumbprint: string, groupSize = 4): string {
  if (!/^[0-9A-Fa-f:\s-]+$/.test(thumbprint)) return thumbprint;
  const digits = thumbprintDigits(thumbprint);
  const groups: string[] = [];
  for (let i = 0; i < digits.length; i += groupSize) groups.push(digits.slice(i, i + groupSize));
  return groups.join(' ');
}

/** Whether two thumbprints name the same certificate, however each was written. */
export function sameThumbprint(a: string, b: string): boolean {
  const da = thumbprintDigits(a);
  return da.length > 0 && da === thumbprintDigits(b);
}
