import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { LogEvents } from '../common/log-events';
import { AppConfig } from '../config/env';
import { NearLiveRounds } from './near-live-rounds';
import { SyncCoordinator } from './sync.coordinator';

/**
 * Near-live sync (`SYNC_DEBOUNCE_MS`): each committed change to this node's
 * log schedules a round with every other peer. It is per process: a change
 * committed by another process of the node reaches the peers through that
 * process's own near-live rounds, or the scheduler.
 */
@Injectable()
export class NearLiveSync implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('NearLiveSync');
  private readonly rounds: NearLiveRounds;

  constructor(
    config: AppConfig,
    private readonly events: LogEvents,
    coordinator: SyncCoordinator,
  ) {
    this.rounds = new NearLiveRounds({
      peers: config.peers.map((peer) => peer.id),
      debounceMs: config.syncDebounceMs,
      run: (peer) =>
        coordinator
          .syncForChange(peer)
          .catch((error: Error) => this.logger.error(`near-live sync with ${peer} crashed: ${error.message}`)),
    });
  }

  onApplicationBootstrap(): void {
    this.events.onChange((source) => this.rounds.changed(source));
  }

  beforeApplicationShutdown(): void {
    this.rounds.stop();
  }
}
