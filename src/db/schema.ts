import { InitSchema1763700000000 } from '../../migrations/1763700000000-InitSchema';
import { SyncRoundKeys1796162171546 } from '../../migrations/1796162171546-SyncRoundKeys';
import { ItemEntity } from '../items/item.entity';
import { ConflictEntity } from '../admin/conflict.entity';
import { PeerCheckpointEntity } from '../peers/peer-checkpoint.entity';

/** Listed by hand so the same classes load under ts-jest and from `dist/`. */
export const ENTITIES = [ItemEntity, PeerCheckpointEntity, ConflictEntity];
export const MIGRATIONS = [InitSchema1763700000000, SyncRoundKeys1796162171546];
