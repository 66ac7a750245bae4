/**
 * The ONE Temporal workflow: it interprets the compiled graph it is given. It is a thin loop that
 * carries out the pure decisions of decisions.ts over the state of state.ts. It imports only
 * @temporalio/workflow and pure modules, the activities as a type (test/interpreter/bundle.test.ts
 * checks the bundle; src/interpreter/tsconfig.json compiles it without Node or DOM types).
 */
import {
  allHandlersFinished,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  currentUpdateInfo,
  isCancellation,
  log,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  uuid4,
  workflowInfo,
} from "@temporalio/workflow";
import { type ErrorData, errorFromData, isErrorData } from "../errors.ts";
import { MESSAGE_NAMES, type MessageArgs, type MessageName, type MessageResult } from "../messages/args.ts";
import {
  createInput,
  type Dispatch,
  type Escalation,
  historyLimitOf,
  isDrained,
  isFinished,
  nextMove,
  pendingOf,
  plan,
  resumeInput,
  runInput,
  shouldContinueAsNew,
  type TimerStart,
} from "./decisions.ts";
import { Deliveries } from "./deliveries.ts";
import { messageDefinitions, pendingQuery, startedUpdate, wakeSignal } from "./definitions.ts";
import { CHAIN_EXTRA_MS, MACHINE_HEARTBEAT_TIMEOUT_MS } from "./protocol.ts";
import type { ChildRun, InterpreterActivities, InterpreterInput, RunOutcome, SubflowEnded } from "./protocol.ts";
import { messageInput, type Reply, settle, startedReply } from "./replies.ts";
import {
  escalationEnded,
  initialState,
  opened,
  runEnded,
  startDraining,
  startFailed,
  type State,
  timerEnded,
} from "./state.ts";
import { cancelChild, childFailure, launchChild, subflowEndedSignal, tellParent } from "./children.ts";
import { busyKey, type ChildStart, childEnded, childSettled, childStarted } from "./subflows.ts";

const RETRY = { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "1 minute" } as const;

/**
 * Machine tasks run the user's code: ordinary activities, visible and timed out on the server. One
 * activity runs a task and the machine tasks that follow it in a chain (src/activities/chain.ts), each
 * step in its own transaction and under its own timeout; the activity's timeout is the first task's
 * plus the chain's budget. The UI shows the first task in the summary, every step in the result.
 */
function machine(dispatch: Dispatch): Pick<InterpreterActivities, "runTask"> {
  const timeoutMs = dispatch.timeoutMs + CHAIN_EXTRA_MS;
  return proxyActivities({
    summary: `${dispatch.name} and the machine tasks after it`,
    startToCloseTimeout: timeoutMs,
    // A task whose own timeout is short is run again soon enough without heartbeats; a heartbeat
    // timeout close to the interval would give up on runs that are merely slow.
    heartbeatTimeout: timeoutMs > 2 * MACHINE_HEARTBEAT_TIMEOUT_MS ? MACHINE_HEARTBEAT_TIMEOUT_MS : undefined,
    retry: RETRY,
  });
}

/**
 * Our own short transactions (create the instance, apply a message) run as local activities: in the
 * same workflow task as the update that asked for them, so a reply costs one server round trip, not
 * three. Each is idempotent, so the re-run after a lost workflow task changes nothing twice.
 */
const local = proxyLocalActivities<Omit<InterpreterActivities, "runTask">>({
  startToCloseTimeout: "1 minute",
  retry: RETRY,
});

export async function joeflowInterpreter(input: InterpreterInput): Promise<void> {
  const interpreter = new Interpreter(input);
  interpreter.listen();
  await interpreter.open();
  await interpreter.loop();
  await interpreter.tellParent();
}

class Interpreter {
  /** Everything the decisions look at. Each event replaces it, so the loop sees a change by reference. */
  private state: State;
  /** The cancellation scope of each timer in `state.timers`: how a plan's `cancel` reaches the timer. */
  private readonly scopes = new Map<string, CancellationScope>();
  /** The last message's transaction: the next one waits for it (see `apply`). */
  private messages: Promise<unknown> = Promise.resolve();
  /** Hook events being delivered; each reply that carries some starts them (deliveries.ts). */
  private readonly deliveries = new Deliveries();

  constructor(private readonly input: InterpreterInput) {
    this.state = initialState(input);
  }

  /** Registers every handler before the first await, so that no early message or query is missed. */
  listen(): void {
    for (const name of MESSAGE_NAMES) this.listenTo(name);
    setHandler(startedUpdate, async () => {
      await this.whenStarted();
      return unwrap(startedReply(this.state, this.input.workflowId));
    });
    setHandler(pendingQuery, () => pendingOf(this.input.graph, this.state, Date.now(), allHandlersFinished()));
    setHandler(wakeSignal, () => {});
    setHandler(subflowEndedSignal, (ended) => this.endChild(ended));
  }

  /** A message is an Update (the caller gets the reply or the error) and a Signal of the same name. */
  private listenTo<K extends MessageName>(name: K): void {
    const { signal, update } = messageDefinitions(name);
    // The update's id stays the same when the client retries it, so the store commits it once.
    setHandler(update, (args) => this.apply(name, args, currentUpdateInfo()?.id ?? uuid4()));
    setHandler(signal, async (args) => {
      try {
        await this.apply(name, args, uuid4());
      } catch (error) {
        // Nobody waits for a signal's reply, and a throwing signal handler would fail the workflow
        // (an ApplicationFailure) or its task (any other error) instead.
        log.warn(`signal ${name} was not applied`, { error: String(error) });
      }
    });
  }

  /**
   * Applies one message in its own transaction, once the instance exists, one message at a time in
   * the order they came: their transactions queue for the instance's row lock anyway, and updates
   * whose local activities overlapped were seen to break the replay of the history (a
   * nondeterminism error on the next query).
   */
  private async apply<K extends MessageName>(name: K, args: MessageArgs[K], messageId: string): Promise<MessageResult> {
    await this.whenStarted();
    const outcome = await this.inTurn(() =>
      local.applyMessage(messageInput(this.input.workflowId, name, args, messageId, Date.now())),
    );
    this.deliveries.deliver(outcome.snapshot);
    const settled = settle(this.state, outcome);
    this.state = settled.state;
    return unwrap(settled.reply);
  }

  /** Runs a transaction of ours after the ones asked for before it (see `apply`). */
  private inTurn<T>(transaction: () => Promise<T>): Promise<T> {
    const turn = this.messages.then(transaction);
    this.messages = turn.catch(() => undefined);
    return turn;
  }

  private async whenStarted(): Promise<void> {
    await condition(() => this.state.started);
  }

  /** Creates the instance, or loads it when a run is resumed without its snapshot. */
  async open(): Promise<void> {
    if (this.input.kind === "start") {
      try {
        const snapshot = await local.createInstance(createInput(this.input, uuid4(), Date.now()));
        this.deliveries.deliver(snapshot);
        this.state = opened(this.state, snapshot);
      } catch (error) {
        // The database refused the instance's data for good: say why to whoever started it, and end.
        const refused = carriedError(error);
        if (!refused) throw error;
        this.state = startFailed(this.state, refused);
      }
    } else if (!this.state.started) {
      const snapshot = await local.loadSnapshot({ workflowId: this.input.workflowId });
      this.deliveries.deliver(snapshot);
      this.state = opened(this.state, snapshot);
    }
  }

  /** Plans, then finishes, continues as new, or waits for the next event; and again. */
  async loop(): Promise<void> {
    for (;;) {
      this.reconcile();
      const move = nextMove(this.state, workflowInfo(), historyLimitOf(this.input));
      if (move === "finish") {
        // A message still being applied may open a task: finish only if none did.
        await condition(allHandlersFinished);
        if (isFinished(this.state) && this.deliveries.idle) return;
        // Hooks still deliver: wait for them, or for a message that reopens the instance meanwhile.
        const seen = this.state;
        if (isFinished(seen)) await condition(() => this.deliveries.idle || this.state !== seen);
      } else if (move === "continueAsNew") {
        return await this.continueAsNew();
      } else {
        await this.nextEvent();
      }
    }
  }

  /** Until the state changes (an activity, timer or message ended) or the history grows too long. */
  private async nextEvent(): Promise<void> {
    if (this.state.reload) {
      const snapshot = await local.loadSnapshot({ workflowId: this.input.workflowId });
      this.deliveries.deliver(snapshot);
      this.state = opened(this.state, snapshot);
      return;
    }
    const seen = this.state;
    await condition(() => this.state !== seen || shouldContinueAsNew(workflowInfo(), historyLimitOf(this.input)));
  }

  /** Carries out a plan: cancels timers, starts timers, runs machine tasks. */
  private reconcile(): void {
    const next = plan(this.input.graph, this.state, Date.now());
    this.state = next.state;
    for (const taskId of next.cancel) this.scopes.get(taskId)?.cancel();
    for (const timer of next.timers) this.startTimer(timer);
    // Not awaited: the loop waits for the state to change, and each run ends by changing it.
    // `run` catches every error, so these promises never reject.
    for (const dispatch of next.dispatch) void this.run(dispatch);
    for (const escalation of next.escalate) void this.escalate(escalation);
    // Not awaited either, and they catch every error: each ends by changing the state.
    for (const start of next.children.start) void this.startChild(start);
    for (const child of next.children.stop) void this.stopChild(child);
  }

  /** A person's due date passed: its `onDue` is applied in a transaction of its own (once: see escalate.ts). */
  private async escalate(escalation: Escalation): Promise<void> {
    let snapshot = null;
    try {
      snapshot = await local.escalateTask({
        workflowId: this.input.workflowId,
        taskId: escalation.taskId,
        at: Date.now(),
      });
    } catch (error) {
      // Retried for ever; only a cancellation gets here. The next plan escalates the task again.
      log.error("escalation gave up", { taskId: escalation.taskId, error: String(error) });
    }
    this.deliveries.deliver(snapshot ?? undefined);
    this.state = escalationEnded(this.state, escalation.taskId, snapshot);
  }

  private async run(dispatch: Dispatch): Promise<void> {
    let result: RunOutcome | undefined;
    try {
      const known = this.state.snapshot?.revision;
      result = await machine(dispatch).runTask(runInput(this.input.workflowId, dispatch, Date.now(), known));
    } catch (error) {
      // The retry policy retries forever; only a non-retryable error or a cancellation gets here.
      log.error("machine task activity gave up", { taskId: dispatch.taskId, error: String(error) });
    }
    this.deliveries.deliver(result);
    this.state = runEnded(this.state, this.input.graph, dispatch.taskId, result, Date.now());
  }

  /** Makes the child's state (a transaction) and starts it; a failed start fails the task, nothing waits for ever. */
  private async startChild(start: ChildStart): Promise<void> {
    const { workflowId, graph } = this.input;
    const { taskId, attempt } = start;
    try {
      const outcome = await this.inTurn(() => local.startSubflow({ workflowId, taskId, attempt, at: Date.now() }));
      this.deliveries.deliver(outcome.snapshot);
      if (outcome.kind !== "start") {
        this.state = childStarted(this.state, taskId, outcome.snapshot);
        return;
      }
      const ended = { taskId, childId: outcome.child.workflowId };
      const parent = { workflowId, name: graph.name, taskId };
      let handle: Awaited<ReturnType<typeof launchChild>>;
      try {
        handle = await launchChild(outcome, parent, this.input.historyLimit);
      } catch (error) {
        this.state = childStarted(this.state, taskId, outcome.snapshot, outcome.child);
        return await this.endChild({ ...ended, failure: childFailure(error) });
      }
      this.state = childStarted(this.state, taskId, outcome.snapshot, outcome.child);
      void this.watchChild(handle.result(), ended);
    } catch (error) {
      // The local activity retries for ever: only a non-retryable error gets here. The next plan tries again.
      log.error("subflow did not start", { taskId, error: String(error) });
      this.state = childStarted(this.state, taskId, null);
    }
  }

  /**
   * In the run that started it, the child's end as Temporal saw it: a failure (terminated, timed out)
   * that the child could not report itself; its own word, which covers later runs too, is the Signal.
   */
  private async watchChild(result: Promise<unknown>, ended: { taskId: string; childId: string }): Promise<void> {
    let failure: string | undefined;
    try {
      await result;
    } catch (error) {
      failure = childFailure(error);
    }
    const key = busyKey(ended.taskId, "end");
    this.state = { ...this.state, running: new Map([...this.state.running, [key, ended.taskId]]) };
    try {
      await this.endChild(failure === undefined ? ended : { ...ended, failure });
    } finally {
      this.state = childSettled(this.state, key);
    }
  }

  /** A child ended: the task moves on with its state, or fails; told twice, the second changes nothing. */
  private async endChild(ended: SubflowEnded): Promise<void> {
    await this.whenStarted();
    const { workflowId } = this.input;
    try {
      const outcome = await this.inTurn(() => local.endSubflow({ ...ended, workflowId, at: Date.now() }));
      this.deliveries.deliver(outcome.snapshot);
      this.state = outcome.applied
        ? childEnded(this.state, ended, outcome.snapshot)
        : opened(this.state, outcome.snapshot);
    } catch (error) {
      // Like a signal's message: nobody waits for the reply, and throwing would fail the workflow task.
      log.warn("a subflow's end was not applied", { ...ended, error: String(error) });
    }
  }

  private async stopChild(child: ChildRun): Promise<void> {
    try {
      await cancelChild(child);
    } catch (error) {
      // The child's workflow has ended already (it was done, or canceled by someone else).
      log.warn("a subflow's child was not told to cancel", { taskId: child.taskId, error: String(error) });
    } finally {
      this.state = childSettled(this.state, busyKey(child.taskId, "stop"));
    }
  }

  /** A sub-workflow tells its parent that it ended, when it has one; a parent that ended hears nothing. */
  async tellParent(): Promise<void> {
    const { parent, workflowId } = this.input;
    if (!parent) return;
    const failure = this.state.startError && errorFromData(this.state.startError).message;
    try {
      await tellParent(parent, { taskId: parent.taskId, childId: workflowId, ...(failure ? { failure } : {}) });
    } catch (error) {
      // A parent that was canceled has ended already: it cancelled this child, and waits for nothing.
      log.info("the parent was not told that its subflow ended", { parent, error: String(error) });
    }
  }

  private startTimer(timer: TimerStart): void {
    const scope = new CancellationScope();
    this.scopes.set(timer.taskId, scope);
    // Not awaited, like a run: its end changes the state. `sleepIn` catches every error.
    void this.sleepIn(scope, timer);
  }

  private async sleepIn(scope: CancellationScope, timer: TimerStart): Promise<void> {
    try {
      await scope.run(() => sleep(Math.max(1, timer.dueAt - Date.now())));
    } catch (error) {
      // A cancelled timer is expected. Anything else is logged: ending early is safe, since the next
      // plan compares the deadline with the clock and starts a new timer if it is not yet due.
      if (!isCancellation(error)) log.error("timer failed", { taskId: timer.taskId, error: String(error) });
    } finally {
      this.scopes.delete(timer.taskId);
      this.state = timerEnded(this.state, timer.taskId);
    }
  }

  /**
   * Drains, then continues as new: no timer or activity may be left behind (the next run would run
   * them again), and no message half applied. The snapshot and the backoff carry over.
   */
  private async continueAsNew(): Promise<never> {
    this.state = startDraining(this.state);
    this.reconcile(); // cancels every timer and starts nothing
    await condition(() => isDrained(this.state) && allHandlersFinished() && this.deliveries.idle);
    return await continueAsNew<typeof joeflowInterpreter>(resumeInput(this.input, this.state));
  }
}

/** The value of a reply, or the ApplicationFailure that carries its error to the caller. */
function unwrap<T>(reply: Reply<T>): T {
  if (!reply.ok) throw failure(reply.error);
  return reply.value;
}

/** An update must fail with an ApplicationFailure: a plain Error would fail the workflow task instead. */
function failure(error: ErrorData): ApplicationFailure {
  return ApplicationFailure.create({
    type: error.code,
    message: errorFromData(error).message,
    details: [error],
    nonRetryable: true,
  });
}

/** The typed error an activity gave up with (a non-retryable ApplicationFailure carrying its data). */
function carriedError(error: unknown): ErrorData | undefined {
  const cause = error instanceof ActivityFailure ? error.cause : undefined;
  const data = cause instanceof ApplicationFailure ? cause.details?.[0] : undefined;
  return isErrorData(data) ? data : undefined;
}
