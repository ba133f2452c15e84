/**
 * Text as it may be shown in errors, logs and `/admin/peers`: the
 * `user:password@` of any URL in it is replaced by `***@`.
 */
export function redactUrl(text: string): string {
  // Up to the last `@` of the authority, as URL parsers read it: a password may itself hold an `@`.
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/gi, '$1***@');
}
