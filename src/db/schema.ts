import { InitSchema1763700000000 } from '../../migrations/1763700000000-InitSchema';
import { SeenSignatures1764600000000 } from '../../migrations/1764600000000-SeenSignatures';
import { ConflictWorkflow1764600000001 } from '../../migrations/1764600000001-ConflictWorkflow';
import { PeerJobs1796161981248 } from '../../migrations/1796161981248-PeerJobs';
import { SyncRoundKeys1796162171546 } from '../../migrations/1796162171546-SyncRoundKeys';
import { ItemsBySource1796200000000 } from '../../migrations/1796200000000-ItemsBySource';

/**
 * The migrations are the schema: no runtime entities, each repository writes
 * its own SQL. Listed by hand so the same classes load under ts-jest and from `dist/`.
 */
export const MIGRATIONS = [
  InitSchema1763700000000,
  SeenSignatures1764600000000,
  ConflictWorkflow1764600000001,
  PeerJobs1796161981248,
  SyncRoundKeys1796162171546,
  ItemsBySource1796200000000,
];
