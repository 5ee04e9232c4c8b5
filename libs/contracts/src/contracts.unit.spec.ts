import { generateKeyPairSync } from 'crypto';
import { type RecordedEvent, EventRegistry, merkleRoot, signCheckpoint, topicName } from '@dotpha/kernel';
import { AUDIT_CONTEXT, allEventDefinitions, auditCheckpointStream, contextOfEvents, contexts, contractRegistry, serviceEventDefinitions } from './index';

describe('the published event contract', () => {
  it('names every event once across all contexts, each in its own context', () => {
    const names = allEventDefinitions.flatMap((d) => [d.type, ...(d.aliases ?? [])]);
    expect(new Set(names).size).toBe(names.length);
    for (const [context, definitions] of Object.entries(contexts)) {
      for (const d of definitions) expect(d.context).toBe(context);
    }
    // Beside the services' contexts only the audit context: checkpoints and operators' actions on dead letters.
    expect(allEventDefinitions.filter((d) => !(d.context in contexts)).map((d) => [d.type, d.context])).toEqual([
      ['AuditCheckpointIssued', AUDIT_CONTEXT],
      ['DeadLetterInspected', AUDIT_CONTEXT],
      ['DeadLetterRedriven', AUDIT_CONTEXT],
    ]);
  });

  it("every service's store accepts the signed checkpoints it issues, published whole on the instance's public audit topic", () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const checkpoint = signCheckpoint({ instance: 'tm', service: 'proposals', sequence: 1, streams: 1, root: merkleRoot([{ streamId: 'proposal-1', position: 2, hash: 'a'.repeat(64) }]), issuedAt: '2026-12-01T10:00:00.000Z' }, privateKey);
    for (const service of Object.keys(contexts) as (keyof typeof contexts)[]) {
      const registry = new EventRegistry(serviceEventDefinitions(service));
      expect(() => registry.validateAppend([{ eventId: 'e', type: 'AuditCheckpointIssued', data: checkpoint, occurredAt: checkpoint.issuedAt, actor: { userId: `svc-${service}`, role: 'system' }, correlationId: 'c', causationId: null }])).not.toThrow();
      expect(() => registry.validateAppend([{ eventId: 'e', type: 'AuditCheckpointIssued', data: { ...checkpoint, heads: [] }, occurredAt: checkpoint.issuedAt, actor: { userId: 'x', role: 'system' }, correlationId: 'c', causationId: null }])).toThrow();
    }
    const event = { type: 'AuditCheckpointIssued', streamId: auditCheckpointStream('proposals'), data: checkpoint } as unknown as RecordedEvent;
    expect(topicName('tm', contextOfEvents()(event), 'dotpha', 'public')).toBe('dotpha.tm.public.audit');
    expect(contractRegistry().publicView(event)?.data).toEqual(checkpoint);
  });

  it('holds the events DOMAIN.md §5 names', () => {
    const registry = contractRegistry();
    for (const type of [
      'InitiativeRegistered', 'ProposalDrafted', 'ProposalRevised', 'ProposalSubmitted', 'ProposalWithdrawn', 'ReviewOpened',
      'PartyCommitteeConsulted', 'CollectiveVoteRecorded', 'HeadOverrideAuthorized', 'ReviewEscalated', 'RevisionRequested',
      'ProposalApproved', 'ProposalRejected', 'PilotStarted', 'ProgressReported', 'IssueFlagged', 'SupportProvided', 'PilotAdjusted',
      'PilotSuspended', 'PilotResumed', 'PilotTerminated', 'PilotCompleted', 'EvaluationOpened', 'ResultsReported', 'OutcomeAssessed',
      'LiabilityDecided', 'AbuseReferred', 'RecognitionRecommended', 'RecognitionGranted', 'RecognitionDeclined',
      'ReplicationRecommended', 'InstitutionalizationProposed',
    ]) {
      expect(registry.has(type)).toBe(true);
    }
  });

  it('marks only payload fields its schema declares as restricted', () => {
    for (const d of allEventDefinitions) {
      const properties = Object.keys((d.schema as { properties?: object }).properties ?? {});
      for (const field of d.restricted ?? []) expect(properties).toContain(field);
    }
  });
});
