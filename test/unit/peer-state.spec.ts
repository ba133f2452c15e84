import { PeerJobFacts, dueAt, peerState } from '../../src/peers/peer-state';

const idle: PeerJobFacts = { running: false, paused: false, stoodDown: false, consecutiveFailures: 0, nextRunAt: null };
const soon = new Date('2026-12-01T12:00:00.000Z');

describe('peerState', () => {
  it('is idle with nothing due and scheduled with a next run', () => {
    expect(peerState(idle)).toBe('idle');
    expect(peerState({ ...idle, nextRunAt: soon })).toBe('scheduled');
  });

  it('backs off after a failure, with or without a retry planned', () => {
    expect(peerState({ ...idle, consecutiveFailures: 1, nextRunAt: soon })).toBe('backing-off');
    expect(peerState({ ...idle, consecutiveFailures: 3 })).toBe('backing-off');
  });

  it('stands down after a refusal, over failures and a planned run', () => {
    expect(peerState({ ...idle, stoodDown: true, consecutiveFailures: 2, nextRunAt: soon })).toBe('stood-down');
  });

  it('is paused over standing down, failures and a planned run', () => {
    expect(peerState({ ...idle, paused: true, stoodDown: true, consecutiveFailures: 2, nextRunAt: soon })).toBe('paused');
  });

  it('shows a run in progress whatever else holds', () => {
    expect(peerState({ running: true, paused: true, stoodDown: true, consecutiveFailures: 2, nextRunAt: soon })).toBe('running');
  });
});

describe('dueAt', () => {
  it('is the next run, except for a paused or stood-down peer', () => {
    expect(dueAt({ ...idle, nextRunAt: soon })).toEqual(soon);
    expect(dueAt({ ...idle, nextRunAt: soon, paused: true })).toBeNull();
    expect(dueAt({ ...idle, nextRunAt: soon, stoodDown: true })).toBeNull();
  });
});
