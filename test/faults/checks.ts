import { randomUUID } from 'crypto';
import { Kafka, logLevel } from 'kafkajs';
import { mongo } from 'mongoose';
import type { RecordedEvent } from '@dotpha/kernel';
import { type Cluster, HEAD, PROPOSER, type Submission, callAll, sleep } from './lab';

/**
 * What the fault suite asserts after each scenario (issue 16), against the three places an event
 * lives: the store (each service's `commits`), the topics read back from offset 0 by a fresh
 * group, and the read models over HTTP. Every check returns the problems it found, in words.
 */

interface Commit {
  _id: string;
  streamId: string;
  from: number;
  to: number;
  events: RecordedEvent[];
}

/** The events of one service's store, by stream, as stored (commit order). */
export interface StoreSnapshot {
  readonly service: string;
  readonly streams: Map<string, RecordedEvent[]>;
  readonly problems: string[];
}

/** Reads every commit of a service's database and checks each stream: positions 1..n, one event id once, the hash chain. */
export async function readStore(mongoUrl: string, database: string, service: string): Promise<StoreSnapshot> {
  const client = await mongo.MongoClient.connect(mongoUrl, { serverSelectionTimeoutMS: 10_000 });
  try {
    const commits = await client.db(database).collection<Commit>('commits').find({}).toArray();
    const byStream = new Map<string, Commit[]>();
    for (const c of commits) byStream.set(c.streamId, [...(byStream.get(c.streamId) ?? []), c]);
    const problems: string[] = [];
    const streams = new Map<string, RecordedEvent[]>();
    const ids = new Map<string, string>();
    for (const [streamId, list] of byStream) {
      list.sort((a, b) => a.from - b.from);
      const events: RecordedEvent[] = [];
      let expected = 1;
      for (const c of list) {
        if (c.from !== expected) problems.push(`${service} store: ${streamId} has a commit from ${c.from} where ${expected} was due (gap or overlap)`);
        if (c.to - c.from + 1 !== c.events.length) problems.push(`${service} store: commit ${c._id} spans ${c.from}..${c.to} but holds ${c.events.length} events`);
        expected = c.to + 1;
        events.push(...c.events);
      }
      events.forEach((e, i) => {
        if (e.streamPosition !== i + 1) problems.push(`${service} store: ${streamId} holds position ${e.streamPosition} at place ${i + 1} (order)`);
        if (i > 0 && e.prevHash !== events[i - 1].hash) problems.push(`${service} store: ${streamId}@${e.streamPosition} does not chain to its predecessor`);
        const seen = ids.get(e.eventId);
        if (seen) problems.push(`${service} store: event ${e.eventId} stored twice (${seen} and ${streamId}@${e.streamPosition}) (doubled)`);
        ids.set(e.eventId, `${streamId}@${e.streamPosition}`);
      });
      streams.set(streamId, events);
    }
    return { service, streams, problems };
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** A submission round in the store and its downstream effects, with the moment each was recorded. */
export interface Round {
  readonly proposalId: string;
  readonly round: number;
  readonly submittedAt: number;
  /** ReviewOpened of this round (approvals): the downstream effect. */
  readonly reviewsOpened: number[];
  /** ProposalReviewOutcomeRecorded 'review-opened' of this round (proposals): the effect back on the proposal. */
  readonly outcomesRecorded: number[];
}

/** Every submission round in the proposals store and what answered it in the approvals store. */
export function rounds(proposals: StoreSnapshot, approvals: StoreSnapshot): { rounds: Map<string, Round>; problems: string[] } {
  const result = new Map<string, Round>();
  const problems: string[] = [];
  const at = (e: RecordedEvent) => Date.parse(e.recordedAt);
  for (const events of proposals.streams.values()) {
    for (const e of events) {
      if (e.type !== 'ProposalSubmitted') continue;
      const d = e.data as { proposalId: string; revision: number };
      const key = `${d.proposalId}#${d.revision}`;
      if (result.has(key)) problems.push(`proposal ${d.proposalId} submitted twice in round ${d.revision} (doubled)`);
      result.set(key, { proposalId: d.proposalId, round: d.revision, submittedAt: at(e), reviewsOpened: [], outcomesRecorded: [] });
    }
  }
  for (const events of proposals.streams.values()) {
    for (const e of events) {
      const d = e.data as { proposalId: string; round: number; outcome: string };
      if (e.type !== 'ProposalReviewOutcomeRecorded' || d.outcome !== 'review-opened') continue;
      const r = result.get(`${d.proposalId}#${d.round}`);
      if (r) r.outcomesRecorded.push(at(e));
      else problems.push(`proposal ${d.proposalId} records a review opened in round ${d.round} it was never submitted in`);
    }
  }
  for (const [streamId, events] of approvals.streams) {
    for (const e of events) {
      if (e.type !== 'ReviewOpened') continue;
      const d = e.data as { proposalId: string; round: number };
      if (streamId !== `review-${d.proposalId}`) problems.push(`ReviewOpened of ${d.proposalId} in stream ${streamId}`);
      const r = result.get(`${d.proposalId}#${d.round}`);
      if (r) r.reviewsOpened.push(at(e));
      else problems.push(`review of ${d.proposalId} opened for round ${d.round}, which was never submitted`);
    }
  }
  return { rounds: result, problems };
}

/** Each round's effects: exactly one review opened and exactly one outcome recorded on the proposal. */
export function effectProblems(all: Map<string, Round>): string[] {
  const problems: string[] = [];
  for (const r of all.values()) {
    if (r.reviewsOpened.length === 0) problems.push(`proposal ${r.proposalId} round ${r.round}: no review opened (lost)`);
    if (r.reviewsOpened.length > 1) problems.push(`proposal ${r.proposalId} round ${r.round}: ${r.reviewsOpened.length} reviews opened (doubled)`);
    if (r.reviewsOpened.length === 1 && r.outcomesRecorded.length === 0) problems.push(`proposal ${r.proposalId} round ${r.round}: the opened review never reached the proposal (lost)`);
    if (r.outcomesRecorded.length > 1) problems.push(`proposal ${r.proposalId} round ${r.round}: the opened review recorded ${r.outcomesRecorded.length} times (doubled)`);
  }
  return problems;
}

/** Whether every round has both of its effects. */
export const settled = (all: Map<string, Round>) => [...all.values()].every((r) => r.reviewsOpened.length > 0 && r.outcomesRecorded.length > 0);

/** Reads topics from offset 0 with a fresh consumer group, up to the end each partition had when it began. */
export async function readTopics(brokers: string, topics: string[], timeoutMs = 90_000): Promise<{ topic: string; partition: number; offset: number; event: RecordedEvent }[]> {
  const kafka = new Kafka({ brokers: [brokers], clientId: 'dotpha-faults-reader', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, number>();
  try {
    const existing = new Set(await admin.listTopics());
    for (const topic of topics.filter((t) => existing.has(t))) {
      for (const p of await admin.fetchTopicOffsets(topic)) if (Number(p.high) > Number(p.low)) ends.set(`${topic}/${p.partition}`, Number(p.high));
    }
  } finally {
    await admin.disconnect();
  }
  const records: { topic: string; partition: number; offset: number; event: RecordedEvent }[] = [];
  if (ends.size === 0) return records;
  const reached = new Map<string, number>();
  const consumer = kafka.consumer({ groupId: `dotpha-faults-reader-${randomUUID()}`, sessionTimeout: 30_000 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...new Set([...ends.keys()].map((k) => k.split('/')[0]))], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const offset = Number(message.offset);
        reached.set(`${topic}/${partition}`, offset + 1);
        if (message.value) records.push({ topic, partition, offset, event: JSON.parse(message.value.toString('utf8')) });
      },
    });
    const deadline = Date.now() + timeoutMs;
    while ([...ends].some(([k, end]) => (reached.get(k) ?? 0) < end)) {
      if (Date.now() > deadline) throw new Error(`reading the topics back stopped short: ${JSON.stringify([...ends].map(([k, end]) => [k, reached.get(k) ?? 0, end]))}`);
      await sleep(200);
    }
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
  return records;
}

/**
 * The topic against the store: every stored event of the streams it carries is on it (0 lost),
 * nothing on it the store does not hold identically, one stream on one partition, and each stream
 * read in order (first deliveries at positions 1..n). Redeliveries of an event already on the
 * topic (at-least-once publishing after a crash) are counted, not refused: consumers deduplicate.
 */
export function topicProblems(
  topic: string,
  records: { topic: string; partition: number; offset: number; event: RecordedEvent }[],
  store: StoreSnapshot,
  carries: (streamId: string) => boolean,
): { problems: string[]; redelivered: number; delivered: number } {
  const problems: string[] = [];
  const stored = new Map<string, RecordedEvent>();
  for (const [streamId, events] of store.streams) if (carries(streamId)) for (const e of events) stored.set(e.eventId, e);
  const seen = new Set<string>();
  const partitionOf = new Map<string, number>();
  const next = new Map<string, number>();
  let redelivered = 0;
  const mine = records.filter((r) => r.topic === topic).sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  for (const { partition, offset, event } of mine) {
    const original = stored.get(event.eventId);
    if (!original) {
      problems.push(`${topic}/${partition}@${offset}: event ${event.eventId} (${event.streamId}@${event.streamPosition}) is not in the store`);
      continue;
    }
    if (original.hash !== event.hash || original.streamPosition !== event.streamPosition) problems.push(`${topic}/${partition}@${offset}: event ${event.eventId} differs from the stored one`);
    const p = partitionOf.get(event.streamId);
    if (p !== undefined && p !== partition) problems.push(`${topic}: stream ${event.streamId} on partitions ${p} and ${partition}`);
    partitionOf.set(event.streamId, partition);
    if (seen.has(event.eventId)) {
      redelivered++;
      continue;
    }
    seen.add(event.eventId);
    const due = next.get(event.streamId) ?? 1;
    if (event.streamPosition !== due) problems.push(`${topic}/${partition}@${offset}: ${event.streamId}@${event.streamPosition} first delivered where position ${due} was due (order)`);
    next.set(event.streamId, Math.max(due, event.streamPosition + 1));
  }
  const missing = [...stored.values()].filter((e) => !seen.has(e.eventId));
  if (missing.length) problems.push(`${topic}: ${missing.length} stored events never published (lost), e.g. ${missing.slice(0, 3).map((e) => `${e.streamId}@${e.streamPosition}`).join(', ')}`);
  return { problems, redelivered, delivered: seen.size };
}

/** The read models over HTTP: the head's open reviews and the proposer's proposals show every round's review, once. */
export async function readModelProblems(cluster: Cluster, all: Map<string, Round>): Promise<string[]> {
  const problems: string[] = [];
  const reviews = await callAll(cluster, 'approvals', '/reviews?status=open', HEAD, { role: 'unit-head', timeoutMs: 60_000 });
  const proposals = await callAll(cluster, 'proposals', '/proposals', PROPOSER, { timeoutMs: 60_000 });
  if (reviews.status !== 200 || !Array.isArray(reviews.body)) return [`GET /reviews?status=open answered ${reviews.status} ${reviews.error ?? ''}`];
  if (proposals.status !== 200 || !Array.isArray(proposals.body)) return [`GET /proposals answered ${proposals.status} ${proposals.error ?? ''}`];
  const reviewsOf = new Map<string, { proposalId: string; round: number }[]>();
  for (const r of reviews.body as { proposalId: string; round: number }[]) reviewsOf.set(r.proposalId, [...(reviewsOf.get(r.proposalId) ?? []), r]);
  const proposalOf = new Map((proposals.body as { proposalId: string; reviewer: { round: number } | null }[]).map((p) => [p.proposalId, p]));
  for (const r of all.values()) {
    const listed = reviewsOf.get(r.proposalId) ?? [];
    if (listed.length !== 1) problems.push(`read model: ${listed.length} open reviews listed for proposal ${r.proposalId}`);
    else if (listed[0].round !== r.round) problems.push(`read model: the review of ${r.proposalId} shows round ${listed[0].round}, the store ${r.round}`);
    const proposal = proposalOf.get(r.proposalId);
    if (!proposal) problems.push(`read model: proposal ${r.proposalId} is not listed to its proposer`);
    else if (proposal.reviewer?.round !== r.round) problems.push(`read model: proposal ${r.proposalId} shows reviewer ${JSON.stringify(proposal.reviewer)}, its review of round ${r.round} is open (lost update)`);
  }
  return problems;
}

/** Every submission the client saw accepted is in the store (an acknowledged write is never lost). */
export function acknowledgedProblems(submissions: readonly Submission[], all: Map<string, Round>): string[] {
  const inStore = new Set([...all.values()].map((r) => r.proposalId));
  return submissions.filter((s) => s.submitStatus === 200 && !inStore.has(s.proposalId!)).map((s) => `submission ${s.scenario} #${s.n} (${s.proposalId}) was acknowledged but is not in the store (lost)`);
}

export interface Recovery {
  /** From the fault's end to the first review opened for a submission sent after it (ms); Infinity when none. */
  readonly recoveryMs: number;
  /** The slowest review among the submissions sent after the fault's end (ms from submit to review). */
  readonly worstLatencyAfterMs: number;
  /** From the fault's end until every earlier submission had its review (ms). */
  readonly backlogClearedMs: number;
  /** Submissions the client saw acknowledged after the fault's end. */
  readonly after: number;
}

/** Recovery times of one scenario from the client's submit times and the store's recordedAt of each review. */
export function recovery(submissions: readonly Submission[], all: Map<string, Round>, faultEnd: number): Recovery {
  const byProposal = new Map([...all.values()].map((r) => [r.proposalId, r]));
  const reviewAt = (s: Submission) => byProposal.get(s.proposalId!)?.reviewsOpened[0];
  const acked = submissions.filter((s) => s.submitStatus === 200);
  const after = acked.filter((s) => s.submitSentAt! >= faultEnd);
  const before = submissions.filter((s) => s.proposalId && s.submitSentAt !== undefined && s.submitSentAt < faultEnd && byProposal.has(s.proposalId));
  const firstAfter = Math.min(...after.map(reviewAt).filter((t): t is number => t !== undefined));
  const latencies = after.map((s) => (reviewAt(s) ?? Infinity) - s.submitSentAt!);
  const lastBefore = Math.max(faultEnd, ...before.map((s) => reviewAt(s) ?? Infinity));
  return {
    recoveryMs: firstAfter - faultEnd,
    worstLatencyAfterMs: latencies.length ? Math.max(...latencies) : NaN,
    backlogClearedMs: lastBefore - faultEnd,
    after: after.length,
  };
}
