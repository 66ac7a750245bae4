/**
 * One poller per web app, fanning changes out to its live pages' event streams.
 *
 * Why poll the database: web processes scale out and the worker runs elsewhere, so no in-process call
 * sees every change; the database does. While at least one page listens, the hub asks
 * `joeflow.changes(horizon)` every `pollMs` (one indexed statement, whatever the number of listeners)
 * and tells each listener whose interest changed; with nobody listening it asks nothing.
 * PostgreSQL's LISTEN/NOTIFY would be faster, but PGlite has one connection and transaction poolers
 * drop LISTEN, so polling is the one way that works everywhere.
 *
 * A listener joins with the horizon its page was rendered at: its first round reports what changed
 * since then (the page may be a second old when its script connects), later rounds what is new to the
 * hub. A listener may hear of a change its page already shows; it then fetches the same sections again.
 */
import type { Changes, Joeflow } from "joeflow";

/** One instance's page, or anything (the inbox: any instance may bring or take a task). */
export type Interest = { readonly workflowId: string } | "any";

export interface LiveHub {
  /**
   * Listens until the returned function is called; undefined when `maxListeners` already listen.
   * `onRound` hears every round that covered the listener: its horizon (where a reconnecting stream
   * may resume from) and whether anything it is interested in changed.
   */
  listen(interest: Interest, since: string, onRound: (round: Round) => void): (() => void) | undefined;
  /** The horizon to render a page at: what its stream's first round starts from. */
  horizon(): Promise<string>;
  readonly listeners: number;
}

export interface Round {
  readonly horizon: string;
  readonly changed: boolean;
}

export interface LiveOptions {
  /** How often the database is asked while someone listens; default 400 ms. */
  readonly pollMs?: number;
  /** Event streams one process keeps open at most; more are answered 503. Default 1,000. */
  readonly maxListeners?: number;
}

interface Listener {
  readonly interest: Interest;
  since: bigint;
  /** Not in a round yet: its first round looks back to `since`. */
  fresh: boolean;
  readonly onRound: (round: Round) => void;
}

export function createLiveHub(joeflow: Joeflow, options: LiveOptions = {}): LiveHub {
  const pollMs = options.pollMs ?? 400;
  const maxListeners = options.maxListeners ?? 1_000;
  const listeners = new Set<Listener>();
  /** The last round's horizon; null while nobody listens. */
  let cursor: bigint | null = null;
  /** What the last round saw at or above its horizon (the next round sees it again): id → changed. */
  let seen = new Map<string, string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** A round is waiting or running: one chain of rounds at a time. */
  let polling = false;
  let failing = false;

  async function round(): Promise<void> {
    timer = undefined;
    if (listeners.size === 0) return stop();
    const joined = [...listeners].filter((l) => l.fresh);
    let from = cursor;
    for (const l of joined) if (from === null || l.since < from) from = l.since;
    try {
      tell(await joeflow.changes(String(from)), joined);
      failing = false;
    } catch (error) {
      // The database may be restarting: say so once, keep the listeners, and ask again next round.
      // (With nobody listening any more, the app is likely shutting down: nothing to say.)
      if (!failing && listeners.size > 0) console.warn("joeflow live pages: cannot read changes:", error);
      failing = true;
    }
    if (listeners.size > 0) timer = setTimeout(round, pollMs);
    else stop();
  }

  /** Nobody listens: no more rounds, and the next listener starts from its own horizon. */
  function stop(): void {
    clearTimeout(timer);
    timer = undefined;
    polling = false;
    cursor = null;
    seen = new Map();
  }

  function tell(changes: Changes, joined: readonly Listener[]): void {
    const horizon = BigInt(changes.horizon);
    const established = cursor;
    const news = changes.instances.filter(
      (c) => established !== null && BigInt(c.changed) >= established && seen.get(c.id) !== c.changed,
    );
    for (const listener of listeners) {
      const isNew = joined.includes(listener);
      if (!isNew && listener.fresh) continue; // joined during this round: the next one looks back for it
      const relevant = isNew ? changes.instances.filter((c) => BigInt(c.changed) >= listener.since) : news;
      const hit = changes.overflow || relevant.some((c) => matches(listener.interest, c.id));
      listener.fresh = false;
      listener.onRound({ horizon: changes.horizon, changed: hit });
    }
    cursor = horizon;
    seen = new Map(changes.instances.filter((c) => BigInt(c.changed) >= horizon).map((c) => [c.id, c.changed]));
  }

  return {
    listen(interest, since, onRound) {
      if (listeners.size >= maxListeners) return undefined;
      const listener: Listener = { interest, since: BigInt(since), fresh: true, onRound };
      listeners.add(listener);
      if (!polling) {
        polling = true;
        timer = setTimeout(round, 0);
      }
      return () => {
        listeners.delete(listener);
        // A round in flight stops itself when it ends; a waiting one is called off here.
        if (listeners.size === 0 && timer !== undefined) stop();
      };
    },
    horizon: async () => (await joeflow.changes()).horizon,
    get listeners() {
      return listeners.size;
    },
  };
}

function matches(interest: Interest, workflowId: string): boolean {
  return interest === "any" || interest.workflowId === workflowId;
}
