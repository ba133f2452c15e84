import { ArrayMaxSize, IsArray, IsOptional, Matches } from 'class-validator';
import { NODE_ID_PATTERN } from '../config/env';
import { MAX_PEERS_PER_SYNC } from '../core/limits';

export class SyncRequestBody {
  @IsOptional()
  @IsArray({ message: 'peers must be an array of peer ids' })
  @ArrayMaxSize(MAX_PEERS_PER_SYNC)
  @Matches(NODE_ID_PATTERN, { each: true, message: 'each peer must be a node id (1-32 of a-z 0-9 _ -)' })
  peers?: string[];
}
