import type { Version } from '../core/version';

/**
 * A live version whose data is known only as checked canonical text, as a
 * bulk write keeps it: the write stores `dataText`, and `data` is parsed from
 * it only if something reads it, so a request does not hold on to what
 * JSON.parse built while its write runs. `data` is an accessor of the class:
 * a copy made by spreading leaves it out.
 */
export class TextVersion implements Version {
  readonly deleted = false;
  private parsed: Record<string, unknown> | undefined;

  constructor(
    readonly id: string,
    readonly updatedAtMs: number,
    readonly origin: string,
    readonly priority: number,
    readonly fingerprint: string,
    public replaces: string | null,
    readonly dataText: string,
  ) {}

  get data(): Record<string, unknown> {
    this.parsed ??= JSON.parse(this.dataText) as Record<string, unknown>;
    return this.parsed;
  }
}
