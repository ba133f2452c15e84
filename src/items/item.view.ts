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
