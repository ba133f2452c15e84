import { DomainError } from '../../src/common/domain-error';

/** What a check gives: its result, or the refusal's code and message. */
export function outcome(check: () => string): string {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return `${error.code}: ${error.message}`;
  }
}
