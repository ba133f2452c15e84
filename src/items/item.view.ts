import type { Version } from '../core/version';

/** An item as the API shows it. */
export interface ItemView {
  id: string;
  data: Record<string, unknown> | null;
  deleted: boolean;
  updatedAt: string;
  origin: string;
  priority: number;
  fingerprint: string;
  uri: string;
}

export function itemUri(publicUrl: string, id: string): string {
  return `${publicUrl}/items/${id}`;
}

export function toItemView(version: Version, publicUrl: string): ItemView {
  return {
    id: version.id,
    data: version.data,
    deleted: version.deleted,
    updatedAt: new Date(version.updatedAtMs).toISOString(),
    origin: version.origin,
    priority: version.priority,
    fingerprint: version.fingerprint,
    uri: itemUri(publicUrl, version.id),
  };
}

/**
 * Items in the shape of `toItemView`, each as its JSON text, each `data` spliced in as
 * the database's own JSON text. Every other field is a UUID, hex
 * fingerprint, node id, number, boolean or ISO time, none of which JSON
 * escapes; the public URL is escaped once.
 */
export function itemTexts(found: { version: Version; dataText: string | null }[], publicUrl: string): string[] {
  const uri = JSON.stringify(itemUri(publicUrl, '')).slice(0, -1);
  return found.map(
    ({ version: v, dataText }) =>
      `{"id":"${v.id}","data":${dataText ?? 'null'},"deleted":${v.deleted},"updatedAt":"${new Date(v.updatedAtMs).toISOString()}",` +
      `"origin":"${v.origin}","priority":${v.priority},"fingerprint":"${v.fingerprint}","uri":${uri}${v.id}"}`,
  );
}
