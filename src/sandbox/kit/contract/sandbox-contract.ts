import type { Call, SimResponse } from '../http.js';
import type { ServiceName } from '../request-log.js';
import type { OpenApiDocument, Operation } from './operations.js';
import { ServiceContract, type ContractPart, type ContractProblem } from './service-contract.js';

// The sandbox held to the vendors' published contracts. Given the documents, every request a simulator receives is
// checked against the operation the vendor documents for it, and a request the specification refuses gets the
// vendor's own error answer instead of reaching the simulator; every answer the simulator sends is checked against the
// documented responses. Everything found is recorded as a violation, for the tests to fail on.

export interface SandboxContract {
  productboard: readonly OpenApiDocument[];
  jira: readonly OpenApiDocument[];
  /** Known violations, let through and recorded as tolerated until the fix each one names. */
  tolerated?: readonly ToleratedViolation[];
}

export interface ToleratedViolation {
  service: 'productboard' | 'jira';
  side: 'request' | 'response';
  /** 'POST /entities/search': the documented method and template. */
  operation: string;
  part?: ContractPart;
  /** JSON pointer; a '*' segment matches any one segment. Absent: any pointer. */
  pointer?: string;
  /** Why it is let through, naming the planned fix. */
  reason: string;
}

export interface ContractViolation {
  service: ServiceName;
  /** request: the client sent what the specification refuses; response: the sandbox answered outside it;
   *  sandbox: the simulator serves a route the specification does not document. */
  side: 'request' | 'response' | 'sandbox';
  /** The documented operation ('POST /entities/search'), or 'undocumented'. */
  operation: string;
  operationId?: string;
  /** The simulator's route, as in the request log. */
  route: string;
  part: ContractPart;
  /** Into the body, or '/<name>' of a parameter. */
  pointer: string;
  message: string;
  /** What was sent or returned there, shortened. */
  value: string;
  status?: number;
  /** Set when a listed known violation matched: the reason it names. */
  tolerated?: string;
}

/** How a vendor refuses a request its specification does not allow (status and body in its own error shape). */
export type RejectRequest = (problems: readonly ContractProblem[]) => SimResponse;

const compiled = new WeakMap<readonly OpenApiDocument[], ServiceContract>();

/** Compiled once per document list, so every sandbox given the same documents shares the compiled schemas. */
export function serviceContract(docs: readonly OpenApiDocument[]): ServiceContract {
  let c = compiled.get(docs);
  if (!c) {
    c = new ServiceContract(docs);
    compiled.set(docs, c);
  }
  return c;
}

export interface RequestOutcome {
  operation?: Operation;
  /** The vendor's refusal, when the specification refuses the request. */
  rejection?: SimResponse;
}

/** One service's contract as the request pipeline uses it: check, record, refuse. */
export class ContractGate {
  constructor(
    private readonly service: ServiceName,
    private readonly contract: ServiceContract,
    private readonly tolerated: readonly ToleratedViolation[],
    private readonly violations: ContractViolation[],
    private readonly reject: RejectRequest,
  ) {}

  /** Records every served route the specification does not document (the sandbox must not invent endpoints). */
  auditRoutes(routes: readonly string[]): void {
    for (const route of routes) {
      const [method = '', path = ''] = route.split(' ');
      if (this.contract.operation(method, path)) continue;
      this.violations.push({
        service: this.service,
        side: 'sandbox',
        operation: 'undocumented',
        route,
        part: 'route',
        pointer: '',
        message: `the sandbox serves ${route}, which the specification does not document`,
        value: route,
      });
    }
  }

  request(call: Call): RequestOutcome {
    const contentType = call.headers['content-type'];
    const verdict = this.contract.request({ method: call.method, path: call.path, query: call.query, contentType, body: call.body });
    const refusing = this.record('request', verdict.operation, call.route, verdict.problems);
    // Undocumented and deprecated operations are the simulator's to answer (404, 405, or the 410 of a removed endpoint).
    const schemaProblems = refusing.filter((p) => p.part !== 'route');
    const outcome: RequestOutcome = {};
    const op = verdict.operation;
    if (op) outcome.operation = op;
    if (op && !op.deprecated && schemaProblems.length > 0) outcome.rejection = this.reject(schemaProblems);
    return outcome;
  }

  response(operation: Operation, route: string, res: SimResponse): void {
    this.record('response', operation, route, this.contract.response(operation, res), res.status);
  }

  /** Records the problems; returns those not tolerated. */
  private record(
    side: 'request' | 'response',
    op: Operation | undefined,
    route: string,
    problems: readonly ContractProblem[],
    status?: number,
  ): ContractProblem[] {
    const operation = op ? `${op.method} ${op.template}` : 'undocumented';
    const refusing: ContractProblem[] = [];
    for (const p of problems) {
      const v: ContractViolation = {
        service: this.service,
        side,
        operation,
        route,
        part: p.part,
        pointer: p.pointer,
        message: p.message,
        value: p.value,
      };
      const operationId = op?.located.value['operationId'];
      if (typeof operationId === 'string') v.operationId = operationId;
      if (status !== undefined) v.status = status;
      const known = this.tolerated.find((t) => matches(t, v));
      if (known) v.tolerated = known.reason;
      else refusing.push(p);
      this.violations.push(v);
    }
    return refusing;
  }
}

function matches(t: ToleratedViolation, v: ContractViolation): boolean {
  if (t.service !== v.service || t.side !== v.side || t.operation !== v.operation) return false;
  if (t.part !== undefined && t.part !== v.part) return false;
  if (t.pointer === undefined) return true;
  const want = t.pointer.split('/');
  const got = v.pointer.split('/');
  return want.length === got.length && want.every((seg, i) => seg === '*' || seg === got[i]);
}
