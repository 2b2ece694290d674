/**
 * Model-based tests of the journey statechart with @xstate/graph: traverse the machine with a
 * representative sample of every event (modelEvents.ts) and check the graph as a whole.
 *
 * The graph is kept finite by serialising a snapshot as its state value plus the few context facts
 * that decide which events are accepted (which preconditions hold), not the whole context.
 */
import {
  getAdjacencyMap,
  getShortestPaths,
  getSimplePaths,
  getStateNodes,
  type AdjacencyMap,
} from '@xstate/graph';
import { initialTransition, transition, type ActorLogic } from 'xstate';
import { checkEvent, handledEventTypes, type JourneySnapshot } from '../../machines/checkEvent';
import { journeyEventTypes, type JourneyEvent, type JourneyEventType } from '../../machines/events';
import { planUsesDirectPayment } from '../../machines/journeyContext';
import { journeyMachine } from '../../machines/journeyMachine';
import { openDeadlines } from '../../machines/deadlines';
import { preconditionRefusals } from '../../machines/rules';
import { stageLimitDays } from '../../machines/stuckLimits';
import { stageOf, stageWords } from '../../machines/stages';
import { pathToActivation } from '../support/journeyEvents';
import type { JourneyInput } from '../../machines/journeyContext';
import { journeyInput } from './journeyHarness';
import { sampledTypes, sampleEvents } from './modelEvents';

type Snapshot = JourneySnapshot;
type Adjacency = AdjacencyMap<Snapshot, JourneyEvent>;
type Step = { event: JourneyEvent; state: Snapshot };
const transitionsOf = (vertex: Adjacency[keyof Adjacency]): Step[] =>
  Object.values(vertex.transitions) as Step[];
/** The machine as @xstate/graph's typings expect it (they know nothing of typed emitted effects). */
const logic = journeyMachine as unknown as ActorLogic<Snapshot, JourneyEvent, JourneyInput>;

/** Events that end a journey from anywhere: they must not count as a stage's own way forward. */
const exits = new Set<JourneyEventType>(['PERSON_DIED', 'JOURNEY_WITHDRAWN', 'MOVED_AWAY']);
/**
 * The concerns that run alongside every stage (and the DP suspension a hospital stay allows), and
 * appeals and the live direct payment's monitoring (R-APL-1, R-DPM-1, R-DPM-2).
 */
const concernEvents =
  /COMPLAINT|SAFEGUARDING|HOSPITAL|INVOLVEMENT|ADVOCATE|DIRECT_PAYMENT_SUSPENDED|APPEAL|DIRECT_PAYMENT_VARIATION|TEMPORARY_SUPPORT/;

/** Value, plus the context facts that decide what is accepted next. */
function abstractState(snapshot: Snapshot): string {
  const { context } = snapshot;
  const handled = snapshot.status === 'active' ? [...handledEventTypes(snapshot)] : [];
  return JSON.stringify({
    value: snapshot.value,
    universalOffer: !!context.universalOffer,
    carer: context.carer ? (context.carer.offeredAt ? 'offered' : 'identified') : 'none',
    dispute: !!context.planning?.dispute,
    challenges: context.budgetChallenges.map((c) => !!c.panelOfferedAt),
    directPayment: planUsesDirectPayment(context.plan),
    ready: handled.filter((type) => preconditionRefusals(context, type).length === 0).sort(),
  });
}

/** The samples worth trying from a snapshot: those of a type some active state handles. */
function samplesFor(snapshot: Snapshot): JourneyEvent[] {
  if (snapshot.status !== 'active') return [];
  const handled = handledEventTypes(snapshot);
  return sampleEvents(snapshot.context).filter((e) => handled.has(e.type));
}

/**
 * Two models keep the graph small without losing a state: the main stage from a new journey (the
 * concerns left alone), and the concerns (complaints, safeguarding, hospital, advocacy) from a
 * person living with a direct payment, where they interact with the stage the most.
 */
const stageModel = {
  input: journeyInput(),
  events: (s: Snapshot) => samplesFor(s).filter((e) => !concernEvents.test(e.type)),
  serializeState: abstractState,
};
const toLiveSupport = pathToActivation('2026-01-05T10:00:00.000Z', { directPayment: true });
const liveWithDirectPayment = toLiveSupport.reduce(
  (s, e) => transition(journeyMachine, s, e)[0],
  initialTransition(journeyMachine, journeyInput())[0],
);
const concernsModel = {
  fromState: liveWithDirectPayment,
  events: (s: Snapshot) => samplesFor(s).filter((e) => concernEvents.test(e.type)),
  serializeState: abstractState,
};

/** Every snapshot the traversal produced: the graph's states and every transition's target. */
function allSnapshots(adjacency: Adjacency): Snapshot[] {
  return Object.values(adjacency).flatMap((v) => [v.state, ...transitionsOf(v).map((t) => t.state)]);
}

/** Every way a journey can close (R-DTH-1, R-END-1, R-TRF-1, …), as the machine records it. */
const closureReasons = [
  'died',
  'eligibleNeedsMetOtherwise',
  'equipmentInPlace',
  'informationAndAdvice',
  'movedAway',
  'notEligible',
  'servicesEnded',
  'shortTermSupportMetNeeds',
  'withdrawn',
];

const leafNodes = getStateNodes(journeyMachine.root).filter((n) => n.type === 'atomic' || n.type === 'final');
const isActive = (snapshot: Snapshot, nodeId: string) => snapshot._nodes.some((n) => n.id === nodeId);

describe('model: the journey statechart as a graph (@xstate/graph)', () => {
  type Paths = ReturnType<typeof getShortestPaths<typeof logic>>;
  /** The two graphs, and each shortest path with the events leading to its model's start. */
  let graphs: Adjacency[];
  let shortest: { path: Paths[number]; prefix: JourneyEvent[] }[];

  beforeAll(() => {
    graphs = [getAdjacencyMap(logic, stageModel), getAdjacencyMap(logic, concernsModel)];
    shortest = [
      ...getShortestPaths(logic, stageModel).map((path) => ({ path, prefix: [] })),
      ...getShortestPaths(logic, concernsModel).map((path) => ({ path, prefix: toLiveSupport })),
    ];
  });
  const edges = () =>
    graphs.flatMap((g) =>
      Object.values(g).flatMap((vertex) =>
        transitionsOf(vertex).map((t) => ({ state: vertex.state, event: t.event, next: t.state })),
      ),
    );

  it('has a sample of every event type in the catalogue', () => {
    const sampled = sampledTypes();
    expect(journeyEventTypes.filter((t) => t !== 'DEADLINE_REACHED' && !sampled.has(t))).toEqual([]);
  });

  it('reaches every state node (every stage, step and concern state), and gives a shortest path to each', () => {
    expect(leafNodes.length).toBeGreaterThan(20);
    const unreachable = leafNodes
      .filter((node) => !shortest.some(({ path }) => isActive(path.state, node.id)))
      .map((node) => node.id);
    expect(unreachable).toEqual([]);
    expect(shortest.length).toBe(graphs.reduce((n, g) => n + Object.keys(g).length, 0));
  });

  it('replays the shortest path to each state node from a new journey, every step accepted (checkEvent agrees)', () => {
    for (const node of leafNodes) {
      const found = shortest
        .filter(({ path }) => isActive(path.state, node.id))
        .sort((a, b) => a.prefix.length + a.path.steps.length - (b.prefix.length + b.path.steps.length))[0];
      if (!found) throw new Error(`no path to ${node.id}`);
      const { path, prefix } = found;
      let snapshot = initialTransition(journeyMachine, journeyInput())[0];
      for (const event of [...prefix, ...path.steps.map((s) => s.event)]) {
        if ((event.type as string) === 'xstate.init') continue;
        const check = checkEvent(snapshot, event);
        if (!check.allowed) {
          throw new Error(`${node.id}: ${event.type} refused on replay: ${JSON.stringify(check.reasons)}`);
        }
        snapshot = transition(journeyMachine, snapshot, event)[0];
      }
      expect([node.id, abstractState(snapshot)]).toEqual([node.id, abstractState(path.state)]);
      expect(isActive(snapshot, node.id)).toBe(true);
    }
  });

  it('accepts every event type somewhere, and checkEvent agrees with the machine on every edge of the graph', () => {
    const accepted = new Set<string>();
    const disagreements: string[] = [];
    for (const { state, event, next } of edges()) {
      const moved = next !== state; // a refused event returns the very same snapshot
      if (moved) accepted.add(event.type);
      if (checkEvent(state, event).allowed !== moved) {
        disagreements.push(
          `${stageOf(state)} ${event.type}: checkEvent ${moved ? 'refuses' : 'allows'}, machine ${moved ? 'moves' : 'stays'}`,
        );
      }
    }
    expect(journeyEventTypes.filter((t) => !accepted.has(t))).toEqual([]);
    expect([...new Set(disagreements)]).toEqual([]);
  });

  it('gives every state a way forward: without death, withdrawal or a move, the stage can still change', () => {
    const [stageGraph, concernsGraph] = graphs as [Adjacency, Adjacency];
    const forward = new Map<string, string[]>();
    for (const [key, vertex] of Object.entries(stageGraph)) {
      const ordinary = transitionsOf(vertex).filter((t) => !exits.has(t.event.type));
      forward.set(
        key,
        ordinary.map((t) => abstractState(t.state)),
      );
    }
    const stuck: string[] = [];
    for (const [key, { state }] of Object.entries(stageGraph)) {
      if (state.status !== 'active') continue;
      const stage = stageOf(state);
      // Breadth-first over ordinary events until a state at another stage (or closed) appears.
      const seen = new Set([key]);
      const queue = [key];
      let moves = false;
      while (queue.length && !moves) {
        for (const next of forward.get(queue.shift() as string) ?? []) {
          const nextState = stageGraph[next as keyof Adjacency]?.state;
          if (nextState && stageOf(nextState) !== stage) moves = true;
          if (nextState && !seen.has(next)) {
            seen.add(next);
            queue.push(next);
          }
        }
      }
      if (!moves) stuck.push(`${stage}: ${key}`);
    }
    expect(stuck).toEqual([]);
    // Alongside, every combination of concerns can change too (some event leads elsewhere).
    const still = Object.entries(concernsGraph)
      .filter(([key, vertex]) => transitionsOf(vertex).every((t) => abstractState(t.state) === key))
      .map(([key]) => key);
    expect(still).toEqual([]);
  });

  it('R-DTH-1 / R-EMG-2: a closed journey has no deadline left due or overdue, whatever closed it', () => {
    const closed = graphs.flatMap(allSnapshots).filter((s) => s.status === 'done');
    const reasons = new Set(closed.map((s) => s.context.closure?.reason));
    expect([...reasons].sort()).toEqual(closureReasons);
    const open = closed.flatMap((s) =>
      s.context.deadlines
        .filter((d) => d.status === 'due' || d.status === 'overdue')
        .map((d) => `${s.context.closure?.reason}: ${d.id}`),
    );
    expect(open).toEqual([]);
    expect(
      closed.every((s) => s.context.interimSupport === undefined || s.context.interimSupport.endedAt),
    ).toBe(true);
  });

  it('R-REV-12: in every state the model reaches with services live, a review is due (an open review deadline)', () => {
    const reviewKinds = new Set([
      'firstReview',
      'annualReview',
      'unscheduledReview',
      'equipmentConfirmation',
    ]);
    const live = graphs
      .flatMap(allSnapshots)
      .filter((s) => s.status === 'active' && s.context.activatedAt !== undefined)
      // R-REV-14: equipment alone, confirmed as suiting the person, needs no regular review.
      .filter((s) => !s.context.equipmentOnly?.confirmedAt);
    // The invariant is checked where it bites: live support, and the roads beside it.
    expect([...new Set(live.map(stageOf))]).toEqual(
      expect.arrayContaining([
        'liveSupport',
        'reassessment',
        'endingServices',
        'indicativeBudget',
        'planning',
      ]),
    );
    const unclocked = live
      .filter((s) => !openDeadlines(s.context).some((d) => reviewKinds.has(d.kind)))
      .map((s) => `${stageOf(s)}: ${JSON.stringify(s.value)}`);
    expect([...new Set(unclocked)]).toEqual([]);
  });

  it('R-REV-12 / R-EMG-3: every open stage the model reaches has a clock running or a stuck limit in the profile', () => {
    const open = graphs
      .flatMap(allSnapshots)
      .filter((s) => s.status === 'active' && stageOf(s) !== 'awaitingReferral');
    const unwatched = open
      .filter((s) => openDeadlines(s.context).length === 0 && stageLimitDays(s) === undefined)
      // R-REV-14: equipment alone, confirmed as suiting the person, is watched by no clock: the
      // person alerts the council to any later concern (SBS §9 "Equipment").
      .filter((s) => !s.context.equipmentOnly?.confirmedAt)
      .map((s) => JSON.stringify(s.value));
    expect([...new Set(unwatched)]).toEqual([]);
    // Each stage of JOURNEY.md is reached, so none escapes the check.
    expect(new Set(open.map(stageOf))).toEqual(
      new Set(Object.keys(stageWords).filter((s) => s !== 'awaitingReferral' && s !== 'closed')),
    );
  });

  it('is never at two main stages at once (the stage region has exactly one active stage)', () => {
    const stages = new Set(Object.keys(stageWords));
    const bad = graphs
      .flatMap(allSnapshots)
      .filter((s) => s.status === 'active')
      .filter((s) => {
        const stage = (s.value as { open: { stage: string | Record<string, unknown> } }).open.stage;
        if (typeof stage === 'string') return !stages.has(stage);
        const keys = Object.keys(stage);
        return (
          keys.length !== 1 || !stages.has(keys[0] as string) || typeof stage[keys[0] as string] !== 'string'
        );
      })
      .map((s) => JSON.stringify(s.value));
    expect(bad).toEqual([]);
    const activeStageNodes = (s: Snapshot) => s._nodes.filter((n) => n.parent?.key === 'stage');
    expect(
      graphs.flatMap(allSnapshots).filter((s) => s.status === 'active' && activeStageNodes(s).length !== 1),
    ).toEqual([]);
  });
});

describe('model: routes from referral to closure (simple paths)', () => {
  /**
   * A smaller model for enumerating routes: the main stage only (concerns, carers, advocacy, disputes
   * and bookkeeping events left out), with the prerequisites given where the ordinary road gives them.
   * Simple paths never repeat a state, so they are bounded by the size of this graph.
   */
  const left =
    /DISPUTE|VALIDATED|COMPLAINT|SAFEGUARDING|HOSPITAL|SUSPENDED|INVOLVEMENT|ADVOCATE|CARER|CAPACITY|PAUSED|RESUMED|WORKER|SURPLUS|MONITORING|UNSCHEDULED|INFORMAL|APPEAL|VARIATION|TEMPORARY_SUPPORT|AFTERCARE|FINANCE_CONTACTED/;
  const routeEvents = (snapshot: Snapshot): JourneyEvent[] =>
    samplesFor(snapshot).filter(
      (e) =>
        !left.test(e.type) &&
        !(e.type === 'REFERRAL_RECEIVED' && e.referralId !== 'ref-1') &&
        !(e.type === 'PLANNING_STARTED' && e.preparedBy !== 'worker') &&
        !(e.type === 'PLAN_SIGNED_OFF' && e.withDispute) &&
        // Routes take reviews, and equipment confirmed, from live support; a review held while
        // services change (R-REV-6) is walked in the graph above and in everyRoad.properties.
        !(
          (e.type === 'REVIEW_COMPLETED' || e.type === 'EQUIPMENT_CONFIRMED') &&
          stageOf(snapshot) !== 'liveSupport'
        ) &&
        // Death, withdrawal and moves close a journey from any stage; routes take them from live support.
        (!exits.has(e.type) || stageOf(snapshot) === 'liveSupport'),
    );
  const routeState = (snapshot: Snapshot) =>
    JSON.stringify({
      stage:
        snapshot.status === 'active' ? (snapshot.value as { open: { stage: unknown } }).open.stage : 'closed',
      // Only what the routes may send: readiness of the events left out would split states the
      // routes cannot tell apart.
      ready: (JSON.parse(abstractState(snapshot)).ready as string[]).filter((type) => !left.test(type)),
      uo: !!snapshot.context.universalOffer,
    });
  const routeModel = { input: journeyInput(), events: routeEvents, serializeState: routeState };

  let routes: ReturnType<typeof getSimplePaths<typeof logic>>;
  let size: number;
  beforeAll(() => {
    size = Object.keys(getAdjacencyMap(logic, routeModel)).length;
    routes = getSimplePaths(logic, { ...routeModel, toState: (s: Snapshot) => s.status === 'done' });
  });

  const stagesOf = (route: (typeof routes)[number]) =>
    [...route.steps.map((s) => s.state), route.state].map((s) =>
      s.status === 'active' ? stageOf(s) : 'closed',
    );

  it('finds routes to every way a journey can close, each bounded by the size of the graph', () => {
    expect(routes.length).toBeGreaterThan(100);
    expect(Math.max(...routes.map((r) => r.steps.length))).toBeLessThanOrEqual(size);
    const reasons = new Set(routes.map((r) => r.state.context.closure?.reason));
    expect([...reasons].sort()).toEqual(closureReasons);
  });

  it('R-ACT-1 / R-PB-1: on every route, live support comes only after sign-off and set-up', () => {
    for (const route of routes) {
      const stages = stagesOf(route);
      stages.forEach((stage, i) => {
        if (stage === 'liveSupport' && stages[i - 1] !== 'liveSupport') {
          // …or a review in the notice period withdrew the ending of services (R-REV-6).
          expect([stages[i - 1], stage]).toEqual([
            expect.stringMatching(/^(setUp|reassessment|endingServices)$/),
            'liveSupport',
          ]);
        }
        if (stage === 'setUp' && stages[i - 1] !== 'setUp') expect(stages[i - 1]).toBe('planning');
      });
    }
  });

  it('R-IB-3 / R-END-1: planning follows a shared budget (or an ended DP agreement); ending services follows reassessment', () => {
    for (const route of routes) {
      const steps = [...route.steps.map((s) => s.state), route.state];
      steps.forEach((state, i) => {
        const prev = steps[i - 1];
        if (!prev || state.status !== 'active' || prev.status !== 'active') return;
        const [from, to] = [stageOf(prev), stageOf(state)];
        if (to === 'planning' && from !== 'planning') {
          expect(from === 'liveSupport' || JSON.stringify(prev.value).includes('"shared"')).toBe(true);
        }
        if (to === 'endingServices' && from !== 'endingServices') expect(from).toBe('reassessment');
      });
    }
  });
});
