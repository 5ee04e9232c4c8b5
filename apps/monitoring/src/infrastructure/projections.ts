import { projection } from '@dotpha/kernel';
import { type PilotEvent, type PilotState, pilotDecider } from '@dotpha/monitoring-domain';
import { PILOTS_COLLECTION, type PilotRecord } from '../application/pilot-record';

const PILOT_EVENTS: readonly PilotEvent['type'][] = [
  'PilotPlanned', 'PilotStarted', 'ProgressReported', 'SupervisionCheckRecorded', 'IssueFlagged', 'SupportProvided',
  'PilotAdjusted', 'PilotSuspended', 'PilotResumed', 'PilotTerminated', 'PilotCompleted',
];

export const pilotsProjection = projection<PilotRecord, PilotEvent>({
  name: 'pilots',
  collection: PILOTS_COLLECTION,
  canHandle: PILOT_EVENTS,
  key: (e) => e.data.proposalId,
  apply: (current, event) => {
    // The decider's own evolve, so adjusted targets, met milestones and resolved flags read as the rules see them.
    const before: PilotState = current ? { status: current.status, pilot: current.pilot } : pilotDecider.initialState();
    const after = pilotDecider.evolve(before, event);
    if (after.status === 'none') throw new Error(`${event.type} arrived before the pilot of '${event.streamId}' was planned`);
    const { pilot } = after;
    const base: PilotRecord = {
      flagDescriptions: {},
      lastReport: null,
      plannedAt: event.occurredAt,
      startedAt: null,
      endedAt: null,
      ...current,
      proposalId: pilot.proposalId,
      kind: pilot.kind,
      status: after.status,
      proposerId: pilot.proposerId,
      proposerUnitId: pilot.proposerUnitId,
      supervisorId: pilot.supervisorId,
      pilot,
      lastChangedAt: event.occurredAt,
    };
    switch (event.type) {
      case 'PilotPlanned':
        return { ...base, plannedAt: event.data.plannedAt };
      case 'PilotStarted':
        return { ...base, startedAt: event.data.startedAt };
      case 'ProgressReported': {
        const { proposalId: _, ...report } = event.data;
        return { ...base, lastReport: report };
      }
      case 'IssueFlagged': {
        const { flagId, description } = event.data;
        return description === undefined ? base : { ...base, flagDescriptions: { ...base.flagDescriptions, [flagId]: description } };
      }
      case 'PilotCompleted':
      case 'PilotTerminated':
        return { ...base, endedAt: event.data.endedAt };
      default:
        return base;
    }
  },
});
