import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/env';
import { ItemsRepository } from '../items/items.repository';
import { ConflictsRepository } from '../sync/conflicts.repository';

export interface NodeSummary {
  id: string;
  publicUrl: string;
  priority: number;
  peers: number;
  itemCount: number;
  openConflicts: number;
}

/** This node at a glance, for `GET /admin/node` and the status page. */
@Injectable()
export class NodeService {
  constructor(
    private readonly config: AppConfig,
    private readonly items: ItemsRepository,
    private readonly conflicts: ConflictsRepository,
  ) {}

  async summary(): Promise<NodeSummary> {
    const [itemCount, openConflicts] = await Promise.all([this.items.countLive(), this.conflicts.countOpen()]);
    const { nodeId: id, publicUrl, nodePriority: priority, peers } = this.config;
    return { id, publicUrl, priority, peers: peers.length, itemCount, openConflicts };
  }
}
