/**
 * Text as it may be shown in errors, logs and `/admin/peers`: the
 * `user:password@` of any URL in it is replaced by `***@`.
 */
export function redactUrl(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/?#\s@]*@/gi, '$1***@');
}
