import { randomUUID } from 'node:crypto';
import type { ContractProblem } from '../kit/contract/service-contract.js';
import type { FaultResponses } from '../kit/faults.js';
import { json, parseJsonBody, SimError, type SimResponse } from '../kit/http.js';

// Productboard v2 error answers. Every v2 error body is `{ id, errors: [{ code, title, detail, source? }] }`, where
// `source.pointer` (body) or `source.parameter` (query) names the offending input
// (ErrorResponse in the v2 OpenAPI documents, https://developer.productboard.com/v2/openapi).

export type ErrorSource = { pointer?: string; parameter?: string };

export interface PbErrorBody {
  id: string;
  errors: Array<Record<string, unknown>>;
}

export function pbError(code: string, title: string, detail: string, source?: ErrorSource): PbErrorBody {
  const err: Record<string, unknown> = { code, title, detail };
  if (source) err['source'] = source;
  return { id: randomUUID(), errors: [err] };
}

export function pbErrorResponse(status: number, code: string, title: string, detail: string, source?: ErrorSource): SimResponse {
  return json(status, pbError(code, title, detail, source));
}

export const bad = (detail: string, source?: ErrorSource): SimError =>
  new SimError(pbErrorResponse(400, 'request.invalid', 'Request schema invalid', detail, source));

export function notFound(kind: string, id: string): SimError {
  const detail = `${kind} with ID '${id}' was not found. It either does not exist or you do not have access to it.`;
  return new SimError(pbErrorResponse(404, 'resource.notFound', 'Resource not found', detail));
}

/** 50 requests per second per access token (https://developer.productboard.com/v2.0.0/reference/rate-limits). */
export const PB_RATE_LIMIT = 50;

/** A 429 as Productboard sends it: Retry-After in seconds and the token's per-second limit. */
export function tooManyRequests(retryAfterSeconds: number, detail: string): SimResponse {
  return {
    status: 429,
    headers: { 'Retry-After': String(retryAfterSeconds), 'X-RateLimit-Limit': String(PB_RATE_LIMIT), 'X-RateLimit-Remaining': '0' },
    json: pbError('rate.limitExceeded', 'Rate limit exceeded', detail),
  };
}

export const PB_FAULT_RESPONSES: FaultResponses = {
  tooManyRequests: () => tooManyRequests(1, 'You have exceeded the allowed number of API requests.'),
  unavailable: (headers) => ({
    status: 503,
    headers,
    json: pbError('service.unavailable', 'Service unavailable', 'The service is temporarily unavailable.'),
  }),
  pageFailed: () => pbErrorResponse(500, 'internal.error', 'Internal server error', 'The server encountered an unexpected condition.'),
  credentialsRefused: (authorization) =>
    pbErrorResponse(
      403,
      'auth.accessDenied',
      'Access denied',
      `The request with header Authorization: ${authorization} is not allowed to perform this operation.`,
    ),
};

/** A request the v2 specification refuses: 400 with one error per problem, as the spec's BadRequestResponse examples. */
export function contractRejection(problems: readonly ContractProblem[]): SimResponse {
  const errors = problems.map((p) => {
    const malformed = p.part === 'json' || p.part === 'content-type';
    const parameter = p.parameter;
    const subject = parameter !== undefined ? `Parameter '${parameter}'` : p.pointer === '' ? 'The request' : `Field '${p.pointer}'`;
    const err: Record<string, unknown> = {
      code: malformed ? 'request.malformed' : 'request.invalid',
      title: malformed ? 'Request malformed' : 'Request schema invalid',
      detail: `${subject} ${p.message}.`.slice(0, 1000),
    };
    if (parameter !== undefined) err['source'] = { parameter };
    else if (p.part === 'body' || p.part === 'json') err['source'] = { pointer: p.pointer };
    return err;
  });
  return json(400, { id: randomUUID(), errors });
}

/** 422: well-formed but not acceptable here (UnprocessableEntityResponse `validationFailed` / `referenceNotFound`). */
export function unprocessable(
  detail: string,
  pointer: string,
  code: 'validation.failed' | 'validation.referenceNotFound' = 'validation.failed',
): SimError {
  const title = code === 'validation.failed' ? 'Validation failed' : 'Referenced resource not found';
  return new SimError(pbErrorResponse(422, code, title, detail, { pointer }));
}

/** 403 for a token without the scope an operation needs (ForbiddenResponse `insufficientScope`). */
export function insufficientScope(scope: string): SimResponse {
  const detail = `Your authentication token lacks the required OAuth scopes to perform this operation (${scope}). Please re-authenticate with the necessary scopes.`;
  return pbErrorResponse(403, 'auth.accessDenied', 'Access denied', detail);
}

/**
 * The request body as JSON, or a 400 `request.malformed` naming the problem (BadRequestResponse `malformedJson`), with
 * pointer '' (RFC 6901: the whole document) so every 400 carries errors[].source.pointer.
 */
export function jsonBody(body: Buffer): unknown {
  const parsed = parseJsonBody(body);
  if (!parsed.ok) {
    throw new SimError(
      pbErrorResponse(400, 'request.malformed', 'Request malformed', `The request body contains invalid JSON: ${parsed.message}`, {
        pointer: '',
      }),
    );
  }
  return parsed.value;
}
