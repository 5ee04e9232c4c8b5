import { allEventDefinitions, contexts, contractRegistry } from './index';

describe('the published event contract', () => {
  it('names every event once across all contexts, each in its own context', () => {
    const names = allEventDefinitions.flatMap((d) => [d.type, ...(d.aliases ?? [])]);
    expect(new Set(names).size).toBe(names.length);
    for (const [context, definitions] of Object.entries(contexts)) {
      for (const d of definitions) expect(d.context).toBe(context);
    }
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
